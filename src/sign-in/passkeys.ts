import { Token, aws_cognito as cognito } from 'aws-cdk-lib';
import { PropValidator } from '../internal/prop-validation';

/**
 * `WebAuthnFactorConfiguration` value with which a passkey sign-in that passed user verification
 * satisfies the user pool's MFA requirement (for users who turned passkey MFA on).
 */
export const PASSKEY_MULTI_FACTOR = 'MULTI_FACTOR_WITH_USER_VERIFICATION';

const RELYING_PARTY_MAX_LENGTH = 127;
const FQDN = /^(?=.{4,127}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** What decides the passkey settings of a user pool. */
export interface PasskeyInputs {
  readonly enablePasskeys: boolean;
  readonly featurePlan: cognito.FeaturePlan;
  readonly mfa: cognito.Mfa;
  readonly enableHostedUi: boolean;
  /** The custom domain of the hosted UI, when there is one. */
  readonly customDomainName?: string;
  /** The Cognito prefix of the hosted UI domain, used when there is no custom domain. */
  readonly domainPrefix: string;
  /** The stack's region (may be a token). */
  readonly region: string;
  /** `passkeyRelyingPartyId` as given. */
  readonly relyingPartyIdOverride?: string;
}

/** The user pool settings that turn passkeys on. */
export interface PasskeyPlan {
  readonly signInPolicy: cognito.SignInPolicy;
  readonly passkeyRelyingPartyId: string;
  readonly passkeyUserVerification: cognito.PasskeyUserVerification;
  /** `WebAuthnFactorConfiguration`: passkeys count as MFA wherever the pool has MFA on. */
  readonly factorConfiguration?: string;
}

/**
 * Decides the passkey settings, or fails with an error naming the prop that makes passkeys impossible.
 * Returns undefined when passkeys are off.
 */
export function planPasskeys(inputs: PasskeyInputs, validator: PropValidator): PasskeyPlan | undefined {
  const override = inputs.relyingPartyIdOverride;
  if (!inputs.enablePasskeys) {
    if (override !== undefined) {
      validator.fail('passkeyRelyingPartyId', JSON.stringify(override), 'only together with enablePasskeys: true');
    }
    return undefined;
  }
  if (inputs.featurePlan === cognito.FeaturePlan.LITE) {
    validator.fail('enablePasskeys', `true (featurePlan ${inputs.featurePlan})`,
      'passkeys only on the ESSENTIALS or PLUS feature plan',
      'Set enablePasskeys: false, or use a preset whose featurePlan is ESSENTIALS or PLUS.');
  }
  let relyingPartyId: string;
  if (inputs.enableHostedUi) {
    if (override !== undefined) {
      validator.fail('passkeyRelyingPartyId', JSON.stringify(override),
        'only without the hosted UI (enableHostedUi: false); with managed login the relying party must be its own domain, '
        + 'which the library sets (the custom domain when there is one, otherwise the Cognito prefix domain)');
    }
    relyingPartyId = inputs.customDomainName ?? `${inputs.domainPrefix}.auth.${inputs.region}.amazoncognito.com`;
  } else {
    if (override === undefined) {
      validator.fail('enablePasskeys', 'true without the hosted UI (enableHostedUi: false)',
        'a passkey relying party: the hosted UI domain (enableHostedUi: true), or passkeyRelyingPartyId, '
        + 'the domain of your own sign-in page, for API-only USER_AUTH sign-in');
    }
    validator.matches('passkeyRelyingPartyId', override, FQDN,
      `a lowercase fully qualified domain name of at most ${RELYING_PARTY_MAX_LENGTH} characters, such as app.medflow.example`);
    relyingPartyId = override;
  }
  if (!Token.isUnresolved(relyingPartyId) && relyingPartyId.length > RELYING_PARTY_MAX_LENGTH) {
    validator.fail('enablePasskeys', `true (relying party ${relyingPartyId} has ${relyingPartyId.length} characters)`,
      `a relying party ID of at most ${RELYING_PARTY_MAX_LENGTH} characters; choose a shorter domainPrefix or customDomain`);
  }
  return {
    signInPolicy: { allowedFirstAuthFactors: { password: true, passkey: true } },
    passkeyRelyingPartyId: relyingPartyId,
    passkeyUserVerification: cognito.PasskeyUserVerification.REQUIRED,
    factorConfiguration: inputs.mfa === cognito.Mfa.OFF ? undefined : PASSKEY_MULTI_FACTOR,
  };
}
