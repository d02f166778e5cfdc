/*
 * Every message MedFlow's users receive from Cognito, in every language. This is the one place
 * templates live: adding a language is one more entry in LANGUAGE_PACKS.
 *
 * `{####}` (the code or temporary password) and `{username}` are Cognito's placeholders; the
 * renderer replaces them with the placeholder strings of the event, which Cognito fills in.
 */

export type MessageKind = 'verification' | 'resendCode' | 'forgotPassword' | 'invitation' | 'attributeVerification' | 'authentication';

export interface MessageTemplate {
  readonly subject: string;
  /** Paragraphs of the email body, plain text (HTML-escaped when rendered). */
  readonly paragraphs: readonly string[];
  /** The SMS text, at most 140 characters. */
  readonly sms: string;
}

export interface LanguagePack {
  /** BCP 47 language tag, written into the email's `lang`. */
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  /** The closing line of every email. */
  readonly signature: string;
  readonly messages: Readonly<Record<MessageKind, MessageTemplate>>;
}

export const CODE = '{####}';
export const USERNAME = '{username}';
export const FALLBACK_LANGUAGE = 'en';

export const LANGUAGE_PACKS: Readonly<Record<string, LanguagePack>> = {
  en: {
    lang: 'en',
    dir: 'ltr',
    signature: 'The MedFlow team',
    messages: {
      verification: {
        subject: 'Verify your MedFlow account',
        paragraphs: [
          'Welcome to MedFlow.',
          `Your verification code is ${CODE}. It expires in 24 hours.`,
          'If you did not request this, ignore this email and tell your clinic administrator.',
        ],
        sms: `Your MedFlow verification code is ${CODE}.`,
      },
      resendCode: {
        subject: 'Your new MedFlow verification code',
        paragraphs: [
          `Your new MedFlow verification code is ${CODE}. It expires in 24 hours.`,
          'If you did not request this, ignore this email and tell your clinic administrator.',
        ],
        sms: `Your new MedFlow verification code is ${CODE}.`,
      },
      forgotPassword: {
        subject: 'Reset your MedFlow password',
        paragraphs: [
          'We received a request to reset your MedFlow password.',
          `Your code is ${CODE}. It expires in 1 hour.`,
          'If you did not ask for this, ignore this email: your password stays unchanged.',
        ],
        sms: `Your MedFlow password reset code is ${CODE}.`,
      },
      invitation: {
        subject: 'Your MedFlow account',
        paragraphs: [
          'Your clinic administrator created a MedFlow account for you.',
          `Username: ${USERNAME}`,
          `Temporary password: ${CODE}`,
          'Sign in within 7 days and choose a new password.',
        ],
        sms: `MedFlow account created. Username: ${USERNAME} Temporary password: ${CODE}`,
      },
      attributeVerification: {
        subject: 'Confirm your MedFlow email address',
        paragraphs: [
          `Your MedFlow verification code is ${CODE}.`,
          'Enter it in MedFlow to confirm this email address. If you did not request this, tell your clinic administrator.',
        ],
        sms: `Your MedFlow verification code is ${CODE}.`,
      },
      authentication: {
        subject: 'Your MedFlow sign-in code',
        paragraphs: [
          `Your MedFlow sign-in code is ${CODE}.`,
          'If you are not signing in, change your password and tell your clinic administrator.',
        ],
        sms: `Your MedFlow sign-in code is ${CODE}.`,
      },
    },
  },
  fr: {
    lang: 'fr',
    dir: 'ltr',
    signature: 'L’équipe MedFlow',
    messages: {
      verification: {
        subject: 'Vérifiez votre compte MedFlow',
        paragraphs: [
          'Bienvenue sur MedFlow.',
          `Votre code de vérification est ${CODE}. Il expire dans 24 heures.`,
          'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail et prévenez l’administrateur de votre clinique.',
        ],
        sms: `Votre code de vérification MedFlow : ${CODE}.`,
      },
      resendCode: {
        subject: 'Votre nouveau code de vérification MedFlow',
        paragraphs: [
          `Votre nouveau code de vérification MedFlow est ${CODE}. Il expire dans 24 heures.`,
          'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail et prévenez l’administrateur de votre clinique.',
        ],
        sms: `Votre nouveau code de vérification MedFlow : ${CODE}.`,
      },
      forgotPassword: {
        subject: 'Réinitialisez votre mot de passe MedFlow',
        paragraphs: [
          'Nous avons reçu une demande de réinitialisation de votre mot de passe MedFlow.',
          `Votre code est ${CODE}. Il expire dans 1 heure.`,
          'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.',
        ],
        sms: `Votre code de réinitialisation MedFlow : ${CODE}.`,
      },
      invitation: {
        subject: 'Votre compte MedFlow',
        paragraphs: [
          'L’administrateur de votre clinique vous a créé un compte MedFlow.',
          `Nom d’utilisateur : ${USERNAME}`,
          `Mot de passe temporaire : ${CODE}`,
          'Connectez-vous dans les 7 jours et choisissez un nouveau mot de passe.',
        ],
        sms: `Compte MedFlow créé. Identifiant : ${USERNAME} Mot de passe temporaire : ${CODE}`,
      },
      attributeVerification: {
        subject: 'Confirmez votre adresse e-mail MedFlow',
        paragraphs: [
          `Votre code de vérification MedFlow est ${CODE}.`,
          'Saisissez-le dans MedFlow pour confirmer cette adresse e-mail. Si vous n’êtes pas à l’origine de cette demande, prévenez l’administrateur de votre clinique.',
        ],
        sms: `Votre code de vérification MedFlow : ${CODE}.`,
      },
      authentication: {
        subject: 'Votre code de connexion MedFlow',
        paragraphs: [
          `Votre code de connexion MedFlow est ${CODE}.`,
          'Si vous n’êtes pas en train de vous connecter, changez votre mot de passe et prévenez l’administrateur de votre clinique.',
        ],
        sms: `Votre code de connexion MedFlow : ${CODE}.`,
      },
    },
  },
  ar: {
    lang: 'ar',
    dir: 'rtl',
    signature: 'فريق MedFlow',
    messages: {
      verification: {
        subject: 'تحقّق من حسابك في MedFlow',
        paragraphs: [
          'مرحبًا بك في MedFlow.',
          `رمز التحقق الخاص بك هو ${CODE}. تنتهي صلاحيته خلال 24 ساعة.`,
          'إذا لم تطلب ذلك، فتجاهل هذه الرسالة وأبلغ مسؤول عيادتك.',
        ],
        sms: `رمز التحقق من MedFlow: ${CODE}`,
      },
      resendCode: {
        subject: 'رمز التحقق الجديد من MedFlow',
        paragraphs: [
          `رمز التحقق الجديد الخاص بك في MedFlow هو ${CODE}. تنتهي صلاحيته خلال 24 ساعة.`,
          'إذا لم تطلب ذلك، فتجاهل هذه الرسالة وأبلغ مسؤول عيادتك.',
        ],
        sms: `رمز التحقق الجديد من MedFlow: ${CODE}`,
      },
      forgotPassword: {
        subject: 'إعادة تعيين كلمة مرور MedFlow',
        paragraphs: [
          'تلقّينا طلبًا لإعادة تعيين كلمة مرور حسابك في MedFlow.',
          `رمزك هو ${CODE}. تنتهي صلاحيته خلال ساعة واحدة.`,
          'إذا لم تطلب ذلك، فتجاهل هذه الرسالة؛ ستبقى كلمة المرور دون تغيير.',
        ],
        sms: `رمز إعادة تعيين كلمة مرور MedFlow: ${CODE}`,
      },
      invitation: {
        subject: 'حسابك في MedFlow',
        paragraphs: [
          'أنشأ مسؤول عيادتك حسابًا لك في MedFlow.',
          `اسم المستخدم: ${USERNAME}`,
          `كلمة المرور المؤقتة: ${CODE}`,
          'سجّل الدخول خلال 7 أيام واختر كلمة مرور جديدة.',
        ],
        sms: `تم إنشاء حسابك في MedFlow. اسم المستخدم: ${USERNAME} كلمة المرور المؤقتة: ${CODE}`,
      },
      attributeVerification: {
        subject: 'تأكيد عنوان بريدك الإلكتروني في MedFlow',
        paragraphs: [
          `رمز التحقق الخاص بك في MedFlow هو ${CODE}.`,
          'أدخله في MedFlow لتأكيد عنوان البريد الإلكتروني هذا. إذا لم تطلب ذلك، فأبلغ مسؤول عيادتك.',
        ],
        sms: `رمز التحقق من MedFlow: ${CODE}`,
      },
      authentication: {
        subject: 'رمز تسجيل الدخول إلى MedFlow',
        paragraphs: [
          `رمز تسجيل الدخول الخاص بك إلى MedFlow هو ${CODE}.`,
          'إذا لم تكن تحاول تسجيل الدخول، فغيّر كلمة المرور وأبلغ مسؤول عيادتك.',
        ],
        sms: `رمز تسجيل الدخول إلى MedFlow: ${CODE}`,
      },
    },
  },
};

/** Which message each CustomMessage trigger source sends. */
export const TRIGGER_SOURCE_KINDS: Readonly<Record<string, MessageKind>> = {
  CustomMessage_SignUp: 'verification',
  CustomMessage_ResendCode: 'resendCode',
  CustomMessage_ForgotPassword: 'forgotPassword',
  CustomMessage_AdminCreateUser: 'invitation',
  CustomMessage_UpdateUserAttribute: 'attributeVerification',
  CustomMessage_VerifyUserAttribute: 'attributeVerification',
  CustomMessage_Authentication: 'authentication',
};

/** The language pack for a `custom:preferred_language` value: its primary subtag if supported, else English. */
export function resolveLanguage(preferred: unknown): string {
  if (typeof preferred !== 'string') return FALLBACK_LANGUAGE;
  const primary = preferred.trim().toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(LANGUAGE_PACKS, primary) ? primary : FALLBACK_LANGUAGE;
}

export interface RenderedMessage {
  readonly emailSubject: string;
  readonly emailMessage: string;
  readonly smsMessage: string;
}

export interface Placeholders {
  /** The event's codeParameter, normally `{####}`. */
  readonly code: string;
  /** The event's usernameParameter, normally `{username}`; given only for invitations. */
  readonly username?: string;
}

/** The email (HTML) and SMS for `kind` in `language`, with Cognito's placeholders in place. */
export function renderMessage(language: string, kind: MessageKind, placeholders: Placeholders): RenderedMessage {
  const pack = LANGUAGE_PACKS[language] ?? LANGUAGE_PACKS[FALLBACK_LANGUAGE];
  const template = pack.messages[kind];
  // Placeholders are wrapped left-to-right so that codes read correctly inside right-to-left text.
  const fill = (text: string, html: boolean) => {
    const wrap = (value: string) => (html ? `<bdi dir="ltr">${value}</bdi>` : value);
    const escaped = html ? escapeHtml(text) : text;
    return escaped.split(CODE).join(wrap(placeholders.code)).split(USERNAME).join(wrap(placeholders.username ?? USERNAME));
  };
  const align = pack.dir === 'rtl' ? 'right' : 'left';
  const body = [...template.paragraphs, pack.signature].map((p) => `<p>${fill(p, true)}</p>`).join('');
  const emailMessage = '<!DOCTYPE html>'
    + `<html lang="${pack.lang}" dir="${pack.dir}"><head><meta charset="utf-8"><title>${escapeHtml(template.subject)}</title></head>`
    + `<body style="font-family: Arial, Helvetica, sans-serif; text-align: ${align};">${body}</body></html>`;
  return { emailSubject: template.subject, emailMessage, smsMessage: fill(template.sms, false) };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
