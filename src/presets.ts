import { Duration, RemovalPolicy, aws_cognito as cognito, aws_logs as logs } from 'aws-cdk-lib';

/**
 * Every resolved default of an environment preset.
 *
 * `MedflowCognito` reads these; each one can be overridden through the matching
 * `MedflowCognitoProps` member.
 */
export interface PresetSettings {
  /** Environment name used as the resource-name prefix and the `Environment` tag: `dev`, `staging` or `prod`. */
  readonly environmentName: string;
  /** MFA enforcement for the user pool (TOTP is the only second factor). */
  readonly mfa: cognito.Mfa;
  /** Minimum password length (8–99). */
  readonly passwordMinimumLength: number;
  /** How many previous passwords a user may not reuse; 0 disables the check. */
  readonly passwordHistorySize: number;
  /** Validity of access tokens. */
  readonly accessTokenValidity: Duration;
  /** Validity of ID tokens. */
  readonly idTokenValidity: Duration;
  /** Validity of refresh tokens. */
  readonly refreshTokenValidity: Duration;
  /** Whether the backend app client gets a client secret (kept in Secrets Manager). */
  readonly generateClientSecret: boolean;
  /** Whether the backend app client allows `ALLOW_USER_PASSWORD_AUTH` (plain password over TLS, for test tooling). */
  readonly allowUserPasswordAuth: boolean;
  /** Cognito feature plan. */
  readonly featurePlan: cognito.FeaturePlan;
  /** Threat protection for standard authentication; only applies on the Plus plan. */
  readonly threatProtectionMode: cognito.StandardThreatProtectionMode;
  /** Failed sign-in attempts before an account is locked. */
  readonly lockoutMaxAttempts: number;
  /** How long a locked account stays locked after the last failed attempt. */
  readonly lockoutDuration: Duration;
  /** Whether an identity pool is created. */
  readonly enableIdentityPool: boolean;
  /** Whether a hosted UI (Cognito prefix domain) is created. */
  readonly enableHostedUi: boolean;
  /** Whether CloudFormation deletion protection is active on the user pool. */
  readonly deletionProtection: boolean;
  /** Removal policy for the user pool and the data-bearing resources around it. */
  readonly removalPolicy: RemovalPolicy;
  /** Retention of every log group the library creates. */
  readonly logRetention: logs.RetentionDays;
  /** Whether alarms are created (otherwise a dashboard only). */
  readonly enableAlarms: boolean;
  /** Whether the daily user export runs. */
  readonly enableBackup: boolean;
  /** Whether users may sign themselves up. Clinic staff accounts are created by admins. */
  readonly selfSignUpEnabled: boolean;
  /**
   * Whether users may sign in with passkeys (WebAuthn: FIDO2 security keys and platform
   * authenticators) besides passwords, with user verification required.
   */
  readonly enablePasskeys: boolean;
  /**
   * Whether the replacement guard is on: synthesis fails when a change would make CloudFormation
   * replace the user pool, its domain or the identity pool (see `ReplacementGuard`).
   * @default true
   */
  readonly enableReplacementGuard?: boolean;
}

const COMMON = {
  refreshTokenValidity: Duration.days(30),
  selfSignUpEnabled: false,
};

const PRODUCTION_LIKE = {
  ...COMMON,
  passwordMinimumLength: 12,
  accessTokenValidity: Duration.hours(1),
  idTokenValidity: Duration.hours(1),
  generateClientSecret: true,
  featurePlan: cognito.FeaturePlan.PLUS,
  lockoutMaxAttempts: 5,
  lockoutDuration: Duration.minutes(30),
  enableIdentityPool: true,
  enableHostedUi: true,
  deletionProtection: true,
  removalPolicy: RemovalPolicy.RETAIN,
  enableAlarms: true,
  enableBackup: true,
  enablePasskeys: true,
  enableReplacementGuard: true,
};

/**
 * A named set of defaults for one MedFlow environment.
 *
 * @example
 * const settings = EnvironmentPreset.prod().settings;
 */
export class EnvironmentPreset {
  /** Development: relaxed, cheap, disposable. No MFA, 8-hour tokens, destroyed with the stack. */
  public static dev(): EnvironmentPreset {
    return new EnvironmentPreset({
      ...COMMON,
      environmentName: 'dev',
      mfa: cognito.Mfa.OFF,
      passwordMinimumLength: 8,
      passwordHistorySize: 0,
      accessTokenValidity: Duration.hours(8),
      idTokenValidity: Duration.hours(8),
      generateClientSecret: false,
      allowUserPasswordAuth: true,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      threatProtectionMode: cognito.StandardThreatProtectionMode.NO_ENFORCEMENT,
      lockoutMaxAttempts: 10,
      lockoutDuration: Duration.minutes(5),
      enableIdentityPool: false,
      enableHostedUi: true,
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: logs.RetentionDays.ONE_MONTH,
      enableAlarms: false,
      enableBackup: false,
      enablePasskeys: false,
      enableReplacementGuard: false,
    });
  }

  /** Staging: production-like security with test-friendly USER_PASSWORD_AUTH and optional MFA. */
  public static staging(): EnvironmentPreset {
    return new EnvironmentPreset({
      ...PRODUCTION_LIKE,
      environmentName: 'staging',
      mfa: cognito.Mfa.OPTIONAL,
      passwordHistorySize: 5,
      allowUserPasswordAuth: true,
      threatProtectionMode: cognito.StandardThreatProtectionMode.AUDIT_ONLY,
      logRetention: logs.RetentionDays.ONE_YEAR,
    });
  }

  /** Production: MFA required, SRP only, threat protection enforced, six-year log retention. */
  public static prod(): EnvironmentPreset {
    return new EnvironmentPreset({
      ...PRODUCTION_LIKE,
      environmentName: 'prod',
      mfa: cognito.Mfa.REQUIRED,
      passwordHistorySize: 10,
      allowUserPasswordAuth: false,
      threatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      // HIPAA requires security documentation to be kept for six years (45 CFR 164.316(b)(2)(i)).
      logRetention: logs.RetentionDays.SIX_YEARS,
    });
  }

  /**
   * A preset with fully custom settings, for example a second production-like region.
   * The settings are validated when `MedflowCognito` uses them.
   */
  public static custom(settings: PresetSettings): EnvironmentPreset {
    return new EnvironmentPreset(settings);
  }

  /** Every resolved default of this preset. */
  public readonly settings: PresetSettings;

  private constructor(settings: PresetSettings) {
    this.settings = settings;
  }

  /** The environment name (`dev`, `staging`, `prod` or a custom one). */
  public get environmentName(): string {
    return this.settings.environmentName;
  }

  /** Whether this preset describes a production environment, where the strictest guards apply. */
  public get isProduction(): boolean {
    return this.settings.environmentName === 'prod';
  }
}
