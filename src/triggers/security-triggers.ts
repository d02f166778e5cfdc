import {
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  aws_cloudwatch as cloudwatch,
  aws_cognito as cognito,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { CustomMessageFunction } from './custom-message/custom-message-function';
import { PostAuthenticationFunction } from './lockout/post-authentication-function';
import { PreAuthenticationFunction } from './lockout/pre-authentication-function';
import { METRICS_NAMESPACE, lockKey } from './shared/trigger-log';
import { createUsernameHashKey, usernameHashKeyEnvironment, usernameHashKeyStatements } from './shared/username-hash-key';
import { PreSignUpFunction } from './sign-up/pre-sign-up-function';
import { acknowledgeRules } from '../internal/acknowledgements';
import { HIPAA_AND_NIST_PACKS } from '../internal/compliance-packs';
import { RESERVED_CONCURRENCY_OFF_REASON, createLibraryFunction } from '../internal/library-function';
import { MedflowMetrics } from '../operations/metrics';

/** What the PreAuthentication trigger does when the lockout table cannot be read or written in time. */
export enum LockoutFailureMode {
  /**
   * Let the attempt through and emit the `LockoutStoreUnavailable` metric. The password, MFA
   * and Cognito threat protection still apply; only the lockout count is skipped.
   */
  FAIL_OPEN = 'FAIL_OPEN',
  /** Reject the attempt with a generic "temporarily unavailable" message and emit the metric. */
  FAIL_CLOSED = 'FAIL_CLOSED',
}

/** Options of the security triggers that `MedflowCognito` passes through. */
export interface SecurityTriggersOptions {
  /**
   * What sign-in does when DynamoDB is unreachable, throttles or answers too slowly.
   * @default LockoutFailureMode.FAIL_OPEN
   */
  readonly failureMode?: LockoutFailureMode;
  /**
   * VPC to run the four trigger functions in. The subnets need a route to DynamoDB
   * (a gateway endpoint or NAT).
   * @default - no VPC: the functions call only AWS APIs over TLS
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets for the functions when `vpc` is given.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Whether each trigger function gets reserved concurrency. A reservation fails the deployment
   * in an account whose concurrency limit cannot keep 100 executions unreserved (new accounts
   * often have a limit of 10), so it is off in dev.
   * @default - true, except in the dev preset
   */
  readonly reserveConcurrency?: boolean;
  /**
   * Reserved concurrency of each of the PreAuthentication and PostAuthentication functions and,
   * in `MedflowCognito`, of the pre token generation function, 1-1000. Sized from Cognito's UserAuthentication quota (120 requests per second by default)
   * times about 0.2 s per invocation.
   * @default 25
   */
  readonly authenticationConcurrency?: number;
  /**
   * Reserved concurrency of each of the PreSignUp and CustomMessage functions, 1-1000. Sized from
   * Cognito's UserCreation quota (50 requests per second by default) times about 0.2 s.
   * @default 10
   */
  readonly messageConcurrency?: number;
  /**
   * Keep the lockout table as a DynamoDB global table (`AWS::DynamoDB::GlobalTable`), named
   * `{prefix}-account-lockout-global`, so that a `MedflowCognitoReplica` can add its Region as a
   * replica and a user locked out in one Region is locked out in the other. Cognito's own failed-attempt
   * counters are not synchronized across Regions (Cognito developer guide, "Multi-Region replication
   * for user pools").
   *
   * Opt-in because an existing deployment gets a new table: the global table has its own logical ID
   * and name, since changing the resource type of an `AWS::DynamoDB::Table` to `AWS::DynamoDB::GlobalTable`
   * "may result in the deletion of your DynamoDB table" (DynamoDB developer guide, "Best practices for
   * global tables"). The regional table leaves the stack (retained where the removal policy retains,
   * delete it by hand) and the attempt counters in it are dropped: accounts locked at that moment are
   * unlocked. Switch in a maintenance window (docs/disaster-recovery.md).
   * @default false
   */
  readonly globalLockoutTable?: boolean;
}

/**
 * Props for `SecurityTriggers`, resolved and validated by `MedflowCognito`'s configuration.
 * `MedflowCognito` builds this construct; its props are not checked again here.
 */
export interface SecurityTriggersProps {
  /**
   * The user pool the triggers serve. They attach to it when it is a `UserPool` of this app and
   * `attachToUserPool` is not false.
   */
  readonly userPool: cognito.IUserPool;
  /**
   * Whether the functions become the pool's triggers (its `LambdaConfig`). False for the functions of a
   * user pool replica, which its regional configuration names instead; Cognito may still invoke them.
   * @default true
   */
  readonly attachToUserPool?: boolean;
  /**
   * The lockout table to use instead of creating one: a replica of the primary's global table.
   * @default - a new table named `{resourcePrefix}-account-lockout`
   */
  readonly lockoutTable?: dynamodb.ITable;
  /**
   * Create the lockout table as a global table that replicas can be added to.
   * @default false
   */
  readonly globalLockoutTable?: boolean;
  /** Customer-managed key encrypting the lockout table and the log groups. Its key policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /** Resource name prefix, for example `prod-medflow-cognito`; the table is `{prefix}-account-lockout`. */
  readonly resourcePrefix: string;
  /** Failed sign-in attempts before an account is locked. */
  readonly lockoutMaxAttempts: number;
  /** How long a locked account stays locked, in whole seconds. */
  readonly lockoutDuration: Duration;
  /** Retention of the functions' log groups. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the table and the log groups. */
  readonly removalPolicy: RemovalPolicy;
  /** Whether the lockout table has deletion protection. */
  readonly deletionProtection: boolean;
  /** Role names accepted in `custom:user_role` by the sign-up validation. */
  readonly healthcareRoles: string[];
  /** Role names that must carry `custom:medical_license` and `custom:npi_number`; may be empty. */
  readonly clinicalRoles: string[];
  /** What sign-in does when DynamoDB is unreachable, throttles or answers too slowly. */
  readonly failureMode: LockoutFailureMode;
  /** Whether each trigger function gets reserved concurrency. */
  readonly reserveConcurrency: boolean;
  /** Reserved concurrency of each of the PreAuthentication and PostAuthentication functions. */
  readonly authenticationConcurrency: number;
  /** Reserved concurrency of each of the PreSignUp and CustomMessage functions. */
  readonly messageConcurrency: number;
  /**
   * VPC to run the four trigger functions in.
   * @default - no VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets for the functions when `vpc` is given.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

// Below Cognito's 5-second trigger budget, leaving room for a cold start.
const TRIGGER_TIMEOUT = Duration.seconds(3);
const MEMORY_MB = 256;
const KMS_TABLE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

interface TriggerSpec {
  readonly id: string;
  readonly operation: cognito.UserPoolOperation;
  readonly create: (scope: Construct, id: string, props: lambda.FunctionOptions) => lambda.Function;
  readonly description: string;
  readonly statements: iam.PolicyStatement[];
  readonly environment: Record<string, string>;
  readonly concurrency: number;
}

/**
 * Cognito triggers that enforce MedFlow's sign-in lockout, validate healthcare attributes at
 * sign-up and send messages in Arabic, French or English.
 *
 * - PreAuthentication and PostAuthentication share a DynamoDB table (on-demand, customer-managed
 *   key, point-in-time recovery, TTL) and lock an account after `lockoutMaxAttempts`
 *   attempts without a success, for `lockoutDuration` from the moment it is locked; attempts during
 *   the lock are counted for the metric but never extend it.
 * - PreSignUp rejects users whose attributes fail `HealthcareAttributeValidator`.
 * - CustomMessage renders every Cognito message in the user's `custom:preferred_language`.
 */
export class SecurityTriggers extends Construct {
  /** Namespace of the metrics the triggers emit (`AccountLocked`, `LockoutStoreUnavailable`, `SignUpRejected`), dimensioned by `UserPoolId`. */
  public static readonly METRICS_NAMESPACE = METRICS_NAMESPACE;

  /**
   * The lockout table key of a user: the SHA-256 of `{userPoolId}:{username}`, the username
   * NFC-normalised and lower-cased, in hexadecimal. It is never logged: log lines carry
   * `userHash`, an HMAC of the same text keyed with `usernameHashKey` (docs/security-triggers.md).
   */
  public static lockKey(userPoolId: string, username: string): string {
    return lockKey(userPoolId, username);
  }

  /**
   * The per-deployment key of the `userHash` in trigger log lines: a KMS HMAC key whose MAC of a fixed
   * label is the hashing key. Only the trigger functions may use it (and whoever is granted it with
   * `grantUsernameHashKey` to correlate a user).
   */
  public readonly usernameHashKey: kms.IKey;
  /** The lockout table: one item per user with attempts in the current window. */
  public readonly lockoutTable: dynamodb.ITable;
  /** The lockout table's name, `{prefix}-account-lockout` (`{prefix}-account-lockout-global` for the global table). */
  public readonly lockoutTableName: string;
  /** The PreAuthentication trigger: counts attempts and rejects locked accounts. */
  public readonly preAuthenticationFunction: lambda.IFunction;
  /** The PostAuthentication trigger: resets the count after a successful sign-in. */
  public readonly postAuthenticationFunction: lambda.IFunction;
  /** The PreSignUp trigger: validates healthcare attributes. */
  public readonly preSignUpFunction: lambda.IFunction;
  /** The CustomMessage trigger: localized messages. */
  public readonly customMessageFunction: lambda.IFunction;
  /** The failure mode in force. */
  public readonly failureMode: LockoutFailureMode;
  /** The role names accepted in `custom:user_role`. */
  public readonly healthcareRoles: string[];
  /** The role names that must carry a license and an NPI. */
  public readonly clinicalRoles: string[];
  /** Whether the trigger functions have reserved concurrency. */
  public readonly reservesConcurrency: boolean;

  private readonly userPool: cognito.IUserPool;
  private readonly encryptionKey: kms.IKey;
  private replicaKeyArns?: Record<string, string>;
  private tableDeletionProtection = false;

  constructor(scope: Construct, id: string, props: SecurityTriggersProps) {
    super(scope, id);
    const lockoutSeconds = props.lockoutDuration.toSeconds();
    const roles = props.healthcareRoles;
    const clinicalRoles = props.clinicalRoles;
    const reserve = props.reserveConcurrency;

    this.userPool = props.userPool;
    this.encryptionKey = props.encryptionKey;
    this.failureMode = props.failureMode;
    this.healthcareRoles = [...roles];
    this.clinicalRoles = [...clinicalRoles];
    this.lockoutTableName = props.lockoutTable?.tableName
      ?? `${props.resourcePrefix}-account-lockout${props.globalLockoutTable ? '-global' : ''}`;

    const table = props.lockoutTable ?? this.createLockoutTable(props);
    this.lockoutTable = table;

    this.usernameHashKey = createUsernameHashKey(this, { removalPolicy: props.removalPolicy, resourcePrefix: props.resourcePrefix });
    const hashKeyStatements = usernameHashKeyStatements(this.usernameHashKey);
    const hashKeyEnvironment = usernameHashKeyEnvironment(this.usernameHashKey);

    const tableStatement = (action: string) => new iam.PolicyStatement({ actions: [action], resources: [table.tableArn] });
    const lockoutEnvironment = {
      LOCKOUT_TABLE_NAME: this.lockoutTableName,
      LOCKOUT_MAX_ATTEMPTS: String(props.lockoutMaxAttempts),
      LOCKOUT_DURATION_SECONDS: String(lockoutSeconds),
      LOCKOUT_FAILURE_MODE: this.failureMode,
    };
    const specs: TriggerSpec[] = [
      {
        id: 'PreAuthentication',
        operation: cognito.UserPoolOperation.PRE_AUTHENTICATION,
        create: (s, i, p) => new PreAuthenticationFunction(s, i, p),
        description: 'Counts sign-in attempts in the lockout table and rejects attempts while an account is locked.',
        statements: [tableStatement('dynamodb:UpdateItem'), this.tableKeyStatement(), ...hashKeyStatements],
        environment: { ...lockoutEnvironment, ...hashKeyEnvironment },
        concurrency: props.authenticationConcurrency,
      },
      {
        id: 'PostAuthentication',
        operation: cognito.UserPoolOperation.POST_AUTHENTICATION,
        create: (s, i, p) => new PostAuthenticationFunction(s, i, p),
        description: 'Resets the sign-in attempt count after a successful sign-in.',
        statements: [tableStatement('dynamodb:DeleteItem'), this.tableKeyStatement(), ...hashKeyStatements],
        environment: { ...lockoutEnvironment, ...hashKeyEnvironment },
        concurrency: props.authenticationConcurrency,
      },
      {
        id: 'PreSignUp',
        operation: cognito.UserPoolOperation.PRE_SIGN_UP,
        create: (s, i, p) => new PreSignUpFunction(s, i, p),
        description: 'Rejects sign-ups and admin-created users whose healthcare attributes are invalid.',
        statements: hashKeyStatements,
        environment: { HEALTHCARE_ROLES: JSON.stringify(roles), CLINICAL_ROLES: JSON.stringify(clinicalRoles), ...hashKeyEnvironment },
        concurrency: props.messageConcurrency,
      },
      {
        id: 'CustomMessage',
        operation: cognito.UserPoolOperation.CUSTOM_MESSAGE,
        create: (s, i, p) => new CustomMessageFunction(s, i, p),
        description: 'Renders Cognito messages in Arabic, French or English from custom:preferred_language.',
        statements: hashKeyStatements,
        environment: hashKeyEnvironment,
        concurrency: props.messageConcurrency,
      },
    ];
    const functions = specs.map((spec) => this.createTrigger(spec, props, reserve));
    [this.preAuthenticationFunction, this.postAuthenticationFunction, this.preSignUpFunction, this.customMessageFunction] = functions;
    this.reservesConcurrency = reserve;
  }

  /** `AccountLocked`: one count each time an account becomes locked. */
  public metricAccountLocked(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(MedflowMetrics.ACCOUNT_LOCKED, props);
  }

  /** `LockoutStoreUnavailable`: one count per attempt the lockout could not check or reset. */
  public metricLockoutStoreUnavailable(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('LockoutStoreUnavailable', props);
  }

  /** `SignUpRejected`: one count per sign-up or admin-created user rejected for invalid attributes. */
  public metricSignUpRejected(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('SignUpRejected', props);
  }

  /**
   * Lets `grantee` unlock accounts: `dynamodb:DeleteItem` on the lockout table and the table
   * key's use through DynamoDB. Unlocking deletes the item whose `pk` is `SecurityTriggers.lockKey(userPoolId, username)`.
   */
  public grantUnlock(grantee: iam.IGrantable): iam.Grant {
    iam.Grant.addToPrincipal({
      grantee,
      actions: KMS_TABLE_ACTIONS,
      resourceArns: [this.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    });
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:DeleteItem'], resourceArns: [this.lockoutTable.tableArn] });
  }

  /**
   * Lets `grantee` derive the username hash key (`kms:GenerateMac` on it), to compute the `userHash` of a
   * given email and find that user's trigger log lines (`npx projen user-log-hash`). Give it only to
   * incident responders: whoever can derive the key can confirm a guessed email from the logs.
   */
  public grantUsernameHashKey(grantee: iam.IGrantable): iam.Grant {
    return this.usernameHashKey.grant(grantee, 'kms:GenerateMac');
  }

  /**
   * Adds `region` as a replica of the global lockout table, encrypted there with `keyArn` (a key of
   * that Region). Internal: `MedflowCognitoReplica` calls it.
   * @internal
   */
  public _addLockoutReplica(region: string, keyArn: string): void {
    if (!(this.lockoutTable instanceof dynamodb.TableV2) || !this.replicaKeyArns) {
      throw new Error('SecurityTriggers: the lockout table is not a global table; set securityTriggers.globalLockoutTable to true.');
    }
    // TableV2 reads the replica key ARNs when it renders the replicas, at synthesis.
    this.replicaKeyArns[region] = keyArn;
    this.lockoutTable.addReplica({ region, deletionProtection: this.tableDeletionProtection });
  }

  private createLockoutTable(props: SecurityTriggersProps): dynamodb.ITable {
    const backupReason = 'The table holds only sign-in attempt counters keyed by a hash of the username, each of which expires '
      + `${props.lockoutDuration.toHumanString()} after the last attempt; point-in-time recovery covers it, and restoring counters from a backup plan would only re-lock users.`;
    const acknowledgeBackup = (table: IConstruct) => acknowledgeRules(table,
      ...HIPAA_AND_NIST_PACKS.map((pack) => ({ id: `${pack}-DynamoDBInBackupPlan`, reason: backupReason })));
    // What the regional and the global table have in common: name, key, recovery, expiry and protection.
    const shared = {
      tableName: this.lockoutTableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    };
    if (props.globalLockoutTable) {
      this.replicaKeyArns = {};
      this.tableDeletionProtection = props.deletionProtection;
      // Its own construct ID and name: never a type change of the regional table's resource (see globalLockoutTable).
      const globalTable = new dynamodb.TableV2(this, 'GlobalLockoutTable', {
        ...shared,
        billing: dynamodb.Billing.onDemand(),
        encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.encryptionKey, this.replicaKeyArns),
      });
      acknowledgeBackup(globalTable);
      return globalTable;
    }
    const table = new dynamodb.Table(this, 'LockoutTable', {
      ...shared,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
    });
    acknowledgeBackup(table);
    return table;
  }

  private metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return MedflowMetrics.of(metricName, this.userPool.userPoolId, props);
  }

  private tableKeyStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions: KMS_TABLE_ACTIONS,
      resources: [this.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    });
  }

  private createTrigger(spec: TriggerSpec, props: SecurityTriggersProps, reserve: boolean): lambda.Function {
    const { fn, policy } = createLibraryFunction(this, {
      create: spec.create,
      options: {
        description: spec.description,
        timeout: TRIGGER_TIMEOUT,
        memorySize: MEMORY_MB,
        environment: spec.environment,
        reservedConcurrentExecutions: reserve ? spec.concurrency : undefined,
        vpc: props.vpc,
        vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      },
      roleDescription: `Execution role of the ${spec.id} trigger of ${props.resourcePrefix}.`,
      policyDescription: `Least privilege for the ${spec.id} trigger: its log group, the username hash key${spec.environment.LOCKOUT_TABLE_NAME ? ', the lockout table and its key' : ''}.`,
      statements: spec.statements,
      logs: { encryptionKey: props.encryptionKey, logRetention: props.logRetention, removalPolicy: props.removalPolicy },
      ruleReasons: {
        deadLetterQueue: `Cognito invokes the ${spec.id} trigger synchronously and waits for its answer, so a failure is returned to Cognito, which fails the request; a dead-letter queue only receives failed asynchronous invocations and would stay empty.`,
        reservedConcurrency: reserve ? undefined : RESERVED_CONCURRENCY_OFF_REASON,
        outsideVpc: props.vpc ? undefined : 'The function reaches only AWS service APIs over TLS with IAM authentication and no resource inside a VPC; pass securityTriggers.vpc to MedflowCognito to place it in private subnets.',
      },
      ids: { function: spec.id, logGroup: `${spec.id}Logs`, role: `${spec.id}Role`, policy: `${spec.id}Policy` },
    });
    if (props.vpc) {
      this.addNetworkInterfaceStatements(policy, fn, props.vpc, props.vpcSubnets);
    }
    if (props.attachToUserPool !== false) {
      if (!(props.userPool instanceof cognito.UserPool)) {
        throw new Error('SecurityTriggers: userPool must be a UserPool of this app to attach the triggers to; pass attachToUserPool: false otherwise.');
      }
      props.userPool.addTrigger(spec.operation, fn);
    }
    return fn;
  }

  private addNetworkInterfaceStatements(policy: iam.ManagedPolicy, fn: lambda.Function, vpc: ec2.IVpc, subnets?: ec2.SubnetSelection): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string) => `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:${resource}`;
    const interfaces = ec2Arn('network-interface/*');
    policy.addStatements(
      new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: [
          interfaces,
          ...vpc.selectSubnets(subnets).subnetIds.map((subnetId) => ec2Arn(`subnet/${subnetId}`)),
          ...fn.connections.securityGroups.map((group) => ec2Arn(`security-group/${group.securityGroupId}`)),
        ],
      }),
    );
    const reason = 'Lambda creates, describes and deletes the network interfaces of a function in a VPC with the execution role; '
      + 'DescribeNetworkInterfaces supports no resource-level permissions and interface IDs are not known before Lambda creates them.';
    // cdk-nag names unresolved pseudo parameters <AWS::Name> in finding IDs.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const interfacesShown = `arn:${shown(stack.partition, 'Partition')}:ec2:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}:network-interface/*`;
    acknowledgeRules(policy,
      { id: 'AwsSolutions-IAM5[Resource::*]', reason },
      { id: `AwsSolutions-IAM5[Resource::${interfacesShown}]`, reason },
    );
  }
}
