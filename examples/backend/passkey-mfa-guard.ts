/*
 * Backend guard for passkey MFA (see the README's "Passkeys in a NestJS backend").
 *
 * Cognito lets a passkey that passed user verification count as MFA only for users who turned
 * passkey MFA on (SetUserMFAPreference with WebAuthnMfaSettings.Enabled), and such a user must keep
 * at least one other MFA method active. MedFlow pools offer TOTP as that method. The backend calls
 * this guard before every SetUserMFAPreference request, so that losing a security key or a phone
 * never locks a clinician out.
 */

/** Non-passkey MFA methods as Cognito lists them in `UserMFASettingList`. */
export const OTHER_MFA_METHODS = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'] as const;

/** The user's MFA state before the change. */
export interface MfaState {
  /** `UserMFASettingList` from GetUserAuthFactors (or GetUser). */
  readonly activeMethods: readonly string[];
  /**
   * Whether passkey MFA is on for the user, as the backend last set it. Unknown counts as on,
   * which only ever refuses more.
   */
  readonly passkeyMfaEnabled?: boolean;
  /** Whether the user pool requires MFA (the prod preset does). */
  readonly mfaRequired: boolean;
}

/** The SetUserMFAPreference change the user asked for. */
export interface MfaPreferenceChange {
  /** `WebAuthnMfaSettings.Enabled`; undefined leaves it as it is. */
  readonly passkeyMfa?: boolean;
  /** `SoftwareTokenMfaSettings.Enabled`; undefined leaves it as it is. */
  readonly totp?: boolean;
}

/** Why the change must be refused, or undefined when it keeps the user able to sign in. */
export function refuseMfaChange(state: MfaState, change: MfaPreferenceChange): string | undefined {
  const others = new Set(state.activeMethods.filter((m) => (OTHER_MFA_METHODS as readonly string[]).includes(m)));
  if (change.totp === false) others.delete('SOFTWARE_TOKEN_MFA');
  if (change.totp === true) others.add('SOFTWARE_TOKEN_MFA');
  const passkeyMfaAfter = change.passkeyMfa ?? state.passkeyMfaEnabled ?? true;

  if (passkeyMfaAfter && others.size === 0) {
    return change.passkeyMfa === true
      ? 'Set up an authenticator app (TOTP) before turning on passkey MFA: a lost security key must never lock you out.'
      : 'Passkey MFA is on: keep your authenticator app (TOTP) as the second MFA method, so that a lost security key never locks you out.';
  }
  if (state.mfaRequired && !passkeyMfaAfter && others.size === 0) {
    return 'MFA is required: keep at least one MFA method active.';
  }
  return undefined;
}
