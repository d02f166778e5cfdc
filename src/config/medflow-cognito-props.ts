import { Duration, aws_certificatemanager as acm, aws_cognito as cognito, aws_kms as kms, aws_route53 as route53, aws_s3 as s3 } from 'aws-cdk-lib';
import { EnvironmentPreset } from './environment-preset';
import { HealthcareRole } from '../identity/healthcare-roles';
import { AlarmThresholds, AuthEventsDestination } from '../operations';
import { ReplacementGuardOptions } from '../rollout/replacement-guard';
import { HospitalIdentityProvider } from '../sign-in/hospital-identity-provider';
import { LocalizedUrl } from '../sign-in/localized-url';
import { SecurityTriggersOptions } from '../triggers/security-triggers';
import { EmailSender } from '../user-pool/email/email-sender';
import { ThreatProtectionOptions } from '../user-pool/threat-protection/threat-protection-options';

/**
 * The names of the tenant claims the pre token generation trigger adds to access tokens from the
 * user's `custom:clinic_id` and `custom:user_role`.
 */
export interface AccessTokenClaims {
  /**
   * Claim holding the user's clinic UUID: 1-64 characters of a-z, A-Z, 0-9, `_`, `-` and `.`, not
   * a reserved JWT or Cognito claim (`sub`, `iss`, `aud`, `exp`, `iat`, `scope`, `token_use`,
   * `client_id`, `username`, `auth_time`, `jti`, `origin_jti`, `event_id`, `version`, `cognito:*`).
   * @default 'clinic_id'
   */
  readonly clinicIdClaim?: string;
  /**
   * Claim holding the user's healthcare role, with the same rules as `clinicIdClaim`.
   * @default 'user_role'
   */
  readonly userRoleClaim?: string;
}

/** A custom domain for the hosted UI. */
export interface CustomDomainOptions {
  /** Fully qualified domain name, for example `auth.medflow.example`. Its parent domain must resolve in DNS. */
  readonly domainName: string;
  /**
   * ACM certificate for `domainName`, issued in us-east-1 (Cognito serves the domain through CloudFront).
   * @default - created and validated through `hostedZone`, which needs the stack in us-east-1
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Route 53 zone of `domainName`. When given, alias A and AAAA records point the name at the
   * domain's CloudFront distribution, and a missing certificate is created with DNS validation.
   * @default - no DNS records are managed
   */
  readonly hostedZone?: route53.IHostedZone;
}

/** Props for `MedflowCognito`. Every optional member overrides the preset's value. */
export interface MedflowCognitoProps {
  /** The environment preset: `EnvironmentPreset.dev()`, `.staging()` or `.prod()`. */
  readonly preset: EnvironmentPreset;
  /**
   * Project name used in resource names (`{environment}-{projectName}-cognito-{resource}`) and the `Project` tag.
   * @default 'medflow'
   */
  readonly projectName?: string;
  /**
   * User pool name.
   * @default '{environment}-{projectName}-cognito-user-pool'
   */
  readonly userPoolName?: string;
  /**
   * Backend app client name.
   * @default '{environment}-{projectName}-cognito-app-client'
   */
  readonly appClientName?: string;
  /**
   * Whether MFA (TOTP) is enabled. `true` keeps the preset's mode, or makes MFA required when the
   * preset has it off; `false` turns it off, which a production preset (`settings.production`)
   * refuses unless `allowProductionWithoutMfa` is set.
   * @default - the preset's MFA mode (dev OFF, staging OPTIONAL, prod REQUIRED)
   */
  readonly enableMfa?: boolean;
  /**
   * Explicitly accepts a production user pool without required MFA, for a documented risk
   * acceptance. The compliance acknowledgements then say that the risk was accepted.
   * @default false
   */
  readonly allowProductionWithoutMfa?: boolean;
  /**
   * Minimum password length, 8 to 99.
   * @default - the preset's (dev 8, staging and prod 12)
   */
  readonly passwordMinimumLength?: number;
  /**
   * Access token validity, 5 minutes to 1 day.
   * @default - the preset's (dev 8 hours, staging and prod 1 hour)
   */
  readonly accessTokenValidity?: Duration;
  /**
   * ID token validity, 5 minutes to 1 day.
   * @default - the preset's (dev 8 hours, staging and prod 1 hour)
   */
  readonly idTokenValidity?: Duration;
  /**
   * Refresh token validity, 1 hour to 3650 days.
   * @default - the preset's (30 days in every preset)
   */
  readonly refreshTokenValidity?: Duration;
  /**
   * How long a rotated-out refresh token stays valid after GetTokensFromRefreshToken returned its
   * successor, so that a client whose response was lost can retry: whole seconds from 0 (none) to
   * 60. Only with refresh-token rotation on (the preset's `refreshTokenRotation`, on in staging and prod).
   * @default Duration.seconds(10)
   */
  readonly refreshTokenRotationGracePeriod?: Duration;
  /**
   * Whether the backend app client has a client secret, kept in Secrets Manager.
   * @default - the preset's (dev false, staging and prod true)
   */
  readonly generateClientSecret?: boolean;
  /**
   * The backend client's auth flows; a flow left unset keeps the preset's. `adminUserPassword` (`ALLOW_ADMIN_USER_PASSWORD_AUTH`) is the
   * server-side choice: the backend signs users in with `AdminInitiateAuth`, authorized by IAM and the
   * client secret, and the password never reaches a browser-facing client. `userPassword` in a
   * production preset needs `allowPasswordAuthInProduction`. With passkeys on, `user` must stay on.
   * @default - the preset's: SRP and refresh everywhere, `USER_PASSWORD_AUTH` where the preset allows it
   * (dev, staging), `USER_AUTH` where passkeys are on (staging, prod)
   */
  readonly authFlows?: cognito.AuthFlow;
  /**
   * Explicitly accepts `authFlows.userPassword` (`ALLOW_USER_PASSWORD_AUTH`, the password sent to
   * Cognito itself) on a production client, for a documented risk acceptance. The compliance
   * acknowledgements then say that the risk was accepted.
   * @default false
   */
  readonly allowPasswordAuthInProduction?: boolean;
  /**
   * Whether usernames are case sensitive.
   * @default false
   */
  readonly caseSensitiveUsernames?: boolean;
  /**
   * Whether users may sign themselves up. Clinic staff accounts are normally created by admins.
   * @default - the preset's (false in every preset)
   */
  readonly selfSignUpEnabled?: boolean;
  /**
   * Whether an identity pool is created, linked to the user pool and the backend client.
   * @default - the preset's (dev false, staging and prod true)
   */
  readonly enableIdentityPool?: boolean;
  /**
   * Whether a hosted UI domain is created.
   * @default - the preset's (true in every preset)
   */
  readonly enableHostedUi?: boolean;
  /**
   * Prefix of the Cognito-hosted domain: lowercase letters, digits and hyphens, without `aws`, `amazon` or `cognito`.
   * @default '{environment}-{projectName}-auth'
   */
  readonly domainPrefix?: string;
  /**
   * A custom domain for the hosted UI, used instead of the Cognito prefix domain.
   * @default - the Cognito prefix domain
   */
  readonly customDomain?: CustomDomainOptions;
  /**
   * OAuth callback URLs of the backend client. https only; `http://localhost` is accepted where the
   * environment is not production and holds only synthetic data (the dev preset).
   * When none are given, the client has OAuth disabled and signs users in through the API.
   * @default - OAuth disabled
   */
  readonly callbackUrls?: string[];
  /**
   * OAuth sign-out URLs of the backend client, validated like `callbackUrls`.
   * @default - none
   */
  readonly logoutUrls?: string[];
  /**
   * The healthcare roles: each gets a user pool group, the OAuth scopes it needs and, with the
   * identity pool, an IAM role chosen by the `custom:user_role` claim. At most 25.
   * @default HealthcareRole.defaults(): clinic_admin, physician, nurse, receptionist
   */
  readonly healthcareRoles?: HealthcareRole[];
  /**
   * Bucket of clinic documents. Each role may reach only `clinics/<its clinic_id>/clinical/*` and
   * `clinics/<its clinic_id>/admin/*`, as its document access allows.
   * @default - roles get no S3 access
   */
  readonly documentsBucket?: s3.IBucket;
  /**
   * Whether the identity pool gives guests unauthenticated identities (with a role that has no permissions).
   * @default false
   */
  readonly allowUnauthenticatedIdentities?: boolean;
  /**
   * Name of the IAM role for authenticated identities.
   * @default '{environment}-{projectName}-cognito-authenticated-role'
   */
  readonly authenticatedRoleName?: string;
  /**
   * Name of the IAM role for unauthenticated identities (which are disabled).
   * @default '{environment}-{projectName}-cognito-unauthenticated-role'
   */
  readonly unauthenticatedRoleName?: string;
  /**
   * How often the app client secrets (the backend client's and, with federation, the federated
   * client's) are rotated, in whole hours from 4 hours to 1000 days (Secrets Manager's bounds).
   * Ignored when the clients have no secret.
   * @default Duration.days(30)
   */
  readonly clientSecretRotationSchedule?: Duration;
  /**
   * How long a replaced app client secret (of either client) stays valid after the new one became current, from 1 hour
   * to 7 days and shorter than `clientSecretRotationSchedule`. Backends must re-read the secret within it.
   * @default - 1 day, or half the rotation schedule when that is shorter
   */
  readonly clientSecretGracePeriod?: Duration;
  /**
   * Whether users may sign in with passkeys (FIDO2 security keys and platform authenticators)
   * besides passwords. Turns on the PASSWORD + WEB_AUTHN sign-in policy, `ALLOW_USER_AUTH` on the
   * backend client and required user verification; where MFA is on, a verified passkey counts as MFA.
   * Needs the ESSENTIALS or PLUS plan.
   * @default - the preset's (dev false, staging and prod true)
   */
  readonly enablePasskeys?: boolean;
  /**
   * Passkey relying party ID for a pool without the hosted UI, where users register passkeys
   * through your own page and the `USER_AUTH` API: that page's domain. With the hosted UI the
   * relying party is the hosted UI domain and this prop is refused.
   * @default - the custom domain when there is one, otherwise the Cognito prefix domain
   */
  readonly passkeyRelyingPartyId?: string;
  /**
   * Hospital SAML and OIDC identity providers. They get their own app client (`federatedClient`),
   * which needs `callbackUrls` and the hosted UI.
   * @default - no federation
   */
  readonly identityProviders?: HospitalIdentityProvider[];
  /**
   * Names of the tenant claims access tokens carry: the user's clinic and role, added by the pre
   * token generation trigger when the attributes pass `HealthcareAttributeValidator`.
   * @default - `clinic_id` and `user_role`
   */
  readonly accessTokenClaims?: AccessTokenClaims;
  /**
   * Terms of use linked from the managed login sign-up page of every app client, per language.
   * Needs `privacyPolicyUrl` too: Cognito shows neither document without the other.
   * @default - none
   */
  readonly termsOfUseUrl?: LocalizedUrl;
  /**
   * Privacy notice linked from the managed login sign-up page of every app client, per language.
   * Needs `termsOfUseUrl` too.
   * @default - none
   */
  readonly privacyPolicyUrl?: LocalizedUrl;
  /**
   * Options of the lockout, sign-up validation and localized message triggers.
   * @default - fail open, reserved concurrency where the preset's `reserveTriggerConcurrency` is on (staging, prod), no VPC
   */
  readonly securityTriggers?: SecurityTriggersOptions;
  /**
   * Email address subscribed to the alarm topic. Needs alarms (`enableAlarms`: staging and prod).
   * @default - no subscription; subscribe your pager to `monitoring.alarmTopic`
   */
  readonly alarmEmail?: string;
  /**
   * Monthly budget in US dollars for resources tagged with this project and environment, with
   * alerts at 80% and 100% to the alarm topic. Needs alarms (`enableAlarms`: staging and prod).
   * @default - no budget
   */
  readonly monthlyBudget?: number;
  /**
   * Alarm thresholds of the dashboard's alarms.
   * @default - the documented defaults of `AlarmThresholds`
   */
  readonly alarmThresholds?: AlarmThresholds;
  /**
   * Where user auth events are delivered on the Plus plan (staging and prod).
   * @default AuthEventsDestination.CLOUDWATCH_LOGS
   */
  readonly authEventsDestination?: AuthEventsDestination;
  /**
   * The replacement guard: fails synthesis when a change would make CloudFormation replace the
   * user pool, its domain or the identity pool, comparing with the committed `cognito.lock.json`.
   * @default - on (RECORD) where the preset's `enableReplacementGuard` is (staging, prod), off in dev; the lock file is read and written only under the CDK CLI (or integ-runner) or when `lockFile` is given
   */
  readonly replacementGuard?: ReplacementGuardOptions;
  /**
   * Who sends the user pool's email: verification codes, invitations, password resets, email MFA
   * codes and threat protection notifications. Where the preset's `requireSesEmail` is on (staging,
   * prod) it must be `EmailSender.ses(...)`, unless `allowCognitoDefaultEmail` accepts the risk.
   * @default - `EmailSender.cognitoDefault()` where the preset allows it (dev); required otherwise
   */
  readonly email?: EmailSender;
  /**
   * Explicitly accepts Cognito's built-in sender where the preset requires SES: at most 50 emails
   * a day per account, after which verification and password recovery silently stop.
   * @default false
   */
  readonly allowCognitoDefaultEmail?: boolean;
  /**
   * Whether users may choose a one-time code by email (`EMAIL_OTP`) as their second factor,
   * besides TOTP, which stays on. Needs an SES sender, MFA on and the Essentials or Plus plan.
   * @default false
   */
  readonly enableEmailMfa?: boolean;
  /**
   * A customer-managed KMS key, in this stack's Region, to encrypt the user pool's user data with
   * (`KeyConfiguration`). It is used as it is: its key policy must let Cognito
   * (`cognito-idp.amazonaws.com`, conditioned on `aws:SourceAccount` and `aws:SourceArn`) use it for
   * this pool, and the deploying role create grants on it (docs/user-data-encryption.md). Giving one
   * turns on customer-managed encryption in any preset. Use a multi-Region key to replicate the pool.
   * @default - the library's multi-Region user data key where the preset's `customerManagedUserDataKey` is on (staging, prod); an AWS owned key in dev
   */
  readonly userDataKey?: kms.IKey;
  /**
   * The actions of threat protection, on the Plus plan (staging audits, prod enforces).
   * @default - compromised credentials blocked; low risk allowed, medium risk MFA (notify where MFA is off), high risk blocked
   */
  readonly threatProtection?: ThreatProtectionOptions;
  /**
   * How devices are remembered.
   * @default - the preset's `deviceTracking`
   */
  readonly deviceTracking?: cognito.DeviceTracking;
}
