import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  aws_cloudwatch as cloudwatch,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
  aws_scheduler as scheduler,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UserExportFunction } from './backup/user-export-function';
import { MedflowMetrics } from './metrics';
import { GLACIER_MINIMUM_DAYS } from './retention';
import { DEFAULT_RUNBOOK_URL, RunbookAnchor, alarmDescription } from './runbook';
import { SecureBucket } from './secure-bucket';
import { acknowledgeRules, nagResourceName } from '../internal/acknowledgements';
import { PropValidator } from '../internal/prop-validation';

/** Props for `UserPoolBackup`. */
export interface UserPoolBackupProps {
  /** The user pool to export. */
  readonly userPool: cognito.IUserPool;
  /**
   * Prefix of the function, schedule and queue names, for example `prod-medflow-cognito`.
   * The function's name is fixed so that its own policy can let it continue a run.
   */
  readonly namePrefix: string;
  /**
   * How long exports are kept before they expire. At least 1 day.
   * @default - exports never expire
   */
  readonly retention?: Duration;
  /** Bucket receiving the backup bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** Key encrypting the export function's log group. */
  readonly logEncryptionKey: kms.IKey;
  /** Retention of the export function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the bucket, key, queue and log group. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * When the export runs, as an EventBridge Scheduler expression in UTC.
   * @default 'cron(0 3 * * ? *)' - daily at 03:00 UTC, before clinics open in Europe and North Africa
   */
  readonly scheduleExpression?: string;
  /**
   * Cognito list calls per second the export allows itself, out of the account's 30 RPS UserList quota.
   * @default 5
   */
  readonly requestsPerSecond?: number;
  /**
   * Age at which exports move to S3 Glacier Flexible Retrieval. Only applies when `retention` is
   * more than twice this, so that no export pays Glacier's 90-day minimum without being kept for it.
   * @default Duration.days(90)
   */
  readonly glacierTransitionAfter?: Duration;
  /**
   * Whether the failure and staleness alarms are created. They have no actions until routed to a
   * topic, for example with `CognitoMonitoring.addAlarm`.
   * @default true
   */
  readonly createAlarms?: boolean;
  /**
   * URL of the operations runbook; alarm descriptions link to its backup section.
   * @default 'https://github.com/medflow/cognito-construct/blob/main/docs/operations-runbook.md'
   */
  readonly runbookUrl?: string;
}

const DEFAULT_SCHEDULE = 'cron(0 3 * * ? *)';
const FUNCTION_TIMEOUT = Duration.minutes(15);

/**
 * A daily export of the user pool's users, attributes, groups and memberships as JSON Lines.
 *
 * EventBridge Scheduler invokes the export function asynchronously. A failed delivery goes to the
 * schedule's dead-letter queue; a run that fails after Lambda's own retries goes to the function's
 * dead-letter queue (the same queue). A message in it raises `failureAlarm`; two days without a
 * completed export raise `staleAlarm`. Restore with `npx projen restore:users` (docs/disaster-recovery.md).
 */
export class UserPoolBackup extends Construct {
  /** The bucket holding the exports. */
  public readonly bucket: s3.IBucket;
  /** The customer-managed key encrypting the exports and the dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The export function. */
  public readonly exportFunction: lambda.IFunction;
  /** Dead-letter queue of the schedule and the function. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The schedule. */
  public readonly schedule: scheduler.CfnSchedule;
  /** Fires when a failed run or undeliverable invocation reaches the dead-letter queue. */
  public readonly failureAlarm?: cloudwatch.Alarm;
  /** Fires when no export completed in two consecutive days. */
  public readonly staleAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: UserPoolBackupProps) {
    super(scope, id);
    const validator = new PropValidator('UserPoolBackup');
    validator.matches('namePrefix', props.namePrefix, /^[a-z][a-z0-9-]{1,49}$/, 'lowercase letters, digits and hyphens, 2-50 characters, starting with a letter');
    const retentionDays = props.retention?.toDays({ integral: false }) ?? Number.POSITIVE_INFINITY;
    if (!(retentionDays >= 1)) validator.fail('retention', props.retention!.toHumanString(), 'at least 1 day');
    const requestsPerSecond = props.requestsPerSecond ?? 5;
    if (!(requestsPerSecond > 0 && requestsPerSecond <= 25)) {
      validator.fail('requestsPerSecond', String(requestsPerSecond), 'more than 0 and at most 25, leaving at least 5 of the 30 RPS UserList quota to the application');
    }
    const scheduleExpression = props.scheduleExpression ?? DEFAULT_SCHEDULE;
    validator.matches('scheduleExpression', scheduleExpression, /^(cron|rate)\(.+\)$/, 'an EventBridge Scheduler cron(...) or rate(...) expression');
    const glacierAfter = props.glacierTransitionAfter ?? Duration.days(GLACIER_MINIMUM_DAYS);
    const runbookUrl = props.runbookUrl ?? DEFAULT_RUNBOOK_URL;
    const stack = Stack.of(this);
    const functionName = `${props.namePrefix}-user-export`;

    const key = new kms.Key(this, 'Key', {
      description: `Encrypts ${props.namePrefix} user exports and their dead-letter queue.`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.encryptionKey = key;

    const useGlacier = retentionDays > 2 * glacierAfter.toDays({ integral: false });
    const { bucket } = new SecureBucket(this, 'Exports', {
      encryptionKey: key,
      accessLogsBucket: props.accessLogsBucket,
      accessLogsPrefix: 'user-exports/',
      removalPolicy: props.removalPolicy,
      contents: 'daily user exports',
      lifecycleRules: [
        {
          id: 'retain-exports',
          prefix: 'exports/',
          expiration: props.retention,
          transitions: useGlacier ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: glacierAfter }] : undefined,
          // A deleted or overwritten export stays recoverable for as long as Glacier bills it anyway.
          noncurrentVersionExpiration: Duration.days(GLACIER_MINIMUM_DAYS),
          noncurrentVersionTransitions: useGlacier ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(1) }] : undefined,
        },
        {
          id: 'expire-checkpoints',
          prefix: 'checkpoints/',
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });
    this.bucket = bucket;

    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${props.namePrefix}-user-export-dlq`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.deadLetterQueue = queue;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logEncryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    const functionArn = stack.formatArn({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const exportObjects = bucket.arnForObjects('exports/*');
    const checkpointObjects = bucket.arnForObjects('checkpoints/*');
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the user export: lists one user pool, writes one bucket, continues its own run.',
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [role],
      description: 'Least privilege for the user export: list one pool, write exports and checkpoints to one bucket, invoke itself, dead-letter to one queue.',
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
        new iam.PolicyStatement({ actions: ['cognito-idp:ListUsers', 'cognito-idp:ListGroups', 'cognito-idp:ListUsersInGroup'], resources: [props.userPool.userPoolArn] }),
        // Write-only: the function never reads the bucket. Object keys are new per run, so the
        // resource names the two prefixes, and the condition admits only objects encrypted with
        // the backup key.
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [exportObjects, checkpointObjects],
          conditions: {
            StringEquals: {
              's3:x-amz-server-side-encryption': 'aws:kms',
              's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn,
            },
          },
        }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': [`s3.${stack.region}.amazonaws.com`, `sqs.${stack.region}.amazonaws.com`] } },
        }),
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn] }),
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      ],
    });
    const keyCondition = 'the wildcard covers object keys only, for PutObject only, and a condition admits only objects encrypted with the backup key.';
    acknowledgeRules(policy,
      {
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, exportObjects)}]`,
        reason: `Each export run writes its JSON Lines files under exports/ with keys named after the run, unknown in advance; ${keyCondition}`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, checkpointObjects)}]`,
        reason: `A run that outlasts one invocation saves its position under checkpoints/ with a key named after the run; ${keyCondition}`,
      });

    const fn = new UserExportFunction(this, 'Function', {
      functionName,
      description: 'Exports the user pool\'s users, attributes, groups and memberships as JSON Lines to the backup bucket.',
      role,
      logGroup,
      timeout: FUNCTION_TIMEOUT,
      memorySize: 512,
      environment: {
        USER_POOL_ID: props.userPool.userPoolId,
        BUCKET_NAME: bucket.bucketName,
        KMS_KEY_ARN: key.keyArn,
        REQUESTS_PER_SECOND: String(requestsPerSecond),
        SAFETY_MARGIN_SECONDS: '60',
      },
    });
    // The dead-letter queue is set on the L1 resource so that its permission stays in the
    // customer-managed policy above instead of a generated inline policy.
    (fn.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: queue.queueArn };
    fn.node.addDependency(policy);
    this.exportFunction = fn;
    const invocation = 'EventBridge Scheduler invokes the function asynchronously once a day and the function continues long runs by invoking itself';
    acknowledgeRules(fn, ...['HIPAA.Security', 'NIST.800.53.R5'].flatMap((pack) => [
      {
        id: `${pack}-LambdaConcurrency`,
        reason: `${invocation}; a run never overlaps the next day's, and reserving concurrency would take capacity from the account's unreserved pool, which new accounts keep at its minimum.`,
      },
      {
        id: `${pack}-LambdaInsideVPC`,
        reason: 'The function calls only the Cognito, S3, SQS and Lambda APIs over TLS with IAM authentication and reaches no resource inside a VPC.',
      },
    ]));

    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Lets EventBridge Scheduler start the user export and dead-letter undeliverable invocations.',
    });
    const schedulePolicy = new iam.ManagedPolicy(this, 'SchedulePolicy', {
      roles: [scheduleRole],
      description: 'Invoke the user export function; send undeliverable invocations to its dead-letter queue.',
      statements: [
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` } },
        }),
      ],
    });

    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      name: functionName,
      description: 'Daily export of the Cognito user pool to the backup bucket.',
      scheduleExpression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: fn.functionArn,
        roleArn: scheduleRole.roleArn,
        // The execution ID is the same for every retry of one scheduled invocation, so retries
        // write the same run instead of starting new ones.
        input: JSON.stringify({ source: 'schedule', executionId: '<aws.scheduler.execution-id>' }),
        deadLetterConfig: { arn: queue.queueArn },
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
      },
    });
    this.schedule.node.addDependency(schedulePolicy);

    if (props.createAlarms === false) return;
    this.failureAlarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmName: `${props.namePrefix}-user-export-failed`,
      alarmDescription: alarmDescription(
        'A user export failed after its retries, or its scheduled invocation could not be delivered; the message is in the export dead-letter queue.',
        'read the message and the export function\'s log, fix the cause, then run the export by hand (see the runbook) so that the recovery point stays within 24 hours.',
        runbookUrl, RunbookAnchor.BACKUP_FAILURES),
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops publishing metrics for a queue that stays empty; an empty queue is healthy.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.staleAlarm = new cloudwatch.Alarm(this, 'StaleAlarm', {
      alarmName: `${props.namePrefix}-user-export-stale`,
      alarmDescription: alarmDescription(
        'No user export completed in two consecutive days, so the recovery point is older than the 24-hour objective.',
        'check that the schedule is enabled, read the export function\'s log for timeouts or throttling, and run the export by hand.',
        runbookUrl, RunbookAnchor.BACKUP_FAILURES),
      metric: MedflowMetrics.usersExported(props.userPool.userPoolId, { statistic: cloudwatch.Stats.SAMPLE_COUNT }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // Deliberately breaching: every completed run publishes UsersExported (0 for an empty pool),
      // so a day without a data point is a day without a backup.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}
