import { Duration, RemovalPolicy, aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UserPoolSesSender, applySesSourceArn, sesUserPoolEmail } from './email/ses-user-pool-email';
import { HealthcareAttributes } from './healthcare-attributes';
import { PasskeyPlan } from '../sign-in/passkeys';

/** Props of the user pool, from the resolved configuration. */
export interface HealthcareUserPoolProps {
  readonly userPoolName: string;
  readonly featurePlan: cognito.FeaturePlan;
  readonly threatProtectionMode: cognito.StandardThreatProtectionMode;
  readonly selfSignUpEnabled: boolean;
  readonly caseSensitiveUsernames: boolean;
  readonly mfa: cognito.Mfa;
  readonly passwordMinimumLength: number;
  readonly passwordHistorySize: number;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly passkeys?: PasskeyPlan;
  /** Remembered devices; none when undefined (no DeviceConfiguration). */
  readonly deviceTracking?: cognito.DeviceTracking;
  /** Email through this SES sender; Cognito's own sender when undefined. */
  readonly sesEmail?: UserPoolSesSender;
  /** Email one-time codes as a second factor beside TOTP, which stays on. */
  readonly emailMfa?: boolean;
}

/**
 * The user pool: email as the username, verified before use and the only recovery channel, the
 * seven healthcare attributes, a password policy with every character class, and TOTP as the only
 * second factor.
 */
export function createHealthcareUserPool(scope: Construct, props: HealthcareUserPoolProps): cognito.UserPool {
  const onPlus = props.featurePlan === cognito.FeaturePlan.PLUS;
  const { passkeys } = props;
  const pool = new cognito.UserPool(scope, 'UserPool', {
    userPoolName: props.userPoolName,
    featurePlan: props.featurePlan,
    standardThreatProtectionMode: onPlus ? props.threatProtectionMode : undefined,
    selfSignUpEnabled: props.selfSignUpEnabled,
    signInAliases: { email: true, username: false },
    signInCaseSensitive: props.caseSensitiveUsernames,
    autoVerify: { email: true },
    keepOriginal: { email: true },
    standardAttributes: {
      email: { required: true, mutable: true },
      givenName: { required: false, mutable: true },
      familyName: { required: false, mutable: true },
      phoneNumber: { required: false, mutable: true },
      locale: { required: false, mutable: true },
    },
    customAttributes: HealthcareAttributes.toCustomAttributes(),
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    userVerification: {
      emailStyle: cognito.VerificationEmailStyle.CODE,
      emailSubject: 'Verify your MedFlow account',
      emailBody: 'Welcome to MedFlow. Your verification code is {####}. It expires in 24 hours. If you did not request this, ignore this email and tell your clinic administrator.',
    },
    userInvitation: {
      emailSubject: 'Your MedFlow account',
      emailBody: 'Your clinic administrator created a MedFlow account for you. Username: {username}. Temporary password: {####}. Sign in within 7 days and choose a new password.',
    },
    mfa: props.mfa,
    // TOTP stays on beside email codes, so email is never the only second factor (EMAIL_OTP needs SES).
    mfaSecondFactor: props.mfa === cognito.Mfa.OFF ? undefined : { otp: true, sms: false, email: props.emailMfa ? true : undefined },
    email: props.sesEmail ? sesUserPoolEmail(props.sesEmail) : undefined,
    passwordPolicy: {
      minLength: props.passwordMinimumLength,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(7),
      passwordHistorySize: props.passwordHistorySize > 0 ? props.passwordHistorySize : undefined,
    },
    deletionProtection: props.deletionProtection,
    removalPolicy: props.removalPolicy,
    signInPolicy: passkeys?.signInPolicy,
    passkeyRelyingPartyId: passkeys?.passkeyRelyingPartyId,
    passkeyUserVerification: passkeys?.passkeyUserVerification,
    deviceTracking: props.deviceTracking,
  });
  if (props.sesEmail) applySesSourceArn(pool, props.sesEmail);
  if (passkeys?.factorConfiguration) {
    (pool.node.defaultChild as cognito.CfnUserPool).webAuthnFactorConfiguration = passkeys.factorConfiguration;
  }
  return pool;
}
