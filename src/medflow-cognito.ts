import {
  Annotations,
  CfnOutput,
  Lazy,
  Stack,
  Tags,
  aws_cognito as cognito,
  aws_cloudwatch as cloudwatch,
  aws_cognito_identitypool as identitypool,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_secretsmanager as secretsmanager,
  aws_ses as ses,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BackendConfig } from './backend-config/backend-config';
import { ClientSecretStore } from './backend-config/client-secret-store';
import { PresetSettings } from './config/environment-preset';
import { MedflowCognitoProps } from './config/medflow-cognito-props';
import { resolveConfiguration } from './config/resolve';
import { ResolvedConfiguration } from './config/resolved-configuration';
import { ClinicIdentity } from './identity/clinic-identity';
import { HealthcareRole } from './identity/healthcare-roles';
import { MEDFLOW_RESOURCE_SERVER } from './identity/medflow-scopes';
import { acknowledgeRules } from './internal/acknowledgements';
import { recordEnvironment } from './internal/compliance-packs';
import { FunctionLogSettings, recordLibraryFunctions } from './internal/library-function';
import { presetChoiceAcknowledgements } from './internal/preset-choice-acknowledgements';
import { CognitoMonitoring, CognitoOperations, SesEmailMonitoring } from './operations';
import { ReplicationSource } from './replication/replication-source';
import { ReplacementGuard } from './rollout/replacement-guard';
import { HospitalFederation } from './sign-in/hospital-federation';
import { addHostedUiDomain } from './sign-in/hosted-ui-domain';
import { TermsDocuments } from './sign-in/terms-documents';
import { RoleScopesTrigger } from './triggers/pre-token-generation/role-scopes-trigger';
import { SecurityTriggers } from './triggers/security-triggers';
import { addBackendAppClient } from './user-pool/app-clients';
import { EmailDeliverability } from './user-pool/email/email-deliverability';
import { createHealthcareUserPool } from './user-pool/healthcare-user-pool';
import { createLibraryKey } from './user-pool/library-key';
import { MachineClient, MachineClientOptions } from './user-pool/machine-client';
import { addMedflowResourceServer } from './user-pool/resource-server';
import { addRoleGroups } from './user-pool/role-groups';
import { addRiskConfiguration } from './user-pool/threat-protection/risk-configuration';
import { applyUserDataKey, createUserDataKey } from './user-pool/user-data-key';

export type { CustomDomainOptions, MedflowCognitoProps } from './config/medflow-cognito-props';

/** The Admin API actions of `grantUserAdministration`: never `AdminDeleteUser`. */
const USER_ADMINISTRATION_ACTIONS = [
  'AdminCreateUser',
  'AdminGetUser',
  'AdminUpdateUserAttributes',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminListGroupsForUser',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminUserGlobalSignOut',
];

/**
 * MedFlow's whole Cognito authentication stack, composed from an environment preset.
 *
 * @example
 * new MedflowCognito(this, 'Auth', {
 *   preset: EnvironmentPreset.prod(),
 *   email: EmailSender.ses({ fromAddress: 'no-reply@clinic.example' }),
 * });
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
  /** Customer-managed key encrypting the app client secrets, the lockout table and the library's log groups. */
  public readonly encryptionKey: kms.IKey;
  /**
   * Customer-managed key encrypting the user pool's user data (`KeyConfiguration`): `userDataKey` when
   * given, else the library's multi-Region user data key where the preset's `customerManagedUserDataKey`
   * is on (staging, prod). Undefined where the pool uses an AWS owned key (dev).
   */
  public readonly userDataKey?: kms.IKey;
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
  /** The SES configuration set the pool's email goes through, when the library created it. */
  public readonly emailConfigurationSet?: ses.IConfigurationSet;
  /** The sender's SES domain identity with its DKIM records, when `email` gave a hosted zone. */
  public readonly emailIdentity?: ses.EmailIdentity;

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
  /**
   * Output `user_pool_domain`: the Cognito domain prefix, or the custom domain name. For the host
   * users sign in at (the SSM `domain` parameter), read `hostedUiHost`.
   */
  public readonly userPoolDomain?: string;
  /** Output `hosted_ui_host`: the host users sign in at, without the scheme; the same value as the SSM `domain` parameter. */
  public readonly hostedUiHost?: string;
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

  private readonly configuration: ResolvedConfiguration;

  constructor(scope: Construct, id: string, props: MedflowCognitoProps) {
    super(scope, id);
    const config = resolveConfiguration(this, props);
    this.configuration = config;
    const { settings, names, environment } = config;
    this.settings = settings;
    this.resourcePrefix = names.prefix;
    this.healthcareRoles = [...config.roles];
    this.passkeyRelyingPartyId = config.userPool.passkeys?.passkeyRelyingPartyId;

    this.encryptionKey = createLibraryKey(this, {
      resourcePrefix: names.prefix, removalPolicy: settings.removalPolicy, deletionProtection: settings.deletionProtection,
    });
    const functionLogs: FunctionLogSettings = { encryptionKey: this.encryptionKey, ...config.logs };
    const sesSender = config.email.ses;
    const email = sesSender && new EmailDeliverability(this, 'Email', { ...sesSender, removalPolicy: settings.removalPolicy });
    this.emailConfigurationSet = email?.configurationSet;
    this.emailIdentity = email?.identity;
    this.userPool = createHealthcareUserPool(this, {
      ...config.userPool,
      sesEmail: sesSender && { ...sesSender, configurationSetName: email!.configurationSetName },
      featurePlan: settings.featurePlan,
      threatProtectionMode: settings.threatProtectionMode,
      selfSignUpEnabled: settings.selfSignUpEnabled,
      mfa: settings.mfa,
      passwordMinimumLength: settings.passwordMinimumLength,
      passwordHistorySize: settings.passwordHistorySize,
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
    });
    // Cognito checks the identity and the configuration set when it saves the email configuration.
    if (email) this.userPool.node.addDependency(email);
    recordEnvironment(this.userPool, environment);
    if (config.userDataKey.customerManaged) {
      this.userDataKey = config.userDataKey.key ?? createUserDataKey(this, {
        resourcePrefix: names.prefix, removalPolicy: settings.removalPolicy, deletionProtection: settings.deletionProtection,
      });
      applyUserDataKey(this.userPool, this.userDataKey);
    }
    if (config.threatProtection) {
      addRiskConfiguration(this, { userPool: this.userPool, threatProtection: config.threatProtection, sender: config.email.ses });
    }
    this.resourceServer = addMedflowResourceServer(this.userPool, names.of('resource-server'));
    this.appClient = addBackendAppClient(this.userPool, {
      ...config.appClient,
      generateSecret: settings.generateClientSecret,
      accessTokenValidity: settings.accessTokenValidity,
      idTokenValidity: settings.idTokenValidity,
      refreshTokenValidity: settings.refreshTokenValidity,
      refreshTokenRotationGracePeriod: config.refreshTokenRotation?.gracePeriod,
      oAuthScopes: config.oAuthScopes,
    });
    recordEnvironment(this.appClient, environment);
    // The client may request the resource server's scopes, so CloudFormation must create the server first.
    this.appClient.node.addDependency(this.resourceServer);

    this.userPoolId = this.userPool.userPoolId;
    this.userPoolArn = this.userPool.userPoolArn;
    this.appClientId = this.appClient.userPoolClientId;
    this.userPoolEndpoint = `cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${this.userPoolId}`;
    this.authority = `https://${this.userPoolEndpoint}`;

    this.securityTriggers = new SecurityTriggers(this, 'SecurityTriggers', {
      ...config.triggers,
      userPool: this.userPool,
      encryptionKey: this.encryptionKey,
      resourcePrefix: names.prefix,
      logRetention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
      deletionProtection: settings.deletionProtection,
      healthcareRoles: config.roles.map((role) => role.name),
      clinicalRoles: config.roles.filter((role) => role.clinical).map((role) => role.name),
    });

    const roleScopes = new RoleScopesTrigger(this, 'RoleScopes', {
      userPool: this.userPool,
      resourceServerIdentifier: MEDFLOW_RESOURCE_SERVER,
      roles: config.roles,
      logs: functionLogs,
      // One username hash key per deployment: every trigger's log lines correlate under it.
      usernameHashKey: this.securityTriggers.usernameHashKey,
      // Issued at every sign-in and refresh, so sized like the authentication triggers.
      reservedConcurrency: config.triggers.reserveConcurrency ? config.triggers.authenticationConcurrency : undefined,
      clinicIdClaim: config.accessTokenClaims.clinicIdClaim,
      userRoleClaim: config.accessTokenClaims.userRoleClaim,
      federatedAllowLists: (config.federation?.providers ?? []).filter((provider) => provider.trustIdentityAttributes)
        .map((provider) => ({ providerName: provider.name, clinicIds: provider.allowedClinicIds, roles: provider.allowedRoles })),
    });

    const rotationFunctions: lambda.IFunction[] = [];
    if (settings.generateClientSecret) {
      const store = new ClientSecretStore(this, 'ClientSecret', {
        userPool: this.userPool,
        userPoolClient: this.appClient,
        encryptionKey: this.encryptionKey,
        secretName: names.of('app-client-secret'),
        logs: functionLogs,
        rotationSchedule: config.clientSecretRotation.schedule,
        rotationGracePeriod: config.clientSecretRotation.gracePeriod,
      });
      this.clientSecret = store.secret;
      this.appClientSecretArn = store.secret.secretArn;
      rotationFunctions.push(store.rotation.rotationFunction);
    }

    if (config.hostedUi) {
      const hostedUi = addHostedUiDomain(this, this.userPool, this.appClient, config.hostedUi);
      this.domain = hostedUi.domain;
      this.userPoolDomain = hostedUi.userPoolDomain;
      this.hostedUiUrl = hostedUi.hostedUiUrl;
      this.hostedUiHost = hostedUi.hostedUiHost;
      this.customDomainUrl = hostedUi.customDomainUrl;
    }

    if (config.federation) {
      const federation = new HospitalFederation(this, 'Federation', {
        ...config.federation,
        userPool: this.userPool,
        accessTokenValidity: settings.accessTokenValidity,
        idTokenValidity: settings.idTokenValidity,
        refreshTokenValidity: settings.refreshTokenValidity,
        // The token endpoint's refresh_token grant rotates refresh tokens too, so federated sessions get the same protection.
        refreshTokenRotationGracePeriod: config.refreshTokenRotation?.gracePeriod,
        callbackUrls: config.appClient.callbackUrls,
        logoutUrls: config.appClient.logoutUrls,
        oAuthScopes: config.oAuthScopes,
        encryptionKey: this.encryptionKey,
        secretRotation: settings.generateClientSecret ? config.clientSecretRotation : undefined,
        logs: functionLogs,
        environment,
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
    if (config.terms) {
      for (const [termsId, client] of [['Terms', this.appClient], ['FederatedTerms', this.federatedClient]] as const) {
        if (client) new TermsDocuments(this, termsId, { userPool: this.userPool, client, ...config.terms });
      }
      if (!settings.selfSignUpEnabled) {
        Annotations.of(this).addWarningV2('@medflow/cognito-construct:terms-on-sign-up-page',
          'Managed login links the terms of use and privacy notice from its sign-up page, which users never see while self sign-up is off; show them in the application too.');
      }
    }

    if (config.identityPool) {
      const clinicIdentity = new ClinicIdentity(this, 'Identity', {
        ...config.identityPool,
        userPool: this.userPool,
        userPoolClient: this.appClient,
        roles: config.roles,
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
    }
    addRoleGroups(this.userPool, config.roles);

    this.backendConfig = new BackendConfig(this, 'BackendConfig', {
      parameterPath: config.parameterPath,
      userPoolId: this.userPoolId,
      clientId: this.appClientId,
      region: Stack.of(this).region,
      authority: this.authority,
      identityPoolId: this.identityPoolId,
      domain: this.hostedUiHost,
      clientSecret: this.clientSecret,
      encryptionKey: this.encryptionKey,
    });

    this.operations = this.createOperations(config, [
      roleScopes.handlerFunction,
      this.securityTriggers.preAuthenticationFunction,
      this.securityTriggers.postAuthenticationFunction,
      this.securityTriggers.preSignUpFunction,
      this.securityTriggers.customMessageFunction,
    ], rotationFunctions);
    this.monitoring = this.operations.monitoring;

    this.acknowledgePresetChoices(config);
    this.createOutputs();
    this.replacementGuard = new ReplacementGuard(this, 'ReplacementGuard', {
      ...config.replacementGuard,
      userPool: this.userPool,
      domain: this.domain,
      identityPool: this.identityPool,
    });

    Tags.of(this).add('Environment', settings.environmentName);
    Tags.of(this).add('Project', config.projectName);
    Tags.of(this).add('DataClassification', environment.dataClassification);
    Tags.of(this).add('Compliance', 'HIPAA');
    // The compliance report says once what the library's functions keep in their environment variables.
    recordLibraryFunctions(this);
  }

  /**
   * Adds a machine-to-machine client: the client credentials grant only, with only the given
   * `medflow` scopes, tokens of at most 1 hour, and its secret in Secrets Manager, rotated like the
   * backend client's. With alarms on, the rotation's failures raise an alarm on the alarm topic.
   *
   * @example
   * const lab = auth.addMachineClient('LabSystem', { scopes: [MedflowScope.PATIENTS_READ] });
   */
  public addMachineClient(id: string, options: MachineClientOptions): MachineClient {
    const config = this.configuration;
    const checked = MachineClient._resolve(id, options, config.settings.accessTokenValidity, config.names.prefix);
    const machine = new MachineClient(this, id, {
      ...checked,
      userPool: this.userPool,
      resourceServer: this.resourceServer,
      encryptionKey: this.encryptionKey,
      rotationSchedule: config.clientSecretRotation.schedule,
      rotationGracePeriod: config.clientSecretRotation.gracePeriod,
      logRetention: config.logs.logRetention,
      removalPolicy: config.logs.removalPolicy,
      production: config.environment.production,
      dataClassification: config.environment.dataClassification,
    });
    if (config.operations.enableAlarms) {
      this.monitoring.addAlarm(new cloudwatch.Alarm(machine, 'RotationFailures', {
        alarmName: `${checked.clientName}-secret-rotation-failures`.slice(0, 255),
        alarmDescription: `The secret rotation of machine client ${checked.clientName} failed in the last hour; the client secret may be half-rotated. `
          + 'Read the rotation function\'s log and finish or cancel the rotation (docs/operations-runbook.md).',
        metric: machine.rotationErrors,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    return machine;
  }

  /**
   * Lets `grantee` administer this pool's users as the backend does: create users, read them, set
   * their attributes (the identity attributes included, which no app client may write), manage their
   * groups, disable and enable them, and sign them out everywhere. It grants no user deletion, and
   * nothing on any other pool.
   */
  public grantUserAdministration(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: USER_ADMINISTRATION_ACTIONS.map((action) => `cognito-idp:${action}`),
      resourceArns: [this.userPool.userPoolArn],
    });
  }

  /**
   * What a `MedflowCognitoReplica` of this pool reads: the narrow parts of the resolved configuration
   * and the constructs it links to.
   * @internal
   */
  public _replicationSource(): ReplicationSource {
    return {
      configuration: this.configuration,
      userPool: this.userPool,
      appClient: this.appClient,
      federatedClient: this.federatedClient,
      userDataKey: this.userDataKey,
      securityTriggers: this.securityTriggers,
      clientSecret: this.clientSecret,
      clientSecrets: [this.clientSecret, this.federatedClientSecret].filter((secret): secret is secretsmanager.ISecret => secret !== undefined),
    };
  }

  private createOperations(
    config: ResolvedConfiguration, triggerFunctions: lambda.IFunction[], rotationFunctions: lambda.IFunction[],
  ): CognitoOperations {
    const { settings, operations } = config;
    return new CognitoOperations(this, 'Operations', {
      userPool: this.userPool,
      userPoolClients: this.federatedClient ? [this.appClient, this.federatedClient] : [this.appClient],
      environmentName: settings.environmentName,
      enableAlarms: operations.enableAlarms,
      enableBackup: operations.enableBackup,
      threatProtection: operations.plusPlan,
      authEvents: operations.plusPlan,
      logRetention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
      projectName: config.projectName,
      resourcePrefix: config.names.prefix,
      logEncryptionKey: this.encryptionKey,
      alarmEmail: operations.alarmEmail,
      monthlyBudget: operations.monthlyBudget,
      alarmThresholds: operations.alarmThresholds,
      authEventsDestination: operations.authEventsDestination,
      triggerFunctions,
      rotationFunctions,
      sesEmail: this.sesEmailMonitoring(config),
    });
  }

  /** SES metrics live in the SES Region, and CloudWatch alarms read only their own Region's. */
  private sesEmailMonitoring(config: ResolvedConfiguration): SesEmailMonitoring | undefined {
    const sender = config.email.ses;
    if (!sender) return undefined;
    if (sender.sesRegion !== Stack.of(this).region) {
      Annotations.of(this).addWarningV2('@medflow/cognito-construct:ses-region-not-monitored',
        `Email goes through SES in ${sender.sesRegion}; its bounce and complaint rates are not alarmed from this Region. Alarm on them in ${sender.sesRegion}.`);
      return undefined;
    }
    return { configurationSetName: sender.createConfigurationSet ? sender.configurationSetName : undefined };
  }

  private acknowledgePresetChoices(config: ResolvedConfiguration): void {
    const choices = presetChoiceAcknowledgements(config.environment, config.settings, config.email);
    if (choices.userPool.length > 0) acknowledgeRules(this.userPool, ...choices.userPool);
    if (choices.userPoolResource.length > 0) acknowledgeRules(this.userPool.node.defaultChild!, ...choices.userPoolResource);
    if (choices.appClientResource.length > 0) acknowledgeRules(this.appClient.node.defaultChild!, ...choices.appClientResource);
  }

  private createOutputs(): void {
    const outputs: [string, string, string | undefined][] = [
      ['user_pool_id', 'Cognito user pool ID', this.userPoolId],
      ['user_pool_arn', 'Cognito user pool ARN', this.userPoolArn],
      ['app_client_id', 'Backend app client ID', this.appClientId],
      ['app_client_secret', 'ARN of the Secrets Manager secret holding the app client secret (never the value)', this.appClientSecretArn],
      ['user_pool_endpoint', 'User pool endpoint (OIDC issuer without the scheme)', this.userPoolEndpoint],
      ['user_pool_domain', 'Cognito domain prefix, or the custom domain name (the host is hosted_ui_host)', this.userPoolDomain],
      ['hosted_ui_host', 'Host of the hosted UI without the scheme; the SSM domain parameter holds the same value', this.hostedUiHost],
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
      new CfnOutput(this, toPascalCase(name), {
        description: `${name}: ${description}`,
        value,
        // Decided at synthesis, when every MedflowCognito of the stack exists.
        exportName: Lazy.string({ produce: () => this.exportName(name) }),
      });
    }
  }

  /**
   * `<stackName>-user-pool-id` and so on. Export names are unique per account and Region, so when a
   * stack holds several MedflowCognito, each one's exports carry its construct path as well:
   * `<stackName>-<path>-user-pool-id`.
   */
  private exportName(output: string): string {
    const stack = Stack.of(this);
    const suffix = output.replace(/_/g, '-');
    const siblings = stack.node.findAll().filter((c) => c instanceof MedflowCognito && Stack.of(c) === stack);
    const path = this.node.path.slice(stack.node.path.length + 1).replace(/[^A-Za-z0-9]+/g, '-');
    const name = siblings.length > 1 ? `${stack.stackName}-${path}-${suffix}` : `${stack.stackName}-${suffix}`;
    // CloudFormation allows export names of at most 255 characters.
    if (name.length > 255) {
      throw new Error(`MedflowCognito: the export name ${name} is ${name.length} characters long; allowed: at most 255. Use a shorter stack name or construct ID.`);
    }
    return name;
  }
}

function toPascalCase(snake: string): string {
  return snake.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
