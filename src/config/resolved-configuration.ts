import { Duration, RemovalPolicy, aws_certificatemanager as acm, aws_cognito as cognito, aws_kms as kms, aws_logs as logs, aws_route53 as route53, aws_s3 as s3 } from 'aws-cdk-lib';
import { DataClassification, PresetSettings } from './environment-preset';
import { HealthcareRole } from '../identity/healthcare-roles';
import { ResourceNames } from '../internal/resource-names';
import { AlarmThresholds, AuthEventsDestination } from '../operations';
import { ReplacementGuardMode } from '../rollout/replacement-guard';
import { HospitalIdentityProvider } from '../sign-in/hospital-identity-provider';
import { PasskeyPlan } from '../sign-in/passkeys';
import { SecurityTriggersProps } from '../triggers/security-triggers';
import { UserPoolSesSender } from '../user-pool/email/ses-user-pool-email';
import { CompromisedCredentialsResponse, RiskResponse } from '../user-pool/threat-protection/threat-protection-options';

/*
 * The one resolved configuration `MedflowCognito` builds from: props + preset, every default
 * applied and every cross-prop check done once (resolve.ts). Capabilities read the narrow part they
 * need. Internal: not part of the public API.
 */

/** What the environment is, which decides the guards and the truth of every acknowledgement. */
export interface EnvironmentProfile {
  readonly name: string;
  readonly production: boolean;
  readonly dataClassification: DataClassification;
  /** `allowProductionWithoutMfa` was set and the production pool does not require MFA. */
  readonly productionWithoutMfaAccepted: boolean;
  /** `allowPasswordAuthInProduction` was set and the production backend client allows `USER_PASSWORD_AUTH`. */
  readonly productionPasswordAuthAccepted: boolean;
}

export interface UserPoolConfiguration {
  readonly userPoolName: string;
  readonly caseSensitiveUsernames: boolean;
  readonly passkeys?: PasskeyPlan;
  /** Email one-time codes as a second factor besides TOTP. */
  readonly emailMfa: boolean;
  readonly deviceTracking?: cognito.DeviceTracking;
}

/** An SES sender with every default applied: what the pool sends as, and where its deliverability resources come from. */
export interface SesSenderConfiguration extends UserPoolSesSender {
  /** The configuration set is the library's, with its event destinations; otherwise it is named by the user. */
  readonly createConfigurationSet: boolean;
  /** Where the domain identity and its DKIM records are created. */
  readonly hostedZone?: route53.IHostedZone;
}

export interface EmailConfiguration {
  /** Email goes through SES; Cognito's own sender when undefined. */
  readonly ses?: SesSenderConfiguration;
  /** Cognito's sender where the preset requires SES, accepted by `allowCognitoDefaultEmail`. */
  readonly defaultSenderAccepted: boolean;
}

export interface UserDataKeyConfiguration {
  /** User data is under a customer-managed key (otherwise an AWS owned key). */
  readonly customerManaged: boolean;
  /** The user's key; the library's user data key when customer-managed and undefined. */
  readonly key?: kms.IKey;
}

export interface RiskLevelConfiguration {
  readonly response: RiskResponse;
  readonly notify: boolean;
}

/** The risk configuration of a pool on the Plus plan. */
export interface ThreatProtectionConfiguration {
  readonly compromisedCredentials: CompromisedCredentialsResponse;
  readonly lowRisk: RiskLevelConfiguration;
  readonly mediumRisk: RiskLevelConfiguration;
  readonly highRisk: RiskLevelConfiguration;
  readonly blockedIpRanges: string[];
  readonly skippedIpRanges: string[];
  /** Threat protection acts (FULL_FUNCTION); otherwise it audits only. */
  readonly enforced: boolean;
}

export interface AppClientConfiguration {
  readonly appClientName: string;
  /** Every flow decided: the preset's, or `authFlows` as given. */
  readonly authFlows: Required<cognito.AuthFlow>;
  readonly callbackUrls: string[];
  readonly logoutUrls: string[];
  /** Authorization code grant through the hosted UI, when there are callback URLs. */
  readonly oAuthEnabled: boolean;
}

export interface SecretRotationConfiguration {
  readonly schedule: Duration;
  readonly gracePeriod: Duration;
}

/** Refresh-token rotation of the backend and federated clients (machine clients get no refresh tokens). */
export interface RefreshTokenRotationConfiguration {
  /** `RetryGracePeriodSeconds`: how long the rotated-out refresh token stays valid, 0-60 s. */
  readonly gracePeriod: Duration;
}

export interface HostedUiConfiguration {
  readonly domainPrefix: string;
  readonly customDomain?: {
    readonly domainName: string;
    readonly hostedZone?: route53.IHostedZone;
    /** The given certificate; undefined when one is created through `hostedZone` in this us-east-1 stack. */
    readonly certificate?: acm.ICertificate;
  };
}

export interface FederationConfiguration {
  readonly providers: HospitalIdentityProvider[];
  readonly clientName: string;
  readonly secretName: string;
}

export interface TermsConfiguration {
  readonly termsOfUse: Record<string, string>;
  readonly privacyPolicy: Record<string, string>;
}

export interface IdentityPoolConfiguration {
  readonly identityPoolName: string;
  readonly authenticatedRoleName: string;
  readonly unauthenticatedRoleName: string;
  readonly allowUnauthenticatedIdentities: boolean;
  readonly documentsBucket?: s3.IBucket;
}

/** The part of `SecurityTriggersProps` the configuration decides. */
export type TriggersConfiguration = Pick<SecurityTriggersProps, 'lockoutMaxAttempts' | 'lockoutDuration' | 'failureMode'
| 'reserveConcurrency' | 'authenticationConcurrency' | 'messageConcurrency' | 'vpc' | 'vpcSubnets' | 'globalLockoutTable'>;

export interface OperationsConfiguration {
  readonly enableAlarms: boolean;
  readonly enableBackup: boolean;
  /** The pool is on the Plus plan: threat protection metrics and user auth events exist. */
  readonly plusPlan: boolean;
  readonly alarmEmail?: string;
  readonly monthlyBudget?: number;
  readonly alarmThresholds?: AlarmThresholds;
  readonly authEventsDestination: AuthEventsDestination;
}

export interface ReplacementGuardConfiguration {
  readonly defaultMode: ReplacementGuardMode;
  readonly mode?: ReplacementGuardMode;
  readonly lockFile?: string;
  readonly acknowledgedChanges?: string[];
}

/** Logs of every function and log group the library creates. */
export interface LogConfiguration {
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The tenant claim names of access tokens. */
export interface AccessTokenClaimsConfiguration {
  readonly clinicIdClaim: string;
  readonly userRoleClaim: string;
}

export interface ResolvedConfiguration {
  /** The preset with every override applied: `MedflowCognito.settings`. */
  readonly settings: PresetSettings;
  readonly environment: EnvironmentProfile;
  readonly projectName: string;
  readonly names: ResourceNames;
  /** SSM path of the backend configuration, `/{environment}/{projectName}/cognito`. */
  readonly parameterPath: string;
  readonly roles: HealthcareRole[];
  readonly accessTokenClaims: AccessTokenClaimsConfiguration;
  readonly userPool: UserPoolConfiguration;
  readonly email: EmailConfiguration;
  readonly userDataKey: UserDataKeyConfiguration;
  /** On the Plus plan only. */
  readonly threatProtection?: ThreatProtectionConfiguration;
  readonly appClient: AppClientConfiguration;
  /** The OAuth scopes every backend client may request. */
  readonly oAuthScopes: cognito.OAuthScope[];
  /** The rotation of every app client secret (the backend's when `generateClientSecret`, federated and machine clients'). */
  readonly clientSecretRotation: SecretRotationConfiguration;
  /** Refresh-token rotation of the user-facing clients; undefined when it is off. */
  readonly refreshTokenRotation?: RefreshTokenRotationConfiguration;
  readonly hostedUi?: HostedUiConfiguration;
  readonly federation?: FederationConfiguration;
  readonly terms?: TermsConfiguration;
  readonly identityPool?: IdentityPoolConfiguration;
  readonly triggers: TriggersConfiguration;
  readonly operations: OperationsConfiguration;
  readonly replacementGuard: ReplacementGuardConfiguration;
  readonly logs: LogConfiguration;
}
