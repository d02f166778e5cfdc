import {
  CfnOutput,
  CfnResource,
  Fn,
  Stack,
  Tags,
  Token,
  aws_cloudwatch as cloudwatch,
  aws_cognito as cognito,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ReplicaStatusCheck } from './replica-status-check';
import { ReplicationSource } from './replication-source';
import { BackendConfig } from '../backend-config/backend-config';
import { ClinicIdentity } from '../identity/clinic-identity';
import { MEDFLOW_RESOURCE_SERVER } from '../identity/medflow-scopes';
import { recordLibraryFunctions } from '../internal/library-function';
import { PropValidator } from '../internal/prop-validation';
import type { MedflowCognito } from '../medflow-cognito';
import { PASSKEY_MULTI_FACTOR } from '../sign-in/passkeys';
import { RoleScopesTrigger } from '../triggers/pre-token-generation/role-scopes-trigger';
import { SecurityTriggers } from '../triggers/security-triggers';
import { createLibraryKey, logsEncryptionStatement } from '../user-pool/library-key';
import { cognitoUserDataStatement } from '../user-pool/user-data-key';

/**
 * The two deployments that bring up a replica Region.
 *
 * The primary stack's `AWS::Cognito::UserPoolReplica` needs the user data key in the replica Region
 * first ("The key must be available in all Regions that have a user pool replica", Cognito developer
 * guide, "Multi-Region replication for user pools"), and the replica Region's regional configuration
 * needs the secondary pool to exist. So a new replica Region is deployed once with `PREPARE_REGION`
 * (keys, functions, parameters, identity pool), then with `REPLICATE`.
 */
export enum ReplicaRolloutPhase {
  /** Only the replica Region's own resources: no replica, no regional configuration, no table or secret replica yet. */
  PREPARE_REGION = 'PREPARE_REGION',
  /** Everything: the replica in the primary stack, the table and secret replicas, and the regional configuration. */
  REPLICATE = 'REPLICATE',
}

/** Props for `MedflowCognitoReplica`. */
export interface MedflowCognitoReplicaProps {
  /** The primary: a `MedflowCognito` in a stack of another Region of the same account. */
  readonly primary: MedflowCognito;
  /**
   * Which deployment of the rollout this is: `PREPARE_REGION` for the first deployment of a new
   * replica Region, then `REPLICATE` (docs/disaster-recovery.md).
   * @default ReplicaRolloutPhase.REPLICATE
   */
  readonly phase?: ReplicaRolloutPhase;
  /**
   * The replica of the primary's user data key in this Region, when you manage it yourself (for a
   * `userDataKey` of your own that already has a replica here).
   * @default - an `AWS::KMS::ReplicaKey` of the primary's user data key, usable by Cognito in this Region only
   */
  readonly userDataKeyReplica?: kms.IKey;
  /**
   * This Region's library key (log groups, the lockout table replica, the client secret replicas),
   * when it comes from a stack of this Region deployed before the primary's. The primary's stack then
   * names it by its ARN, a cross-Region reference, so the primary depends on that stack; with
   * `userDataKeyReplica` from the same stack, one deployment of every stack in dependency order brings
   * the replica up without the two-phase rollout. A key created in this app gains the key policy
   * statement that lets CloudWatch Logs of this Region use it.
   * @default - a key created here with the alias `alias/{prefix}`, which the primary's stack names by its alias ARN
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A secondary of a `MedflowCognito` user pool in another Region, for disaster recovery (Cognito
 * multi-Region replication), with what that Region needs to serve sign-in during a failover: the
 * same trigger handlers with the same least-privilege roles, the regional email configuration, the
 * backend's SSM parameters, an identity pool with the same role mapping, and the replicas of the
 * lockout table, the client secrets and the user data key.
 *
 * Place it in a stack of the replica Region created with `crossRegionReferences: true`. It adds the
 * `AWS::Cognito::UserPoolReplica` to the primary's stack, where CloudFormation creates replicas:
 * the resource names the target Region (`RegionName`) of the pool it is declared beside.
 *
 * @example
 * const replicaStack = new Stack(app, 'AuthReplica', { env: { region: 'eu-central-1' }, crossRegionReferences: true });
 * new MedflowCognitoReplica(replicaStack, 'AuthReplica', { primary: auth });
 */
export class MedflowCognitoReplica extends Construct {
  /** The replica Region. */
  public readonly replicaRegion: string;
  /** The primary's Region. */
  public readonly primaryRegion: string;
  /** The user pool ID, shared by the primary and the secondary. */
  public readonly userPoolId: string;
  /** The secondary pool's ARN in the replica Region. */
  public readonly userPoolArn: string;
  /** The OIDC issuer of tokens the secondary issues: `https://cognito-idp.{replicaRegion}.{urlSuffix}/{userPoolId}`. */
  public readonly authority: string;
  /** The rollout phase in force. */
  public readonly phase: ReplicaRolloutPhase;
  /** The `AWS::Cognito::UserPoolReplica`, in the primary's stack; undefined in `PREPARE_REGION`. */
  public readonly replica?: CfnResource;
  /**
   * The alarm on `ReplicaHealthy`, in the primary's stack and on its alarm topic: the replica has not been
   * ACTIVE or INACTIVE for 15 minutes, or its status check stopped. Undefined in `PREPARE_REGION` or with alarms off.
   */
  public readonly replicaStatusAlarm?: cloudwatch.IAlarm;
  /** The `AWS::Cognito::UserPoolRegionalConfigurationAttachment` in this Region; undefined in `PREPARE_REGION`. */
  public readonly regionalConfiguration?: CfnResource;
  /** The library key of this Region: log groups, the lockout table replica and the client secret replicas. Alias `alias/{prefix}`. */
  public readonly encryptionKey: kms.IKey;
  /** The user data key in this Region. */
  public readonly userDataKeyReplica: kms.IKey;
  /** The lockout, sign-up validation and localized message triggers of this Region. */
  public readonly securityTriggers: SecurityTriggers;
  /** The pre token generation function of this Region. */
  public readonly preTokenGenerationFunction: lambda.IFunction;
  /** The backend's configuration in this Region: the same parameter names under the same path. */
  public readonly backendConfig: BackendConfig;
  /** The identity pool of this Region with its per-role IAM roles, when the primary has one. */
  public readonly clinicIdentity?: ClinicIdentity;
  /** The client secret replica in this Region, when the app client has a secret. */
  public readonly clientSecret?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: MedflowCognitoReplicaProps) {
    super(scope, id);
    const source = props.primary._replicationSource();
    const { configuration: config } = source;
    const stack = Stack.of(this);
    const primaryStack = Stack.of(props.primary);
    this.phase = props.phase ?? ReplicaRolloutPhase.REPLICATE;
    checkReplication(source, stack, primaryStack, this.phase, props);
    this.replicaRegion = stack.region;
    this.primaryRegion = primaryStack.region;
    const prefix = config.names.prefix;
    const settings = config.settings;

    this.userPoolId = source.userPool.userPoolId;
    this.userPoolArn = stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: this.userPoolId });
    this.authority = `https://cognito-idp.${this.replicaRegion}.${stack.urlSuffix}/${this.userPoolId}`;

    let keyArnInPrimary: string;
    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
      this.encryptionKey.addToResourcePolicy(logsEncryptionStatement(Stack.of(this.encryptionKey)));
      // A stack other than this one, deployed before the primary's: no cycle, so the primary can reference it.
      keyArnInPrimary = this.encryptionKey.keyArn;
    } else {
      // The same alias in this Region as the primary's library key: the primary stack names this key by
      // its alias ARN, which it can build without a reference into this stack (that would be a cycle).
      this.encryptionKey = createLibraryKey(this, {
        resourcePrefix: prefix, removalPolicy: settings.removalPolicy, deletionProtection: settings.deletionProtection,
      });
      keyArnInPrimary = `arn:${stack.partition}:kms:${this.replicaRegion}:${stack.account}:alias/${prefix}`;
    }
    this.userDataKeyReplica = props.userDataKeyReplica ?? this.createUserDataKeyReplica(source.userDataKey!, settings.deletionProtection);

    const replicaPool = cognito.UserPool.fromUserPoolArn(this, 'SecondaryPool', this.userPoolArn);
    const logs = { encryptionKey: this.encryptionKey, ...config.logs };
    const { globalLockoutTable: _global, ...triggerOptions } = config.triggers;
    this.securityTriggers = new SecurityTriggers(this, 'SecurityTriggers', {
      ...triggerOptions,
      userPool: replicaPool,
      attachToUserPool: false,
      // The replica of the primary's global table in this Region, under the same name.
      lockoutTable: dynamodb.Table.fromTableAttributes(this, 'LockoutTable', {
        tableName: source.securityTriggers.lockoutTableName, encryptionKey: this.encryptionKey,
      }),
      encryptionKey: this.encryptionKey,
      resourcePrefix: prefix,
      logRetention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
      deletionProtection: settings.deletionProtection,
      healthcareRoles: config.roles.map((role) => role.name),
      clinicalRoles: config.roles.filter((role) => role.clinical).map((role) => role.name),
    });
    this.preTokenGenerationFunction = new RoleScopesTrigger(this, 'RoleScopes', {
      resourceServerIdentifier: MEDFLOW_RESOURCE_SERVER,
      roles: config.roles,
      logs,
      reservedConcurrency: config.triggers.reserveConcurrency ? config.triggers.authenticationConcurrency : undefined,
      clinicIdClaim: config.accessTokenClaims.clinicIdClaim,
      userRoleClaim: config.accessTokenClaims.userRoleClaim,
      // This Region's own username hash key: log lines hash the same user differently in each Region.
      usernameHashKey: this.securityTriggers.usernameHashKey,
      federatedAllowLists: (config.federation?.providers ?? []).filter((provider) => provider.trustIdentityAttributes)
        .map((provider) => ({ providerName: provider.name, clinicIds: provider.allowedClinicIds, roles: provider.allowedRoles })),
    }).handlerFunction;
    const triggers = this.securityTriggers;
    for (const fn of [triggers.preAuthenticationFunction, triggers.postAuthenticationFunction, triggers.preSignUpFunction,
      triggers.customMessageFunction, this.preTokenGenerationFunction]) {
      // What UserPool.addTrigger grants in the primary: only this pool, in this Region, may invoke the function.
      fn.addPermission('CognitoInvoke', {
        principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'),
        sourceArn: this.userPoolArn,
      });
    }

    if (source.clientSecret) {
      this.clientSecret = secretsmanager.Secret.fromSecretCompleteArn(this, 'ClientSecret', regionalArn(source.clientSecret.secretArn, this.replicaRegion));
    }

    if (config.identityPool) {
      // IAM role names are global, so this Region's roles carry its name.
      const regional = (name: string) => `${name}-${this.replicaRegion}`.slice(0, 64);
      this.clinicIdentity = new ClinicIdentity(this, 'Identity', {
        ...config.identityPool,
        authenticatedRoleName: regional(config.identityPool.authenticatedRoleName),
        unauthenticatedRoleName: regional(config.identityPool.unauthenticatedRoleName),
        userPool: replicaPool,
        userPoolClient: cognito.UserPoolClient.fromUserPoolClientId(this, 'AppClient', source.appClient.userPoolClientId),
        federatedUserPoolClient: source.federatedClient
          ? cognito.UserPoolClient.fromUserPoolClientId(this, 'FederatedClient', source.federatedClient.userPoolClientId) : undefined,
        roles: config.roles,
        encryptionKey: this.encryptionKey,
        logRetention: settings.logRetention,
        removalPolicy: settings.removalPolicy,
      });
    }

    this.backendConfig = new BackendConfig(this, 'BackendConfig', {
      parameterPath: config.parameterPath,
      userPoolId: this.userPoolId,
      clientId: source.appClient.userPoolClientId,
      region: this.replicaRegion,
      authority: this.authority,
      identityPoolId: this.clinicIdentity?.identityPool.identityPoolId,
      clientSecret: this.clientSecret,
      encryptionKey: this.clientSecret ? this.encryptionKey : undefined,
    });

    if (this.phase === ReplicaRolloutPhase.REPLICATE) {
      this.replica = this.linkPrimary(props.primary, source, keyArnInPrimary);
      this.replicaStatusAlarm = this.checkReplicaStatus(props.primary, source);
      this.regionalConfiguration = this.createRegionalConfiguration(source);
    }

    this.createOutputs();

    Tags.of(this).add('Environment', settings.environmentName);
    Tags.of(this).add('Project', config.projectName);
    Tags.of(this).add('DataClassification', config.environment.dataClassification);
    Tags.of(this).add('Compliance', 'HIPAA');
    recordLibraryFunctions(this);
  }

  /** The replica Region's counterparts of the primary's outputs; ARNs, never secret values. */
  private createOutputs(): void {
    const outputs: [string, string, string | undefined][] = [
      ['user_pool_id', 'Cognito user pool ID, shared with the primary', this.userPoolId],
      ['user_pool_arn', 'ARN of the secondary user pool in this Region', this.userPoolArn],
      ['user_pool_endpoint', 'Endpoint of the secondary (OIDC issuer of its tokens without the scheme)', this.authority.replace(/^https:\/\//, '')],
      ['app_client_secret', 'ARN of the replica of the app client secret in this Region (never the value)', this.clientSecret?.secretArn],
      ['identity_pool_id', 'Cognito identity pool ID in this Region', this.clinicIdentity?.identityPool.identityPoolId],
    ];
    for (const [name, description, value] of outputs) {
      if (value === undefined) continue;
      const id = name.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
      new CfnOutput(this, id, { description: `${name}: ${description}`, value });
    }
  }

  /**
   * The `AWS::KMS::ReplicaKey` of the primary's multi-Region user data key, with a key policy that lets
   * Cognito use it for user pools of this account in this Region, like the primary key's.
   */
  private createUserDataKeyReplica(primaryKey: kms.IKey, deletionProtection: boolean): kms.IKey {
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AllowAccountAdministration',
          principals: [new iam.AccountRootPrincipal()],
          actions: ['kms:*'],
          resources: ['*'],
        }),
        cognitoUserDataStatement(this),
      ],
    });
    const replicaKey = new kms.CfnReplicaKey(this, 'UserDataKeyReplica', {
      primaryKeyArn: primaryKey.keyArn,
      keyPolicy: policy,
      description: `Replica of the user data key of the ${this.node.path} user pool replica (KeyConfiguration).`,
      pendingWindowInDays: deletionProtection ? 30 : 7,
    });
    return kms.Key.fromKeyArn(this, 'UserDataKeyReplicaRef', replicaKey.attrArn);
  }

  /** What the primary's stack gains: the replica itself, the lockout table's replica and the client secret replicas. */
  private linkPrimary(primary: MedflowCognito, source: ReplicationSource, keyArn: string): CfnResource {
    const config = source.configuration;
    const regionId = this.replicaRegion.replace(/[^A-Za-z0-9]/g, '');
    // AWS::Cognito::UserPoolReplica: RegionName and UserPoolId both "Update requires: Replacement"
    // (CloudFormation reference). A user directory has at most one secondary.
    const replica = new CfnResource(primary, `UserPoolReplica${regionId}`, {
      type: 'AWS::Cognito::UserPoolReplica',
      properties: {
        RegionName: this.replicaRegion,
        UserPoolId: source.userPool.userPoolId,
        UserPoolTagsAtCreate: {
          Environment: config.settings.environmentName,
          Project: config.projectName,
          DataClassification: config.environment.dataClassification,
          Compliance: 'HIPAA',
        },
      },
    });
    // KeyConfiguration must be on the pool before replication is enabled.
    replica.node.addDependency(source.userPool);
    source.securityTriggers._addLockoutReplica(this.replicaRegion, keyArn);
    for (const secret of source.clientSecrets) {
      const cfnSecret = secret.node.defaultChild as secretsmanager.CfnSecret | undefined;
      if (!cfnSecret) continue;
      // Secrets Manager rotates the primary secret and propagates each new version to its replicas.
      cfnSecret.addPropertyOverride('ReplicaRegions', [{ Region: this.replicaRegion, KmsKeyId: keyArn }]);
    }
    return replica;
  }

  /**
   * The replica's status check, in the primary's stack: ListUserPoolReplicas is answered in the primary's
   * Region, which is the one that still runs when the replica Region is the one in trouble.
   */
  private checkReplicaStatus(primary: MedflowCognito, source: ReplicationSource): cloudwatch.IAlarm | undefined {
    const config = source.configuration;
    const regionId = this.replicaRegion.replace(/[^A-Za-z0-9]/g, '');
    const check = new ReplicaStatusCheck(primary, `ReplicaStatus${regionId}`, {
      userPoolId: source.userPool.userPoolId,
      userPoolArn: source.userPool.userPoolArn,
      replicaRegion: this.replicaRegion,
      logs: { encryptionKey: primary.encryptionKey, ...config.logs },
      alarmNamePrefix: config.operations.enableAlarms ? config.names.prefix : undefined,
    });
    if (check.alarm) primary.monitoring.addAlarm(check.alarm);
    return check.alarm;
  }

  /**
   * AWS::Cognito::UserPoolRegionalConfigurationAttachment: the settings a secondary keeps of its own
   * (email, SMS, Lambda triggers, tags; Cognito developer guide, "Multi-Region replication for user
   * pools"). Its functions are this Region's.
   */
  private createRegionalConfiguration(source: ReplicationSource): CfnResource {
    const ses = source.configuration.email.ses;
    const triggers = this.securityTriggers;
    const attachment = new CfnResource(this, 'RegionalConfiguration', {
      type: 'AWS::Cognito::UserPoolRegionalConfigurationAttachment',
      properties: {
        UserPoolId: this.userPoolId,
        LambdaConfig: {
          PreAuthentication: triggers.preAuthenticationFunction.functionArn,
          PostAuthentication: triggers.postAuthenticationFunction.functionArn,
          PreSignUp: triggers.preSignUpFunction.functionArn,
          CustomMessage: triggers.customMessageFunction.functionArn,
          PreTokenGenerationConfig: { LambdaArn: this.preTokenGenerationFunction.functionArn, LambdaVersion: 'V2_0' },
        },
        // SES identities are regional: the sender's identity must be verified in this Region as well.
        // The primary's configuration set and its event destinations exist only in the primary's Region.
        EmailConfiguration: ses ? {
          EmailSendingAccount: 'DEVELOPER',
          From: ses.fromName ? `${ses.fromName} <${ses.fromAddress}>` : ses.fromAddress,
          ReplyToEmailAddress: ses.replyTo,
          SourceArn: Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: ses.identityName }),
        } : { EmailSendingAccount: 'COGNITO_DEFAULT' },
        UserPoolTags: {
          Environment: source.configuration.settings.environmentName,
          Project: source.configuration.projectName,
          DataClassification: source.configuration.environment.dataClassification,
          Compliance: 'HIPAA',
        },
      },
    });
    attachment.node.addDependency(triggers, this.preTokenGenerationFunction);
    return attachment;
  }
}

/** `arn` with its Region replaced: a replica secret keeps the primary's name and suffix. */
function regionalArn(arn: string, region: string): string {
  const part = (index: number) => Fn.select(index, Fn.split(':', arn));
  return Fn.join(':', [part(0), part(1), part(2), region, part(4), part(5), part(6)]);
}

/** The constraints of Cognito multi-Region replication and of this construct, as synth errors. */
function checkReplication(source: ReplicationSource, stack: Stack, primaryStack: Stack, phase: ReplicaRolloutPhase,
  props: MedflowCognitoReplicaProps): void {
  const v = new PropValidator('MedflowCognitoReplica');
  const config = source.configuration;
  const settings = config.settings;
  if (!Object.values(ReplicaRolloutPhase).includes(phase)) {
    v.fail('phase', JSON.stringify(phase), Object.values(ReplicaRolloutPhase).map((p) => `ReplicaRolloutPhase.${p}`).join(' or '));
  }
  if (Token.isUnresolved(stack.region) || Token.isUnresolved(primaryStack.region)) {
    v.fail('scope', `in a stack without a concrete Region (replica ${stack.region}, primary ${primaryStack.region})`,
      'stacks with env.region set, the replica\'s to a Region other than the primary\'s');
  }
  if (stack.region === primaryStack.region) {
    v.fail('scope', `in stack ${stack.stackName} of Region ${stack.region}`,
      `a stack in a Region other than the primary's (${primaryStack.region}); a replica in the primary's Region gives no disaster recovery`);
  }
  for (const [name, key] of [['encryptionKey', props.encryptionKey], ['userDataKeyReplica', props.userDataKeyReplica]] as const) {
    const keyRegion = key?.env.region;
    if (key && keyRegion && !Token.isUnresolved(keyRegion) && !Token.isUnresolved(stack.region) && keyRegion !== stack.region) {
      v.fail(name, `a key in ${keyRegion}`, `a KMS key in the replica Region (${stack.region})`);
    }
  }
  if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(primaryStack.account) && stack.account !== primaryStack.account) {
    v.fail('scope', 'in a stack of another account', 'a stack of the primary\'s account: Cognito replicates a pool within its account');
  }
  if (settings.environmentName === 'dev' && !settings.production) {
    v.fail('primary', 'built from the dev preset', 'a primary built from the staging or prod preset (or a preset derived from them)',
      'The dev preset keeps its user data under an AWS owned key and holds synthetic users only; it does not allow a replica.');
  }
  if (settings.featurePlan === cognito.FeaturePlan.LITE) {
    v.fail('primary featurePlan', 'LITE', 'ESSENTIALS or PLUS: Cognito multi-Region replication is not available on the Lite plan');
  }
  if (!config.userDataKey.customerManaged) {
    v.fail('primary userDataKey', 'an AWS owned key', 'a customer-managed multi-Region KMS key (preset setting customerManagedUserDataKey: true, '
      + 'or userDataKey with multiRegion: true): Cognito replicates only pools encrypted with a multi-Region key');
  }
  const givenKey = config.userDataKey.key;
  const givenCfnKey = givenKey?.node.defaultChild;
  if (givenCfnKey instanceof kms.CfnKey && givenCfnKey.multiRegion !== true) {
    v.fail('primary userDataKey', `${givenKey!.node.path} (a single-Region key)`,
      'a key created with multiRegion: true; MultiRegion cannot change on an existing key, so create a new multi-Region key');
  }
  const secondFactor = config.userPool.emailMfa || config.userPool.passkeys?.factorConfiguration === PASSKEY_MULTI_FACTOR;
  if (settings.mfa === cognito.Mfa.REQUIRED && !secondFactor) {
    v.fail('primary enableEmailMfa / enablePasskeys', 'both off on a pool that requires MFA',
      'enableEmailMfa: true or enablePasskeys: true: the secondary does not support TOTP MFA, so in a failover users need email OTP or a passkey to sign in');
  }
  if (!config.triggers.globalLockoutTable) {
    v.fail('primary securityTriggers.globalLockoutTable', 'false',
      'true: the lockout must hold in both Regions (Cognito\'s own failed-attempt counters are not synchronized)',
      'An existing table is migrated to a global table as docs/disaster-recovery.md describes.');
  }
  if (!(stack as unknown as { _crossRegionReferences?: boolean })._crossRegionReferences) {
    v.fail('crossRegionReferences', `false on stack ${stack.stackName}`,
      'true: the replica reads the pool ID, client ID, user data key and secret ARNs from the primary stack',
      `Create the replica stack with new Stack(app, '${stack.node.id}', { env: { region: '${stack.region}' }, crossRegionReferences: true }).`);
  }
  if (settings.generateClientSecret && !source.clientSecret) {
    v.fail('primary', 'with a client secret outside Secrets Manager', 'a primary whose client secret is in Secrets Manager');
  }
}
