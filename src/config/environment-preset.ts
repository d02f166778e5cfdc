import { Duration, RemovalPolicy, aws_cognito as cognito, aws_logs as logs } from 'aws-cdk-lib';

/** What data an environment holds. It sets the `DataClassification` tag and decides which compliance reasons are true. */
export enum DataClassification {
  /** Protected health information: real patients and clinic staff. */
  PHI = 'PHI',
  /** Only synthetic test users and no patient data. */
  SYNTHETIC = 'synthetic',
}

/**
 * Every resolved default of an environment preset.
 *
 * `MedflowCognito` reads these; most can be overridden through the matching `MedflowCognitoProps`
 * member, and `EnvironmentPreset.withOverrides` derives a preset with any of them changed.
 * Settings added after the first release are optional and default from the base preset.
 */
export interface PresetSettings {
  /** Environment name used as the resource-name prefix and the `Environment` tag: `dev`, `staging` or `prod`. */
  readonly environmentName: string;
  /**
   * Whether the environment is production. Production refuses MFA off without
   * `allowProductionWithoutMfa`, and the healthcare checks judge its pool and clients as production.
   * It is never guessed from `environmentName`.
   */
  readonly production: boolean;
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
  /** Failed sign-in attempts before an account is locked (1–100). */
  readonly lockoutMaxAttempts: number;
  /** How long a locked account stays locked, from the moment it is locked (1 minute to 24 hours, whole seconds). */
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
   * replace the user pool, its domain or the identity pool (see `ReplacementGuardOptions`).
   * @default - the base preset's: on in staging and prod, off in dev
   */
  readonly enableReplacementGuard?: boolean;
  /**
   * What data the environment holds: the `DataClassification` tag, and the basis of every
   * acknowledgement that relies on the environment holding no patient data.
   * @default - the base preset's: SYNTHETIC in dev, PHI in staging and prod
   */
  readonly dataClassification?: DataClassification;
  /**
   * Whether the trigger functions get reserved concurrency by default. A reservation fails the
   * deployment in accounts whose concurrency limit cannot keep 100 executions unreserved, which is
   * common for new development accounts.
   * @default - the base preset's: off in dev, on in staging and prod
   */
  readonly reserveTriggerConcurrency?: boolean;
  /**
   * Whether email must go through Amazon SES (`email: EmailSender.ses(...)`). Cognito's own sender
   * is limited to 50 emails a day per account and sends from a Cognito address.
   * @default - the base preset's: off in dev, on in staging and prod
   */
  readonly requireSesEmail?: boolean;
  /**
   * Whether the user pool encrypts its user data with a customer-managed, multi-Region KMS key
   * (the library's user data key, or `userDataKey`) instead of an AWS owned key.
   * @default - the base preset's: off in dev, on in staging and prod
   */
  readonly customerManagedUserDataKey?: boolean;
  /**
   * How devices are remembered: in staging and prod a device is remembered only when the user
   * opts in, and a new device is challenged. A remembered device lets its user skip MFA there.
   * @default - the base preset's: no device tracking in dev; opt-in with a challenge on new devices in staging and prod
   */
  readonly deviceTracking?: cognito.DeviceTracking;
  /**
   * Whether the backend and federated app clients rotate refresh tokens: each refresh returns a new
   * refresh token and invalidates the one sent, after `refreshTokenRotationGracePeriod`, so that a
   * stolen refresh token stops working at its owner's next refresh. With rotation on, clients
   * refresh through GetTokensFromRefreshToken or the token endpoint; Cognito refuses
   * REFRESH_TOKEN_AUTH through InitiateAuth and AdminInitiateAuth.
   * @default - the base preset's: off in dev, on in staging and prod
   */
  readonly refreshTokenRotation?: boolean;
}

/**
 * Changes to a preset for `EnvironmentPreset.withOverrides`. Every member is optional; a member
 * left out keeps the base preset's value.
 */
export interface PresetOverrides {
  /** @default - the base preset's */
  readonly environmentName?: string;
  /** @default - the base preset's */
  readonly production?: boolean;
  /** @default - the base preset's */
  readonly mfa?: cognito.Mfa;
  /** @default - the base preset's */
  readonly passwordMinimumLength?: number;
  /** @default - the base preset's */
  readonly passwordHistorySize?: number;
  /** @default - the base preset's */
  readonly accessTokenValidity?: Duration;
  /** @default - the base preset's */
  readonly idTokenValidity?: Duration;
  /** @default - the base preset's */
  readonly refreshTokenValidity?: Duration;
  /** @default - the base preset's */
  readonly generateClientSecret?: boolean;
  /** @default - the base preset's */
  readonly allowUserPasswordAuth?: boolean;
  /** @default - the base preset's */
  readonly featurePlan?: cognito.FeaturePlan;
  /** @default - the base preset's */
  readonly threatProtectionMode?: cognito.StandardThreatProtectionMode;
  /** @default - the base preset's */
  readonly lockoutMaxAttempts?: number;
  /** @default - the base preset's */
  readonly lockoutDuration?: Duration;
  /** @default - the base preset's */
  readonly enableIdentityPool?: boolean;
  /** @default - the base preset's */
  readonly enableHostedUi?: boolean;
  /** @default - the base preset's */
  readonly deletionProtection?: boolean;
  /** @default - the base preset's */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - the base preset's */
  readonly logRetention?: logs.RetentionDays;
  /** @default - the base preset's */
  readonly enableAlarms?: boolean;
  /** @default - the base preset's */
  readonly enableBackup?: boolean;
  /** @default - the base preset's */
  readonly selfSignUpEnabled?: boolean;
  /** @default - the base preset's */
  readonly enablePasskeys?: boolean;
  /** @default - the base preset's */
  readonly enableReplacementGuard?: boolean;
  /** @default - the base preset's */
  readonly dataClassification?: DataClassification;
  /** @default - the base preset's */
  readonly reserveTriggerConcurrency?: boolean;
  /** @default - the base preset's */
  readonly requireSesEmail?: boolean;
  /** @default - the base preset's */
  readonly customerManagedUserDataKey?: boolean;
  /** @default - the base preset's */
  readonly deviceTracking?: cognito.DeviceTracking;
  /** @default - the base preset's */
  readonly refreshTokenRotation?: boolean;
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
  dataClassification: DataClassification.PHI,
  reserveTriggerConcurrency: true,
  requireSesEmail: true,
  customerManagedUserDataKey: true,
  deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
  refreshTokenRotation: true,
};

/**
 * A named set of defaults for one MedFlow environment.
 *
 * @example
 * const prodSettings = EnvironmentPreset.prod().settings;
 * const secondRegion = EnvironmentPreset.prod().withOverrides({ environmentName: 'prodeu' });
 */
export class EnvironmentPreset {
  /** Development: relaxed, cheap, disposable, synthetic users only. No MFA, 8-hour tokens, destroyed with the stack. */
  public static dev(): EnvironmentPreset {
    return new EnvironmentPreset({
      ...COMMON,
      environmentName: 'dev',
      production: false,
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
      dataClassification: DataClassification.SYNTHETIC,
      reserveTriggerConcurrency: false,
      requireSesEmail: false,
      customerManagedUserDataKey: false,
      refreshTokenRotation: false,
    });
  }

  /** Staging: production-like security with test-friendly USER_PASSWORD_AUTH and optional MFA. Not production. */
  public static staging(): EnvironmentPreset {
    return new EnvironmentPreset({
      ...PRODUCTION_LIKE,
      environmentName: 'staging',
      production: false,
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
      production: true,
      mfa: cognito.Mfa.REQUIRED,
      passwordHistorySize: 10,
      allowUserPasswordAuth: false,
      threatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      // HIPAA requires security documentation to be kept for six years (45 CFR 164.316(b)(2)(i)).
      logRetention: logs.RetentionDays.SIX_YEARS,
    });
  }

  /**
   * A preset with fully custom settings. Optional settings left out come from `prod()` when
   * `production` is true and from `staging()` otherwise. Prefer `withOverrides` on a named preset.
   * The settings are validated when `MedflowCognito` uses them.
   */
  public static custom(settings: PresetSettings): EnvironmentPreset {
    if (typeof settings?.production !== 'boolean') {
      throw new Error(`EnvironmentPreset.custom: invalid settings.production ${JSON.stringify(settings?.production ?? null)}; `
        + 'allowed: true or false, stating whether the environment is production (it is never guessed from the name).');
    }
    const base = settings.production ? EnvironmentPreset.prod() : EnvironmentPreset.staging();
    return base.withOverrides(settings);
  }

  /** Every resolved default of this preset. */
  public readonly settings: PresetSettings;

  private constructor(settings: PresetSettings) {
    this.settings = Object.freeze({ ...settings });
  }

  /**
   * A preset derived from this one: every member of `overrides` that is set replaces this preset's
   * value, and every other setting stays as it is. `EnvironmentPreset.prod().withOverrides({ environmentName: 'prodeu' })`
   * is still production.
   */
  public withOverrides(overrides: PresetOverrides): EnvironmentPreset {
    const changed = Object.fromEntries(Object.entries(overrides ?? {}).filter(([, value]) => value !== undefined));
    return new EnvironmentPreset({ ...this.settings, ...changed });
  }

  /** The environment name (`dev`, `staging`, `prod` or a custom one). */
  public get environmentName(): string {
    return this.settings.environmentName;
  }

  /** Whether this preset describes a production environment: `settings.production`. */
  public get isProduction(): boolean {
    return this.settings.production;
  }
}
