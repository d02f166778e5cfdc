import { Duration, Stack, Token, aws_certificatemanager as acm, aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DataClassification, EnvironmentPreset, PresetSettings } from './environment-preset';
import { validateProviders } from './federation-checks';
import { MedflowCognitoProps } from './medflow-cognito-props';
import {
  AccessTokenClaimsConfiguration,
  EnvironmentProfile,
  HostedUiConfiguration,
  IdentityPoolConfiguration,
  RefreshTokenRotationConfiguration,
  ResolvedConfiguration,
  SecretRotationConfiguration,
  TermsConfiguration,
  TriggersConfiguration,
} from './resolved-configuration';
import { resolveDeviceTracking, resolveEmail, resolveEmailMfa, resolveThreatProtection, resolveUserDataKey } from './user-pool-protection';
import { HealthcareRole } from '../identity/healthcare-roles';
import { MEDFLOW_RESOURCE_SERVER, allMedflowScopes } from '../identity/medflow-scopes';
import { PropValidator } from '../internal/prop-validation';
import { ResourceNames } from '../internal/resource-names';
import { AuthEventsDestination } from '../operations';
import { ReplacementGuardMode } from '../rollout/replacement-guard';
import { planPasskeys } from '../sign-in/passkeys';
import { termsLinks } from '../sign-in/terms-documents';
import { LockoutFailureMode } from '../triggers/security-triggers';

const DEFAULT_PROJECT_NAME = 'medflow';
const ACCESS_TOKEN_BOUNDS = [Duration.minutes(5), Duration.days(1)] as const;
const REFRESH_TOKEN_BOUNDS = [Duration.hours(1), Duration.days(3650)] as const;
const LOCKOUT_DURATION_BOUNDS = [Duration.minutes(1), Duration.hours(24)] as const;
/** Secrets Manager accepts rotation schedules from 4 hours to 1000 days. */
const ROTATION_SCHEDULE_BOUNDS = [Duration.hours(4), Duration.days(1000)] as const;
const GRACE_PERIOD_BOUNDS = [Duration.hours(1), Duration.days(7)] as const;
const DEFAULT_ROTATION_SCHEDULE = Duration.days(30);
const DEFAULT_GRACE_PERIOD = Duration.days(1);
// RetryGracePeriodSeconds is an integer from 0 to 60 (AWS::Cognito::UserPoolClient RefreshTokenRotation,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cognito-userpoolclient-refreshtokenrotation.html).
const REFRESH_ROTATION_GRACE_MAX_SECONDS = 60;
// Long enough for a client to retry a refresh whose response was lost, short enough that a replayed token dies quickly.
const DEFAULT_REFRESH_ROTATION_GRACE = Duration.seconds(10);
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'];
const US_EAST_1 = 'us-east-1';
const CROSS_REGION_HINT = 'Create the certificate in a us-east-1 stack (new Stack(app, id, { env: { region: \'us-east-1\' }, '
  + 'crossRegionReferences: true })) and pass it as customDomain.certificate, with crossRegionReferences: true on this stack too.';
// Cognito allows at most 25 rules in an identity pool role mapping.
const MAX_ROLES = 25;
const ROLE_NAME_MAX_LENGTH = 32;
const DEFAULT_AUTHENTICATION_CONCURRENCY = 25;
const DEFAULT_MESSAGE_CONCURRENCY = 10;
const RISK_ACCEPTANCE_HINT = 'Set allowProductionWithoutMfa: true only with a documented risk acceptance.';

/**
 * Turns `MedflowCognito` props and their preset into one frozen configuration: every default and
 * every check of the props, once. Errors name the prop, the bad value and what is allowed.
 */
export function resolveConfiguration(scope: Construct, props: MedflowCognitoProps): ResolvedConfiguration {
  const validator = new PropValidator('MedflowCognito');
  const projectName = props.projectName ?? DEFAULT_PROJECT_NAME;
  validator.matches('projectName', projectName, /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
    'lowercase letters, digits and hyphens, 2-32 characters, starting with a letter and ending with a letter or digit');
  const settings = resolveSettings(props, validator);
  const names = new ResourceNames(settings.environmentName, projectName);
  const authFlows = resolveAuthFlows(props, settings, validator);
  const environment: EnvironmentProfile = {
    name: settings.environmentName,
    production: settings.production,
    dataClassification: settings.dataClassification!,
    productionWithoutMfaAccepted: settings.production && settings.mfa !== cognito.Mfa.REQUIRED,
    productionPasswordAuthAccepted: settings.production && authFlows.userPassword,
  };
  const roles = resolveRoles(props.healthcareRoles, validator);
  const region = Stack.of(scope).region;
  const hostedUi = settings.enableHostedUi ? resolveHostedUi(props, names, region, validator) : undefined;
  if (!hostedUi) refuseWithoutHostedUi(props, validator);

  const localhostAllowed = !environment.production && environment.dataClassification === DataClassification.SYNTHETIC;
  const callbackUrls = validateUrls('callbackUrls', props.callbackUrls ?? [], localhostAllowed, validator);
  const logoutUrls = validateUrls('logoutUrls', props.logoutUrls ?? [], localhostAllowed, validator);

  const passkeys = planPasskeys({
    enablePasskeys: settings.enablePasskeys,
    featurePlan: settings.featurePlan,
    mfa: settings.mfa,
    enableHostedUi: settings.enableHostedUi,
    customDomainName: props.customDomain?.domainName,
    domainPrefix: hostedUi?.domainPrefix ?? defaultDomainPrefix(props, names),
    region,
    relyingPartyIdOverride: props.passkeyRelyingPartyId,
  }, validator);

  const providers = props.identityProviders ?? [];
  if (providers.length > 0) {
    validateProviders(providers, roles.map((role) => role.name), validator);
    if (callbackUrls.length === 0) {
      validator.fail('identityProviders', `(${providers.length} providers) without callbackUrls`,
        'identity providers only with callbackUrls, where the hosted UI returns federated users to the backend');
    }
    const withoutMfa = providers.find((provider) => !provider.enforcesMfa);
    if (withoutMfa && settings.production && !props.allowProductionWithoutMfa) {
      validator.fail(`identityProviders[${withoutMfa.name}].enforcesMfa`, 'false',
        'true in a production preset: Cognito never applies its own MFA to federated users, so the provider must', RISK_ACCEPTANCE_HINT);
    }
  }

  const email = resolveEmail(scope, props, settings, names, validator);

  const configuration: ResolvedConfiguration = {
    settings,
    environment,
    projectName,
    names,
    parameterPath: `/${settings.environmentName}/${projectName}/cognito`,
    roles,
    accessTokenClaims: resolveAccessTokenClaims(props, validator),
    userPool: {
      userPoolName: props.userPoolName ?? names.of('user-pool'),
      caseSensitiveUsernames: props.caseSensitiveUsernames ?? false,
      passkeys,
      emailMfa: resolveEmailMfa(props, settings, email, validator),
      deviceTracking: resolveDeviceTracking(props, settings, validator),
    },
    email,
    userDataKey: resolveUserDataKey(scope, props, settings, validator),
    threatProtection: resolveThreatProtection(props, settings, email, validator),
    appClient: {
      appClientName: props.appClientName ?? names.of('app-client'),
      authFlows,
      callbackUrls,
      logoutUrls,
      oAuthEnabled: callbackUrls.length > 0,
    },
    oAuthScopes: [
      cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE,
      ...allMedflowScopes().map((scopeName) => cognito.OAuthScope.custom(`${MEDFLOW_RESOURCE_SERVER}/${scopeName}`)),
    ],
    clientSecretRotation: resolveRotation(props, validator),
    refreshTokenRotation: resolveRefreshTokenRotation(props, settings, validator),
    hostedUi,
    federation: providers.length > 0 ? {
      providers: [...providers],
      clientName: names.of('federated-client'),
      secretName: names.of('federated-client-secret'),
    } : undefined,
    terms: resolveTerms(props, settings, validator),
    identityPool: resolveIdentityPool(props, settings, names, validator),
    triggers: resolveTriggers(props, settings, validator),
    operations: resolveOperations(props, settings, validator),
    replacementGuard: {
      ...props.replacementGuard,
      defaultMode: settings.enableReplacementGuard === false ? ReplacementGuardMode.OFF : ReplacementGuardMode.RECORD,
    },
    logs: { logRetention: settings.logRetention, removalPolicy: settings.removalPolicy },
  };
  return deepFreeze(configuration);
}

function resolveSettings(props: MedflowCognitoProps, validator: PropValidator): PresetSettings {
  const preset = props.preset;
  if (!(preset instanceof EnvironmentPreset)) {
    validator.fail('preset', String(preset), 'EnvironmentPreset.dev(), .staging(), .prod(), .custom(settings) or a preset\'s withOverrides(...)');
  }
  const base = preset.settings;
  let mfa = base.mfa;
  if (props.enableMfa === false) {
    mfa = cognito.Mfa.OFF;
  } else if (props.enableMfa === true && base.mfa === cognito.Mfa.OFF) {
    mfa = cognito.Mfa.REQUIRED;
  }
  const settings: PresetSettings = {
    ...base,
    mfa,
    passwordMinimumLength: props.passwordMinimumLength ?? base.passwordMinimumLength,
    accessTokenValidity: props.accessTokenValidity ?? base.accessTokenValidity,
    idTokenValidity: props.idTokenValidity ?? base.idTokenValidity,
    refreshTokenValidity: props.refreshTokenValidity ?? base.refreshTokenValidity,
    generateClientSecret: props.generateClientSecret ?? base.generateClientSecret,
    selfSignUpEnabled: props.selfSignUpEnabled ?? base.selfSignUpEnabled,
    enableIdentityPool: props.enableIdentityPool ?? base.enableIdentityPool,
    enableHostedUi: props.enableHostedUi ?? base.enableHostedUi,
    enablePasskeys: props.enablePasskeys ?? base.enablePasskeys,
  };
  validator.matches('preset.environmentName', settings.environmentName, /^[a-z][a-z0-9]{1,15}$/,
    'lowercase letters and digits, 2-16 characters, starting with a letter');
  if (typeof settings.production !== 'boolean') {
    validator.fail('preset.production', JSON.stringify(settings.production ?? null), 'true or false');
  }
  if (!Object.values(DataClassification).includes(settings.dataClassification!)) {
    validator.fail('preset.dataClassification', JSON.stringify(settings.dataClassification ?? null),
      `one of ${Object.values(DataClassification).map((c) => `DataClassification.${c === DataClassification.PHI ? 'PHI' : 'SYNTHETIC'}`).join(', ')}`);
  }
  if (settings.production) {
    if (mfa !== cognito.Mfa.REQUIRED && !props.allowProductionWithoutMfa) {
      validator.fail('enableMfa', `${String(props.enableMfa)} (MFA ${mfa})`,
        `MFA REQUIRED in a production preset (${settings.environmentName})`, RISK_ACCEPTANCE_HINT);
    }
    if (settings.dataClassification === DataClassification.SYNTHETIC) {
      validator.fail('preset.dataClassification', 'SYNTHETIC in a production preset',
        'DataClassification.PHI: a production environment holds patient data');
    }
  }
  validator.integerInRange('passwordMinimumLength', settings.passwordMinimumLength, 8, 99);
  validator.integerInRange('passwordHistorySize', settings.passwordHistorySize, 0, 24);
  validator.durationInRange('accessTokenValidity', settings.accessTokenValidity, ...ACCESS_TOKEN_BOUNDS);
  validator.durationInRange('idTokenValidity', settings.idTokenValidity, ...ACCESS_TOKEN_BOUNDS);
  validator.durationInRange('refreshTokenValidity', settings.refreshTokenValidity, ...REFRESH_TOKEN_BOUNDS);
  for (const [prop, validity] of [['accessTokenValidity', settings.accessTokenValidity], ['idTokenValidity', settings.idTokenValidity]] as const) {
    if (validity.toMinutes({ integral: false }) > settings.refreshTokenValidity.toMinutes({ integral: false })) {
      validator.fail(prop, validity.toHumanString(), `at most refreshTokenValidity (${settings.refreshTokenValidity.toHumanString()})`);
    }
  }
  validator.integerInRange('preset.lockoutMaxAttempts', settings.lockoutMaxAttempts, 1, 100);
  validator.durationInRange('preset.lockoutDuration', settings.lockoutDuration, ...LOCKOUT_DURATION_BOUNDS);
  if (!Number.isInteger(settings.lockoutDuration.toSeconds({ integral: false }))) {
    validator.fail('preset.lockoutDuration', settings.lockoutDuration.toHumanString(), 'a whole number of seconds');
  }
  return settings;
}

/**
 * The backend client's flows: each flow of `authFlows` that is set, the preset's for the others;
 * checked against production and passkeys.
 */
function resolveAuthFlows(props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator): Required<cognito.AuthFlow> {
  const given = props.authFlows ?? {};
  const flows: Required<cognito.AuthFlow> = {
    userSrp: given.userSrp ?? true,
    userPassword: given.userPassword ?? settings.allowUserPasswordAuth,
    adminUserPassword: given.adminUserPassword ?? false,
    custom: given.custom ?? false,
    user: given.user ?? settings.enablePasskeys,
  };
  if (settings.production && flows.userPassword && !props.allowPasswordAuthInProduction) {
    validator.fail(given.userPassword ? 'authFlows.userPassword' : 'preset.allowUserPasswordAuth', 'true in a production preset',
      'false: production clients sign in with SRP, passkeys or, server-side, authFlows.adminUserPassword (ALLOW_ADMIN_USER_PASSWORD_AUTH)',
      'Set allowPasswordAuthInProduction: true only with a documented risk acceptance.');
  }
  if (!Object.values(flows).some(Boolean)) {
    validator.fail('authFlows', '(every flow off)', 'at least one of userSrp, userPassword, adminUserPassword, custom and user');
  }
  if (settings.enablePasskeys && !flows.user) {
    validator.fail('authFlows.user', 'false with passkeys on', 'true while enablePasskeys is on: passkey sign-in goes through ALLOW_USER_AUTH');
  }
  return flows;
}

function resolveRoles(given: HealthcareRole[] | undefined, validator: PropValidator): HealthcareRole[] {
  const roles = given ?? HealthcareRole.defaults();
  if (!Array.isArray(roles) || roles.length === 0) {
    validator.fail('healthcareRoles', JSON.stringify(roles ?? null), 'a list of 1 to 25 roles');
  }
  if (roles.length > MAX_ROLES) {
    validator.fail('healthcareRoles', `(${roles.length} roles)`, `at most ${MAX_ROLES} roles, the limit of identity pool role-mapping rules`);
  }
  const seen = new Set<string>();
  for (const role of roles) {
    validator.matches('healthcareRoles[].name', role.name, new RegExp(`^[a-z0-9_]{1,${ROLE_NAME_MAX_LENGTH}}$`),
      `lowercase letters, digits and underscores, 1-${ROLE_NAME_MAX_LENGTH} characters (the length custom:user_role allows)`);
    if (seen.has(role.name)) {
      validator.fail('healthcareRoles[].name', JSON.stringify(role.name), 'each role name once (it is duplicated)');
    }
    seen.add(role.name);
    validator.integerInRange(`healthcareRoles[${role.name}].precedence`, role.precedence, 0, 2 ** 31 - 1);
  }
  return [...roles];
}

function defaultDomainPrefix(props: MedflowCognitoProps, names: ResourceNames): string {
  return props.domainPrefix ?? `${names.prefix.replace(/-cognito$/, '')}-auth`;
}

function resolveHostedUi(props: MedflowCognitoProps, names: ResourceNames, region: string, validator: PropValidator): HostedUiConfiguration {
  const domainPrefix = defaultDomainPrefix(props, names);
  if (!props.customDomain) {
    validator.matches('domainPrefix', domainPrefix, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'lowercase letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen');
    validator.excludesWords('domainPrefix', domainPrefix, RESERVED_DOMAIN_WORDS);
    return { domainPrefix };
  }
  const { domainName, certificate, hostedZone } = props.customDomain;
  if (!certificate && !hostedZone) {
    validator.fail('customDomain', 'without certificate or hostedZone',
      'a us-east-1 ACM certificate in customDomain.certificate, or a Route 53 zone in customDomain.hostedZone to create one');
  }
  validator.matches('customDomain.domainName', domainName, /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a lowercase fully qualified domain name such as auth.medflow.example');
  if (certificate) {
    validateCertificateRegion(certificate, validator);
  } else if (Token.isUnresolved(region) || region !== US_EAST_1) {
    // Cognito serves custom domains through CloudFront, which only takes certificates from us-east-1.
    validator.fail('customDomain.hostedZone', `(stack region ${Token.isUnresolved(region) ? 'unknown' : region})`,
      'a certificate created in this stack only when the stack is deployed to us-east-1', CROSS_REGION_HINT);
  }
  return { domainPrefix, customDomain: { domainName, certificate, hostedZone } };
}

function validateCertificateRegion(certificate: acm.ICertificate, validator: PropValidator): void {
  const arn = certificate.certificateArn;
  const region = Token.isUnresolved(arn) ? certificate.env.region : arn.split(':')[3];
  if (region && !Token.isUnresolved(region) && region !== US_EAST_1) {
    validator.fail('customDomain.certificate', `in region ${region}`, 'an ACM certificate in us-east-1', CROSS_REGION_HINT);
  }
}

/** Props that need the hosted UI, refused without it. */
function refuseWithoutHostedUi(props: MedflowCognitoProps, validator: PropValidator): void {
  const providers = props.identityProviders ?? [];
  if (providers.length > 0) {
    validator.fail('identityProviders', `(${providers.length} providers) without the hosted UI`,
      'identity providers only with enableHostedUi: true, whose OAuth endpoints federated sign-in goes through');
  }
}

function validateUrls(prop: string, urls: string[], localhostAllowed: boolean, validator: PropValidator): string[] {
  for (const url of urls) {
    if (Token.isUnresolved(url)) continue;
    const isHttps = PropValidator.HTTPS_URL.test(url);
    const isLocalhost = /^http:\/\/localhost(:\d+)?(\/\S*)?$/.test(url);
    if (!isHttps && !(localhostAllowed && isLocalhost)) {
      validator.fail(prop, JSON.stringify(url), localhostAllowed
        ? 'https URLs, or http://localhost in a non-production environment with synthetic data'
        : 'https URLs (http://localhost only in a non-production environment with synthetic data, such as dev)');
    }
  }
  return [...urls];
}

/** The rotation of every app client secret: the backend client's and the federated client's. */
function resolveRotation(props: MedflowCognitoProps, validator: PropValidator): SecretRotationConfiguration {
  const schedule = props.clientSecretRotationSchedule ?? DEFAULT_ROTATION_SCHEDULE;
  validator.durationInRange('clientSecretRotationSchedule', schedule, ...ROTATION_SCHEDULE_BOUNDS);
  if (!Number.isInteger(schedule.toHours({ integral: false }))) {
    validator.fail('clientSecretRotationSchedule', schedule.toHumanString(), 'whole hours from 4 hours to 1000 days');
  }
  const halfSchedule = Duration.minutes(schedule.toMinutes() / 2);
  const gracePeriod = props.clientSecretGracePeriod
    ?? (halfSchedule.toMinutes() < DEFAULT_GRACE_PERIOD.toMinutes() ? halfSchedule : DEFAULT_GRACE_PERIOD);
  validator.durationInRange('clientSecretGracePeriod', gracePeriod, ...GRACE_PERIOD_BOUNDS);
  if (gracePeriod.toSeconds() >= schedule.toSeconds()) {
    validator.fail('clientSecretGracePeriod', gracePeriod.toHumanString(), `less than clientSecretRotationSchedule (${schedule.toHumanString()})`,
      'A rotation can only add the next secret after the previous one was deleted.');
  }
  return { schedule, gracePeriod };
}

/** Refresh-token rotation of the backend and federated clients: the preset decides, the prop sets the grace period. */
function resolveRefreshTokenRotation(
  props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator,
): RefreshTokenRotationConfiguration | undefined {
  const given = props.refreshTokenRotationGracePeriod;
  if (!settings.refreshTokenRotation) {
    if (given !== undefined) {
      validator.fail('refreshTokenRotationGracePeriod', given.toHumanString(),
        `only with refresh-token rotation on (preset refreshTokenRotation: true, the staging and prod default); the ${settings.environmentName} preset has it off`);
    }
    return undefined;
  }
  const gracePeriod = given ?? DEFAULT_REFRESH_ROTATION_GRACE;
  const seconds = gracePeriod.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > REFRESH_ROTATION_GRACE_MAX_SECONDS) {
    validator.fail('refreshTokenRotationGracePeriod', `${seconds} seconds`,
      `whole seconds from 0 to ${REFRESH_ROTATION_GRACE_MAX_SECONDS} (the RetryGracePeriodSeconds range of Cognito refresh-token rotation)`);
  }
  return { gracePeriod };
}

function resolveTerms(props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator): TermsConfiguration | undefined {
  const { termsOfUseUrl, privacyPolicyUrl } = props;
  if (termsOfUseUrl === undefined && privacyPolicyUrl === undefined) return undefined;
  if (termsOfUseUrl === undefined || privacyPolicyUrl === undefined) {
    const [given, missing] = termsOfUseUrl === undefined ? ['privacyPolicyUrl', 'termsOfUseUrl'] : ['termsOfUseUrl', 'privacyPolicyUrl'];
    validator.fail(missing, `missing while ${given} is set`, 'both termsOfUseUrl and privacyPolicyUrl, or neither: Cognito shows neither document without the other');
  }
  if (!settings.enableHostedUi) {
    validator.fail('termsOfUseUrl', 'set without the hosted UI', 'terms documents only with enableHostedUi: true, whose managed login pages show them');
  }
  return {
    termsOfUse: termsLinks('termsOfUseUrl', termsOfUseUrl, validator),
    privacyPolicy: termsLinks('privacyPolicyUrl', privacyPolicyUrl, validator),
  };
}

function resolveIdentityPool(
  props: MedflowCognitoProps, settings: PresetSettings, names: ResourceNames, validator: PropValidator,
): IdentityPoolConfiguration | undefined {
  if (!settings.enableIdentityPool) {
    if (props.documentsBucket || props.allowUnauthenticatedIdentities) {
      validator.fail(props.documentsBucket ? 'documentsBucket' : 'allowUnauthenticatedIdentities', 'set',
        'only together with the identity pool (enableIdentityPool: true, the staging and prod default)');
    }
    return undefined;
  }
  return {
    identityPoolName: names.of('identity-pool'),
    authenticatedRoleName: props.authenticatedRoleName ?? names.of('authenticated-role'),
    unauthenticatedRoleName: props.unauthenticatedRoleName ?? names.of('unauthenticated-role'),
    allowUnauthenticatedIdentities: props.allowUnauthenticatedIdentities ?? false,
    documentsBucket: props.documentsBucket,
  };
}

function resolveTriggers(props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator): TriggersConfiguration {
  const options = props.securityTriggers ?? {};
  const failureMode = options.failureMode ?? LockoutFailureMode.FAIL_OPEN;
  if (!Object.values(LockoutFailureMode).includes(failureMode)) {
    validator.fail('securityTriggers.failureMode', JSON.stringify(failureMode),
      Object.values(LockoutFailureMode).map((mode) => `LockoutFailureMode.${mode}`).join(' or '));
  }
  const authenticationConcurrency = options.authenticationConcurrency ?? DEFAULT_AUTHENTICATION_CONCURRENCY;
  const messageConcurrency = options.messageConcurrency ?? DEFAULT_MESSAGE_CONCURRENCY;
  validator.integerInRange('securityTriggers.authenticationConcurrency', authenticationConcurrency, 1, 1000);
  validator.integerInRange('securityTriggers.messageConcurrency', messageConcurrency, 1, 1000);
  if (!options.vpc && options.vpcSubnets) {
    validator.fail('securityTriggers.vpcSubnets', 'given without vpc', 'vpcSubnets only together with vpc');
  }
  return {
    lockoutMaxAttempts: settings.lockoutMaxAttempts,
    lockoutDuration: settings.lockoutDuration,
    failureMode,
    reserveConcurrency: options.reserveConcurrency ?? settings.reserveTriggerConcurrency!,
    authenticationConcurrency,
    messageConcurrency,
    vpc: options.vpc,
    vpcSubnets: options.vpcSubnets,
    globalLockoutTable: options.globalLockoutTable ?? false,
  };
}

function resolveOperations(props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator) {
  if (!settings.enableAlarms) {
    for (const [prop, value] of [['alarmEmail', props.alarmEmail], ['monthlyBudget', props.monthlyBudget]] as const) {
      if (value !== undefined) {
        validator.fail(prop, String(value), `only with alarms enabled (the staging and prod presets): alerts go to the alarm topic, which the ${settings.environmentName} environment does not have`);
      }
    }
  }
  const authEventsDestination = props.authEventsDestination ?? AuthEventsDestination.CLOUDWATCH_LOGS;
  if (!Object.values(AuthEventsDestination).includes(authEventsDestination)) {
    validator.fail('authEventsDestination', JSON.stringify(authEventsDestination),
      Object.keys(AuthEventsDestination).map((key) => `AuthEventsDestination.${key}`).join(' or '));
  }
  return {
    enableAlarms: settings.enableAlarms,
    enableBackup: settings.enableBackup,
    plusPlan: settings.featurePlan === cognito.FeaturePlan.PLUS,
    alarmEmail: props.alarmEmail,
    monthlyBudget: props.monthlyBudget,
    alarmThresholds: props.alarmThresholds,
    authEventsDestination,
  };
}

/** Freezes plain data objects and arrays; constructs, durations and other class instances are left as they are. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// Claims a JWT or Cognito sets itself, which a tenant claim must never override.
const RESERVED_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'scope', 'token_use', 'client_id', 'username',
  'auth_time', 'jti', 'origin_jti', 'event_id', 'version', 'identities'];
const CLAIM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function resolveAccessTokenClaims(props: MedflowCognitoProps, validator: PropValidator): AccessTokenClaimsConfiguration {
  const given = props.accessTokenClaims ?? {};
  const resolved = {
    clinicIdClaim: given.clinicIdClaim ?? 'clinic_id',
    userRoleClaim: given.userRoleClaim ?? 'user_role',
  };
  for (const key of ['clinicIdClaim', 'userRoleClaim'] as const) {
    const name = resolved[key];
    const prop = `accessTokenClaims.${key}`;
    const lower = typeof name === 'string' ? name.toLowerCase() : '';
    if (RESERVED_CLAIMS.includes(lower) || lower.startsWith('cognito:') || lower.startsWith('custom:')) {
      validator.fail(prop, JSON.stringify(name), `a claim name that is not reserved (${RESERVED_CLAIMS.join(', ')}, cognito:*, custom:*)`);
    }
    validator.matches(prop, name, CLAIM_NAME, '1-64 characters of a-z, A-Z, 0-9, _, - and .');
  }
  if (resolved.clinicIdClaim === resolved.userRoleClaim) {
    validator.fail('accessTokenClaims.userRoleClaim', JSON.stringify(resolved.userRoleClaim), 'a name different from clinicIdClaim');
  }
  return resolved;
}
