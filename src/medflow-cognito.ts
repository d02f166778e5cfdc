import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  Stack,
  Tags,
  Token,
  aws_certificatemanager as acm,
  aws_cognito as cognito,
  aws_cognito_identitypool as identitypool,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_route53 as route53,
  aws_route53_targets as route53targets,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BackendConfig } from './backend-config/backend-config';
import { ClientSecretStore } from './backend-config/client-secret-store';
import { resolveGracePeriod, resolveRotationSchedule } from './backend-config/rotation-settings';
import { acknowledgeRules } from './compliance/acknowledgements';
import { acknowledgeHealthcarePresetChoices } from './compliance/healthcare-preset-choices';
import { ClinicIdentity } from './identity/clinic-identity';
import { HealthcareRole, MedflowScope } from './identity/healthcare-roles';
import { PropValidator } from './internal/prop-validation';
import { ResourceNames } from './internal/resource-names';
import { AlarmThresholds, AuthEventsDestination, CognitoMonitoring, CognitoOperations } from './operations';
import { EnvironmentPreset, PresetSettings } from './presets';
import { ReplacementGuard, ReplacementGuardMode, ReplacementGuardOptions } from './rollout/replacement-guard';
import { HospitalFederation } from './sign-in/hospital-federation';
import { HospitalIdentityProvider } from './sign-in/hospital-identity-provider';
import { LocalizedUrl } from './sign-in/localized-url';
import { PasskeyPlan, planPasskeys } from './sign-in/passkeys';
import { TermsDocuments, termsLinks } from './sign-in/terms-documents';
import { RoleScopesTrigger } from './triggers/pre-token-generation/role-scopes-trigger';
import { SecurityTriggers, SecurityTriggersOptions } from './triggers/security-triggers';
import { HealthcareAttributes } from './user-pool/healthcare-attributes';

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
   * preset has it off; `false` turns it off, which the prod preset refuses unless
   * `allowProductionWithoutMfa` is set.
   * @default - the preset's MFA mode (dev OFF, staging OPTIONAL, prod REQUIRED)
   */
  readonly enableMfa?: boolean;
  /**
   * Explicitly accepts a production user pool without MFA. Use only with a documented risk acceptance.
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
   * @default Duration.days(30)
   */
  readonly refreshTokenValidity?: Duration;
  /**
   * Whether the backend app client has a client secret, kept in Secrets Manager.
   * @default - the preset's (dev false, staging and prod true)
   */
  readonly generateClientSecret?: boolean;
  /**
   * Whether usernames are case sensitive.
   * @default false
   */
  readonly caseSensitiveUsernames?: boolean;
  /**
   * Whether users may sign themselves up. Clinic staff accounts are normally created by admins.
   * @default false
   */
  readonly selfSignUpEnabled?: boolean;
  /**
   * Whether an identity pool is created, linked to the user pool and the backend client.
   * @default - the preset's (dev false, staging and prod true)
   */
  readonly enableIdentityPool?: boolean;
  /**
   * Whether a hosted UI domain is created.
   * @default true
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
   * OAuth callback URLs of the backend client. https only; `http://localhost` is accepted in dev.
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
   * How often the app client secret is rotated, in whole hours from 4 hours to 1000 days (Secrets
   * Manager's bounds). Ignored when the client has no secret.
   * @default Duration.days(30)
   */
  readonly clientSecretRotationSchedule?: Duration;
  /**
   * How long a replaced app client secret stays valid after the new one became current, from 1 hour
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
   * @default - fail open, reserved concurrency outside dev, no VPC
   */
  readonly securityTriggers?: SecurityTriggersOptions;
  /**
   * Email address subscribed to the alarm topic (staging and prod, which have alarms).
   * @default - no subscription; subscribe your pager to `monitoring.alarmTopic`
   */
  readonly alarmEmail?: string;
  /**
   * Monthly budget in US dollars for resources tagged with this project and environment, with
   * alerts at 80% and 100% to the alarm topic (staging and prod).
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
   * @default - on (RECORD) where the preset's `enableReplacementGuard` is (staging, prod), off in dev; lock file `cognito.lock.json` in the working directory
   */
  readonly replacementGuard?: ReplacementGuardOptions;
}

const ACCESS_TOKEN_BOUNDS = [Duration.minutes(5), Duration.days(1)] as const;
const REFRESH_TOKEN_BOUNDS = [Duration.hours(1), Duration.days(3650)] as const;
const DEFAULT_PROJECT_NAME = 'medflow';
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'];
const RESOURCE_SERVER_IDENTIFIER = 'medflow';
const ALL_SCOPES = Object.values(MedflowScope);
const SCOPE_DESCRIPTIONS: Record<MedflowScope, string> = {
  [MedflowScope.PATIENTS_READ]: 'Read patient records',
  [MedflowScope.PATIENTS_WRITE]: 'Create and update patient records',
  [MedflowScope.APPOINTMENTS_READ]: 'Read the appointment book',
  [MedflowScope.APPOINTMENTS_WRITE]: 'Book, move and cancel appointments',
  [MedflowScope.ADMIN]: 'Administer the clinic',
};
const US_EAST_1 = 'us-east-1';
const CROSS_REGION_HINT = 'Create the certificate in a us-east-1 stack (new Stack(app, id, { env: { region: \'us-east-1\' }, '
  + 'crossRegionReferences: true })) and pass it as customDomain.certificate, with crossRegionReferences: true on this stack too.';
// Cognito allows at most 25 rules in an identity pool role mapping.
const MAX_ROLES = 25;
const ROLE_NAME_MAX_LENGTH = 32;

/**
 * MedFlow's whole Cognito authentication stack, composed from an environment preset.
 *
 * @example
 * new MedflowCognito(this, 'Auth', { preset: EnvironmentPreset.prod() });
 */
export class MedflowCognito extends Construct {
  /** The settings in force: the preset with every override applied. */
  public readonly settings: PresetSettings;
  /** The user pool. */
  public readonly userPool: cognito.UserPool;
  /** The backend's app client. */
  public readonly appClient: cognito.UserPoolClient;
  /** The hosted UI domain, when the hosted UI is enabled. */
  public readonly domain?: cognito.UserPoolDomain;
  /** The identity pool, when enabled. */
  public readonly identityPool?: identitypool.IdentityPool;
  /** The Secrets Manager secret holding the app client secret, when the client has one. Never the plaintext. */
  public readonly clientSecret?: secretsmanager.ISecret;
  /** The healthcare roles in force. */
  public readonly healthcareRoles: HealthcareRole[];
  /** The `medflow` resource server with one scope per clinic workflow. */
  public readonly resourceServer: cognito.UserPoolResourceServer;
  /** The identity pool with its per-role IAM roles, when enabled. */
  public readonly clinicIdentity?: ClinicIdentity;
  /** Customer-managed key encrypting the secret and the library's log groups. */
  public readonly encryptionKey: kms.IKey;
  /** Resource name prefix, `{environment}-{projectName}-cognito`. */
  public readonly resourcePrefix: string;
  /** The backend's configuration: SSM parameters, `grantRead()` and `environmentVariables`. */
  public readonly backendConfig: BackendConfig;
  /** The lockout, sign-up validation and localized message triggers. */
  public readonly securityTriggers: SecurityTriggers;
  /** Dashboard and alarms (alarms in staging and prod). */
  public readonly monitoring: CognitoMonitoring;
  /** Monitoring, audit log delivery, the daily user export and the optional budget. */
  public readonly operations: CognitoOperations;
  /** The guard against replacing the user pool, its domain or the identity pool. */
  public readonly replacementGuard: ReplacementGuard;

  /** Output `user_pool_id`. */
  public readonly userPoolId: string;
  /** Output `user_pool_arn`. */
  public readonly userPoolArn: string;
  /** Output `app_client_id`. */
  public readonly appClientId: string;
  /** Output `user_pool_endpoint`: `cognito-idp.{region}.amazonaws.com/{userPoolId}`. */
  public readonly userPoolEndpoint: string;
  /** OIDC issuer (authority) URL of the user pool. */
  public readonly authority: string;
  /** Output `app_client_secret`: the ARN of the secret, never its value. */
  public readonly appClientSecretArn?: string;
  /** Output `user_pool_domain`: the domain prefix or custom domain name. */
  public readonly userPoolDomain?: string;
  /** Output `hosted_ui_url`. */
  public readonly hostedUiUrl?: string;
  /** Output `custom_domain_url`. */
  public readonly customDomainUrl?: string;
  /** Output `identity_pool_id`. */
  public readonly identityPoolId?: string;
  /** Output `authenticated_role_arn`. */
  public readonly authenticatedRoleArn?: string;
  /** Output `unauthenticated_role_arn`. */
  public readonly unauthenticatedRoleArn?: string;
  /** The passkey relying party ID, when passkeys are on. */
  public readonly passkeyRelyingPartyId?: string;
  /** The hospital identity providers. */
  public readonly identityProviders: cognito.IUserPoolIdentityProvider[] = [];
  /** The app client of federated sign-in through the hospital identity providers, when there are any. */
  public readonly federatedClient?: cognito.UserPoolClient;
  /** The Secrets Manager secret holding the federated client's secret, when it has one. Never the plaintext. */
  public readonly federatedClientSecret?: secretsmanager.ISecret;
  /** Output `federated_client_id`. */
  public readonly federatedClientId?: string;
  /** Output `federated_client_secret`: the ARN of the secret, never its value. */
  public readonly federatedClientSecretArn?: string;

  constructor(scope: Construct, id: string, props: MedflowCognitoProps) {
    super(scope, id);
    const validator = new PropValidator('MedflowCognito');
    const projectName = props.projectName ?? DEFAULT_PROJECT_NAME;
    validator.matches('projectName', projectName, /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
      'lowercase letters, digits and hyphens, 2-32 characters, starting with a letter and ending with a letter or digit');
    const settings = resolveSettings(props, validator);
    this.settings = settings;
    validator.matches('preset.environmentName', settings.environmentName, /^[a-z][a-z0-9]{1,15}$/,
      'lowercase letters and digits, 2-16 characters, starting with a letter');

    const names = new ResourceNames(settings.environmentName, projectName);
    this.resourcePrefix = names.prefix;
    const rotationSchedule = resolveRotationSchedule(validator, 'clientSecretRotationSchedule', props.clientSecretRotationSchedule);
    const rotationGracePeriod = resolveGracePeriod(validator, 'clientSecretGracePeriod', rotationSchedule,
      'clientSecretRotationSchedule', props.clientSecretGracePeriod);

    const roles = props.healthcareRoles ?? HealthcareRole.defaults();
    validateRoles(roles, validator);
    this.healthcareRoles = roles;

    const passkeys = planPasskeys({
      enablePasskeys: settings.enablePasskeys,
      featurePlan: settings.featurePlan,
      mfa: settings.mfa,
      enableHostedUi: settings.enableHostedUi,
      customDomainName: props.customDomain?.domainName,
      domainPrefix: domainPrefixOf(props, names),
      region: Stack.of(this).region,
      relyingPartyIdOverride: props.passkeyRelyingPartyId,
    }, validator);
    this.passkeyRelyingPartyId = passkeys?.passkeyRelyingPartyId;
    const terms = resolveTerms(props, settings, validator);

    this.encryptionKey = this.createEncryptionKey(names, settings);
    this.userPool = this.createUserPool(props, settings, names, passkeys);
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_IDENTIFIER,
      userPoolResourceServerName: names.of('resource-server'),
      scopes: ALL_SCOPES.map((scopeName) => new cognito.ResourceServerScope({ scopeName, scopeDescription: SCOPE_DESCRIPTIONS[scopeName] })),
    });
    this.appClient = this.createAppClient(props, settings, names, validator);
    // The client may request the resource server's scopes, so CloudFormation must create the server first.
    this.appClient.node.addDependency(this.resourceServer);
    new RoleScopesTrigger(this, 'RoleScopes', {
      userPool: this.userPool,
      resourceServerIdentifier: RESOURCE_SERVER_IDENTIFIER,
      roles,
      encryptionKey: this.encryptionKey,
      logRetention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });

    this.userPoolId = this.userPool.userPoolId;
    this.userPoolArn = this.userPool.userPoolArn;
    this.appClientId = this.appClient.userPoolClientId;
    this.userPoolEndpoint = `cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${this.userPoolId}`;
    this.authority = `https://${this.userPoolEndpoint}`;

    this.securityTriggers = new SecurityTriggers(this, 'SecurityTriggers', {
      ...props.securityTriggers,
      healthcareRoles: roles.map((role) => role.name),
      clinicalRoles: roles.filter((role) => role.clinical).map((role) => role.name),
      userPool: this.userPool,
      settings,
      encryptionKey: this.encryptionKey,
      resourcePrefix: names.prefix,
    });

    const rotationFunctions: lambda.IFunction[] = [];
    if (settings.generateClientSecret) {
      const store = new ClientSecretStore(this, 'ClientSecret', {
        userPool: this.userPool,
        userPoolClient: this.appClient,
        encryptionKey: this.encryptionKey,
        secretName: names.of('app-client-secret'),
        logRetention: settings.logRetention,
        removalPolicy: settings.removalPolicy,
        rotationSchedule,
        rotationGracePeriod,
      });
      this.clientSecret = store.secret;
      this.appClientSecretArn = store.secret.secretArn;
      rotationFunctions.push(store.rotation.rotationFunction);
    }

    if (settings.enableHostedUi) {
      this.domain = this.createDomain(props, names, validator);
      if (props.customDomain) {
        this.userPoolDomain = props.customDomain.domainName;
        this.customDomainUrl = `https://${props.customDomain.domainName}`;
        this.hostedUiUrl = this.customDomainUrl;
      } else {
        this.userPoolDomain = this.domain.domainName;
        this.hostedUiUrl = this.domain.baseUrl();
      }
    }

    if (props.identityProviders && props.identityProviders.length > 0) {
      if (!settings.enableHostedUi) {
        validator.fail('identityProviders', `(${props.identityProviders.length} providers) without the hosted UI`,
          'identity providers only with enableHostedUi: true, whose OAuth endpoints federated sign-in goes through');
      }
      const federation = new HospitalFederation(this, 'Federation', {
        userPool: this.userPool,
        providers: props.identityProviders,
        clientName: names.of('federated-client'),
        generateSecret: settings.generateClientSecret,
        accessTokenValidity: settings.accessTokenValidity,
        idTokenValidity: settings.idTokenValidity,
        refreshTokenValidity: settings.refreshTokenValidity,
        callbackUrls: props.callbackUrls ?? [],
        logoutUrls: props.logoutUrls ?? [],
        oAuthScopes: oAuthScopes(),
        customReadAttributes: HealthcareAttributes.definitions().map((d) => d.name),
        isProduction: props.preset.isProduction,
        allowProductionWithoutMfa: props.allowProductionWithoutMfa ?? false,
        encryptionKey: this.encryptionKey,
        secretName: names.of('federated-client-secret'),
        logRetention: settings.logRetention,
        removalPolicy: settings.removalPolicy,
      });
      // The client asks for medflow/* scopes, which exist only once the resource server does.
      federation.client.node.addDependency(this.resourceServer);
      this.identityProviders = federation.providers;
      this.federatedClient = federation.client;
      this.federatedClientId = federation.client.userPoolClientId;
      this.federatedClientSecret = federation.clientSecret;
      this.federatedClientSecretArn = federation.clientSecret?.secretArn;
      if (federation.secretRotationFunction) rotationFunctions.push(federation.secretRotationFunction);
    }
    if (terms) {
      for (const [termsId, client] of [['Terms', this.appClient], ['FederatedTerms', this.federatedClient]] as const) {
        if (client) new TermsDocuments(this, termsId, { userPool: this.userPool, client, ...terms });
      }
      if (!settings.selfSignUpEnabled) {
        Annotations.of(this).addWarningV2('@medflow/cognito-construct:terms-on-sign-up-page',
          'Managed login links the terms of use and privacy notice from its sign-up page, which users never see while self sign-up is off; show them in the application too.');
      }
    }

    let clinicIdentity: ClinicIdentity | undefined;
    if (settings.enableIdentityPool) {
      clinicIdentity = new ClinicIdentity(this, 'Identity', {
        userPool: this.userPool,
        userPoolClient: this.appClient,
        roles,
        identityPoolName: names.of('identity-pool'),
        authenticatedRoleName: props.authenticatedRoleName ?? names.of('authenticated-role'),
        unauthenticatedRoleName: props.unauthenticatedRoleName ?? names.of('unauthenticated-role'),
        allowUnauthenticatedIdentities: props.allowUnauthenticatedIdentities,
        documentsBucket: props.documentsBucket,
        encryptionKey: this.encryptionKey,
        logRetention: settings.logRetention,
        removalPolicy: settings.removalPolicy,
        federatedUserPoolClient: this.federatedClient,
      });
      this.identityPool = clinicIdentity.identityPool;
      this.clinicIdentity = clinicIdentity;
      this.identityPoolId = this.identityPool.identityPoolId;
      this.authenticatedRoleArn = this.identityPool.authenticatedRole.roleArn;
      this.unauthenticatedRoleArn = this.identityPool.unauthenticatedRole.roleArn;
    } else if (props.documentsBucket || props.allowUnauthenticatedIdentities) {
      validator.fail(props.documentsBucket ? 'documentsBucket' : 'allowUnauthenticatedIdentities', 'set',
        'only together with the identity pool (enableIdentityPool: true, the staging and prod default)');
    }
    for (const role of roles) {
      this.userPool.addGroup(`Group-${role.name}`, {
        groupName: role.name,
        precedence: role.precedence,
        // No group role: the identity pool picks IAM roles by the custom:user_role claim, not by group.
        description: role.description,
      });
    }

    this.backendConfig = new BackendConfig(this, 'BackendConfig', {
      parameterPath: `/${settings.environmentName}/${projectName}/cognito`,
      userPoolId: this.userPoolId,
      clientId: this.appClientId,
      region: Stack.of(this).region,
      authority: this.authority,
      identityPoolId: this.identityPoolId,
      domain: this.hostedUiUrl?.replace(/^https:\/\//, ''),
      clientSecret: this.clientSecret,
      encryptionKey: this.encryptionKey,
    });

    this.operations = new CognitoOperations(this, 'Operations', {
      userPool: this.userPool,
      userPoolClients: this.federatedClient ? [this.appClient, this.federatedClient] : [this.appClient],
      environmentName: settings.environmentName,
      enableAlarms: settings.enableAlarms,
      enableBackup: settings.enableBackup,
      threatProtection: settings.featurePlan === cognito.FeaturePlan.PLUS,
      authEvents: settings.featurePlan === cognito.FeaturePlan.PLUS,
      logRetention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
      projectName,
      resourcePrefix: names.prefix,
      logEncryptionKey: this.encryptionKey,
      alarmEmail: props.alarmEmail,
      monthlyBudget: props.monthlyBudget,
      alarmThresholds: props.alarmThresholds,
      authEventsDestination: props.authEventsDestination,
      triggerFunctions: [
        (this.node.findChild('RoleScopes') as RoleScopesTrigger).handlerFunction,
        this.securityTriggers.preAuthenticationFunction,
        this.securityTriggers.postAuthenticationFunction,
        this.securityTriggers.preSignUpFunction,
        this.securityTriggers.customMessageFunction,
      ],
      rotationFunctions,
    });
    this.monitoring = this.operations.monitoring;

    this.acknowledgePresetChoices(settings);
    acknowledgeHealthcarePresetChoices({ userPool: this.userPool, appClient: this.appClient }, settings, props.preset.isProduction);
    this.createOutputs();
    this.replacementGuard = new ReplacementGuard(this, 'ReplacementGuard', {
      ...props.replacementGuard,
      userPool: this.userPool,
      domain: this.domain,
      identityPool: this.identityPool,
      defaultMode: settings.enableReplacementGuard === false ? ReplacementGuardMode.OFF : ReplacementGuardMode.RECORD,
    });

    Tags.of(this).add('Environment', settings.environmentName);
    Tags.of(this).add('Project', projectName);
    Tags.of(this).add('DataClassification', 'PHI');
    Tags.of(this).add('Compliance', 'HIPAA');
  }

  private createEncryptionKey(names: ResourceNames, settings: PresetSettings): kms.Key {
    const key = new kms.Key(this, 'EncryptionKey', {
      alias: `alias/${names.prefix}`,
      description: `Encrypts the ${names.prefix} app client secret and log groups.`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
      pendingWindow: Duration.days(settings.deletionProtection ? 30 : 7),
    });
    const stack = Stack.of(this);
    // CloudWatch Logs encrypts log groups with this key only when the key policy lets it,
    // scoped to this account's log groups in this region.
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }));
    return key;
  }

  private createUserPool(props: MedflowCognitoProps, settings: PresetSettings, names: ResourceNames, passkeys?: PasskeyPlan): cognito.UserPool {
    const onPlus = settings.featurePlan === cognito.FeaturePlan.PLUS;
    const pool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName ?? names.of('user-pool'),
      featurePlan: settings.featurePlan,
      standardThreatProtectionMode: onPlus ? settings.threatProtectionMode : undefined,
      selfSignUpEnabled: settings.selfSignUpEnabled,
      signInAliases: { email: true, username: false },
      signInCaseSensitive: props.caseSensitiveUsernames ?? false,
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
      mfa: settings.mfa,
      mfaSecondFactor: settings.mfa === cognito.Mfa.OFF ? undefined : { otp: true, sms: false },
      passwordPolicy: {
        minLength: settings.passwordMinimumLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
        passwordHistorySize: settings.passwordHistorySize > 0 ? settings.passwordHistorySize : undefined,
      },
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
      signInPolicy: passkeys?.signInPolicy,
      passkeyRelyingPartyId: passkeys?.passkeyRelyingPartyId,
      passkeyUserVerification: passkeys?.passkeyUserVerification,
    });
    if (passkeys?.factorConfiguration) {
      (pool.node.defaultChild as cognito.CfnUserPool).webAuthnFactorConfiguration = passkeys.factorConfiguration;
    }
    return pool;
  }

  private createAppClient(
    props: MedflowCognitoProps, settings: PresetSettings, names: ResourceNames, validator: PropValidator,
  ): cognito.UserPoolClient {
    const customRead = HealthcareAttributes.definitions().map((d) => d.name);
    const customWrite = HealthcareAttributes.userWritableAttributeNames().map((n) => n.replace(/^custom:/, ''));
    const callbackUrls = props.callbackUrls ?? [];
    const logoutUrls = props.logoutUrls ?? [];
    validateUrls('callbackUrls', callbackUrls, settings, validator);
    validateUrls('logoutUrls', logoutUrls, settings, validator);
    const oAuthEnabled = callbackUrls.length > 0;

    return this.userPool.addClient('AppClient', {
      userPoolClientName: props.appClientName ?? names.of('app-client'),
      generateSecret: settings.generateClientSecret,
      authFlows: {
        userSrp: true,
        userPassword: settings.allowUserPasswordAuth,
        adminUserPassword: false,
        custom: false,
        user: settings.enablePasskeys,
      },
      accessTokenValidity: settings.accessTokenValidity,
      idTokenValidity: settings.idTokenValidity,
      refreshTokenValidity: settings.refreshTokenValidity,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, givenName: true, familyName: true, phoneNumber: true, locale: true })
        .withCustomAttributes(...customRead),
      writeAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ givenName: true, familyName: true, phoneNumber: true, locale: true })
        .withCustomAttributes(...customWrite),
      disableOAuth: !oAuthEnabled,
      oAuth: oAuthEnabled ? {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: oAuthScopes(),
        callbackUrls,
        logoutUrls: logoutUrls.length > 0 ? logoutUrls : undefined,
      } : undefined,
    });
  }

  private createDomain(props: MedflowCognitoProps, names: ResourceNames, validator: PropValidator): cognito.UserPoolDomain {
    if (props.customDomain) {
      const { domainName, hostedZone } = props.customDomain;
      validator.matches('customDomain.domainName', domainName, /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'a lowercase fully qualified domain name such as auth.medflow.example');
      const certificate = props.customDomain.certificate ?? this.createCertificate(domainName, hostedZone!, validator);
      validateCertificateRegion(certificate, validator);
      const domain = this.userPool.addDomain('Domain', {
        customDomain: { domainName, certificate },
        managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
      if (hostedZone) {
        const target = route53.RecordTarget.fromAlias(new route53targets.UserPoolDomainTarget(domain));
        new route53.ARecord(this, 'DomainAliasA', { zone: hostedZone, recordName: domainName, target });
        new route53.AaaaRecord(this, 'DomainAliasAaaa', { zone: hostedZone, recordName: domainName, target });
      }
      this.addDefaultBranding();
      return domain;
    }
    const domainPrefix = domainPrefixOf(props, names);
    validator.matches('domainPrefix', domainPrefix, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'lowercase letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen');
    validator.excludesWords('domainPrefix', domainPrefix, RESERVED_DOMAIN_WORDS);
    const domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.addDefaultBranding();
    return domain;
  }

  // Cognito serves custom domains through CloudFront, which only takes certificates from us-east-1.
  private createCertificate(domainName: string, hostedZone: route53.IHostedZone, validator: PropValidator): acm.ICertificate {
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region) || region !== US_EAST_1) {
      validator.fail('customDomain.hostedZone', `(stack region ${Token.isUnresolved(region) ? 'unknown' : region})`,
        'a certificate created in this stack only when the stack is deployed to us-east-1',
        CROSS_REGION_HINT);
    }
    return new acm.Certificate(this, 'DomainCertificate', {
      domainName,
      validation: acm.CertificateValidation.fromDns(hostedZone),
    });
  }

  // Managed login v2 shows nothing for a client without a branding style.
  private addDefaultBranding(): void {
    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.appClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  private acknowledgePresetChoices(settings: PresetSettings): void {
    const env = settings.environmentName;
    if (settings.mfa !== cognito.Mfa.REQUIRED) {
      acknowledgeRules(this.userPool, {
        id: 'AwsSolutions-COG2',
        reason: settings.mfa === cognito.Mfa.OFF
          ? `The ${env} environment holds only synthetic test users and no patient data, so MFA is off to keep automated tests simple; staging and prod presets enable it.`
          : `The ${env} environment offers TOTP MFA as optional so that test accounts can sign in without a device; the prod preset requires MFA for every user.`,
      });
    }
    if (settings.featurePlan !== cognito.FeaturePlan.PLUS) {
      acknowledgeRules(this.userPool, {
        id: 'AwsSolutions-COG8',
        reason: `The ${env} environment holds only synthetic test users, so it runs on the ${settings.featurePlan} plan to save cost; threat protection on the Plus plan is on in staging and prod.`,
      });
    }
  }

  private createOutputs(): void {
    const outputs: [string, string, string | undefined][] = [
      ['user_pool_id', 'Cognito user pool ID', this.userPoolId],
      ['user_pool_arn', 'Cognito user pool ARN', this.userPoolArn],
      ['app_client_id', 'Backend app client ID', this.appClientId],
      ['app_client_secret', 'ARN of the Secrets Manager secret holding the app client secret (never the value)', this.appClientSecretArn],
      ['user_pool_endpoint', 'User pool endpoint (OIDC issuer without the scheme)', this.userPoolEndpoint],
      ['user_pool_domain', 'Hosted UI domain prefix or custom domain name', this.userPoolDomain],
      ['hosted_ui_url', 'Hosted UI base URL', this.hostedUiUrl],
      ['custom_domain_url', 'Custom domain URL', this.customDomainUrl],
      ['identity_pool_id', 'Cognito identity pool ID', this.identityPoolId],
      ['authenticated_role_arn', 'IAM role ARN for authenticated identities', this.authenticatedRoleArn],
      ['unauthenticated_role_arn', 'IAM role ARN for unauthenticated identities (disabled)', this.unauthenticatedRoleArn],
      ['federated_client_id', 'App client ID of federated sign-in through hospital identity providers', this.federatedClientId],
      ['federated_client_secret', 'ARN of the Secrets Manager secret holding the federated client secret (never the value)', this.federatedClientSecretArn],
    ];
    for (const [name, description, value] of outputs) {
      if (value === undefined) continue;
      new CfnOutput(this, toPascalCase(name), { description: `${name}: ${description}`, value });
    }
  }
}

function resolveSettings(props: MedflowCognitoProps, validator: PropValidator): PresetSettings {
  const preset = props.preset;
  if (!preset || !preset.settings) {
    validator.fail('preset', String(preset), 'EnvironmentPreset.dev(), .staging(), .prod() or .custom(settings)');
  }
  const base = preset.settings;
  let mfa = base.mfa;
  if (props.enableMfa === false) {
    mfa = cognito.Mfa.OFF;
  } else if (props.enableMfa === true && base.mfa === cognito.Mfa.OFF) {
    mfa = cognito.Mfa.REQUIRED;
  }
  if (preset.isProduction && mfa !== cognito.Mfa.REQUIRED && !props.allowProductionWithoutMfa) {
    validator.fail('enableMfa', `${String(props.enableMfa)} (MFA ${mfa})`, 'MFA REQUIRED in the prod preset',
      'Set allowProductionWithoutMfa: true only with a documented risk acceptance.');
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
  if (props.customDomain && !props.customDomain.certificate && !props.customDomain.hostedZone) {
    validator.fail('customDomain', 'without certificate or hostedZone',
      'a us-east-1 ACM certificate in customDomain.certificate, or a Route 53 zone in customDomain.hostedZone to create one');
  }
  return settings;
}

/** The backend clients' OAuth scopes: OpenID, email, profile and every `medflow/*` workflow scope, never `aws.cognito.signin.user.admin`. */
function oAuthScopes(): cognito.OAuthScope[] {
  return [
    cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE,
    ...ALL_SCOPES.map((scope) => cognito.OAuthScope.custom(`${RESOURCE_SERVER_IDENTIFIER}/${scope}`)),
  ];
}

function domainPrefixOf(props: MedflowCognitoProps, names: ResourceNames): string {
  return props.domainPrefix ?? `${names.prefix.replace(/-cognito$/, '')}-auth`;
}

function resolveTerms(props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator) {
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

function validateCertificateRegion(certificate: acm.ICertificate, validator: PropValidator): void {
  const arn = certificate.certificateArn;
  const region = Token.isUnresolved(arn) ? certificate.env.region : arn.split(':')[3];
  if (region && !Token.isUnresolved(region) && region !== US_EAST_1) {
    validator.fail('customDomain.certificate', `in region ${region}`, 'an ACM certificate in us-east-1', CROSS_REGION_HINT);
  }
}

function validateRoles(roles: HealthcareRole[], validator: PropValidator): void {
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
}

function validateUrls(prop: string, urls: string[], settings: PresetSettings, validator: PropValidator): void {
  const localhostAllowed = settings.environmentName === 'dev';
  for (const url of urls) {
    if (Token.isUnresolved(url)) continue;
    const isHttps = /^https:\/\/[^\s/]+(\/\S*)?$/.test(url);
    const isLocalhost = /^http:\/\/localhost(:\d+)?(\/\S*)?$/.test(url);
    if (!isHttps && !(localhostAllowed && isLocalhost)) {
      validator.fail(prop, JSON.stringify(url), localhostAllowed ? 'https URLs, or http://localhost in dev' : 'https URLs (http://localhost only in dev)');
    }
  }
}

function toPascalCase(snake: string): string {
  return snake.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
