import { LANGUAGE_PACKS, USERNAME } from '../../triggers/custom-message/message-templates';

/*
 * The emails threat protection sends when a risk level has `Notify` on. A risk configuration holds one
 * template per email type (NotifyConfigurationType: BlockEmail, MfaEmail, NoActionEmail), and Cognito
 * sends it as is: no CustomMessage trigger runs and there is no per-user language. So each email carries
 * its Arabic, French and English text, in the wording of the CustomMessage trigger's messages.
 *
 * Placeholders are the ones the Cognito developer guide lists for threat protection templates
 * ("Message templates", advanced security template placeholders, plus {username}). The one-click
 * feedback links ({one-click-link-valid}, {one-click-link-invalid}) need a user pool domain, which a
 * pool without the hosted UI does not have, so the emails send users to their clinic administrator.
 */

export type RiskEmailKind = 'block' | 'mfa' | 'noAction';

/** The placeholders Cognito fills in a threat protection notification. */
export const RISK_EMAIL_PLACEHOLDERS = [
  USERNAME, '{ip-address}', '{city}', '{country}', '{login-time}', '{device-name}',
  '{one-click-link-valid}', '{one-click-link-invalid}', '{event-id}', '{feedback-token}',
] as const;

interface RiskEmailText {
  /** This language's part of the subject. */
  readonly subject: string;
  /** Paragraphs before the sign-in details. */
  readonly lead: readonly string[];
  /** Paragraphs after the sign-in details. */
  readonly advice: readonly string[];
}

interface RiskLanguagePack {
  readonly details: { readonly time: string; readonly device: string; readonly location: string; readonly ip: string };
  readonly emails: Readonly<Record<RiskEmailKind, RiskEmailText>>;
}

const DETAILS = { time: '{login-time}', device: '{device-name}', location: '{city}, {country}', ip: '{ip-address}' };

/** In the order the email shows them: Arabic first, as most MedFlow clinics read it. */
export const RISK_LANGUAGES = ['ar', 'fr', 'en'] as const;

const RISK_PACKS: Readonly<Record<(typeof RISK_LANGUAGES)[number], RiskLanguagePack>> = {
  en: {
    details: { time: 'Time', device: 'Device', location: 'Location', ip: 'IP address' },
    emails: {
      block: {
        subject: 'Sign-in blocked',
        lead: [`We blocked an unusual sign-in to the MedFlow account ${USERNAME}.`],
        advice: [
          'If this was you, sign in again from your usual device or network.',
          'If this was not you, change your password now and tell your clinic administrator.',
        ],
      },
      mfa: {
        subject: 'Extra verification at sign-in',
        lead: [`We asked for your second factor at an unusual sign-in to the MedFlow account ${USERNAME}.`],
        advice: ['If this was not you, change your password now and tell your clinic administrator.'],
      },
      noAction: {
        subject: 'New sign-in',
        lead: [`We noticed an unusual sign-in to the MedFlow account ${USERNAME}.`],
        advice: ['If this was you, ignore this email. If it was not you, change your password now and tell your clinic administrator.'],
      },
    },
  },
  fr: {
    details: { time: 'Heure', device: 'Appareil', location: 'Lieu', ip: 'Adresse IP' },
    emails: {
      block: {
        subject: 'Connexion bloquée',
        lead: [`Nous avons bloqué une connexion inhabituelle au compte MedFlow ${USERNAME}.`],
        advice: [
          'Si c’était vous, reconnectez-vous depuis votre appareil ou votre réseau habituel.',
          'Si ce n’était pas vous, changez votre mot de passe maintenant et prévenez l’administrateur de votre clinique.',
        ],
      },
      mfa: {
        subject: 'Vérification supplémentaire',
        lead: [`Nous avons demandé votre second facteur lors d’une connexion inhabituelle au compte MedFlow ${USERNAME}.`],
        advice: ['Si ce n’était pas vous, changez votre mot de passe maintenant et prévenez l’administrateur de votre clinique.'],
      },
      noAction: {
        subject: 'Nouvelle connexion',
        lead: [`Nous avons remarqué une connexion inhabituelle au compte MedFlow ${USERNAME}.`],
        advice: ['Si c’était vous, ignorez cet e-mail. Sinon, changez votre mot de passe maintenant et prévenez l’administrateur de votre clinique.'],
      },
    },
  },
  ar: {
    details: { time: 'الوقت', device: 'الجهاز', location: 'الموقع', ip: 'عنوان IP' },
    emails: {
      block: {
        subject: 'تم حظر تسجيل دخول',
        lead: [`حظرنا محاولة تسجيل دخول غير معتادة إلى حساب MedFlow ${USERNAME}.`],
        advice: [
          'إذا كنت أنت، فسجّل الدخول مجددًا من جهازك أو شبكتك المعتادة.',
          'إذا لم تكن أنت، فغيّر كلمة المرور الآن وأبلغ مسؤول عيادتك.',
        ],
      },
      mfa: {
        subject: 'تحقّق إضافي عند تسجيل الدخول',
        lead: [`طلبنا العامل الثاني عند تسجيل دخول غير معتاد إلى حساب MedFlow ${USERNAME}.`],
        advice: ['إذا لم تكن أنت، فغيّر كلمة المرور الآن وأبلغ مسؤول عيادتك.'],
      },
      noAction: {
        subject: 'تسجيل دخول جديد',
        lead: [`لاحظنا تسجيل دخول غير معتاد إلى حساب MedFlow ${USERNAME}.`],
        advice: ['إذا كنت أنت، فتجاهل هذه الرسالة. وإن لم تكن أنت، فغيّر كلمة المرور الآن وأبلغ مسؤول عيادتك.'],
      },
    },
  },
};

/** One notification email in the shape of NotifyEmailType. */
export interface RiskEmail {
  readonly subject: string;
  readonly htmlBody: string;
  readonly textBody: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The email of one kind, every language in one message: the subject joined, one section per language. */
export function renderRiskEmail(kind: RiskEmailKind): RiskEmail {
  const subject = `MedFlow: ${RISK_LANGUAGES.map((lang) => RISK_PACKS[lang].emails[kind].subject).join(' | ')}`;
  const html: string[] = [];
  const text: string[] = [];
  for (const lang of RISK_LANGUAGES) {
    const pack = RISK_PACKS[lang];
    const email = pack.emails[kind];
    const { dir, signature } = LANGUAGE_PACKS[lang];
    const rows = (['time', 'device', 'location', 'ip'] as const).map((key) => [pack.details[key], DETAILS[key]]);
    html.push(`<div lang="${lang}" dir="${dir}">`
      + email.lead.map((p) => `<p>${escapeHtml(p)}</p>`).join('')
      + `<ul>${rows.map(([label, value]) => `<li>${escapeHtml(label)}: ${escapeHtml(value)}</li>`).join('')}</ul>`
      + email.advice.map((p) => `<p>${escapeHtml(p)}</p>`).join('')
      + `<p>${escapeHtml(signature)}</p></div>`);
    text.push([...email.lead, ...rows.map(([label, value]) => `${label}: ${value}`), ...email.advice, signature].join('\n'));
  }
  return {
    subject,
    htmlBody: `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${html.join('<hr>')}</body></html>`,
    textBody: text.join('\n\n----------\n\n'),
  };
}
