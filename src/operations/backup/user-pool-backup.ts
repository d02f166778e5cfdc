import {
  Duration,
  RemovalPolicy,
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
import { createBackupAlarms } from './backup-alarms';
import { createExportFunction } from './export-function';
import { createExportSchedule } from './export-schedule';
import { createExportStorage } from './export-storage';
import { PropValidator } from '../../internal/prop-validation';
import { GLACIER_MINIMUM_DAYS } from '../retention';
import { DEFAULT_RUNBOOK_URL } from '../runbook';

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
  /**
   * The HMAC key (HMAC_256) that signs each export's manifest. Only the export function's role may
   * call GenerateMac on it; grant `kms:VerifyMac` to whoever restores with `grantVerifyExports`.
   */
  public readonly manifestSigningKey: kms.IKey;
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
    const { requestsPerSecond, scheduleExpression } = validate(props);
    const functionName = `${props.namePrefix}-user-export`;

    const storage = createExportStorage(this, {
      namePrefix: props.namePrefix,
      retention: props.retention,
      glacierTransitionAfter: props.glacierTransitionAfter ?? Duration.days(GLACIER_MINIMUM_DAYS),
      accessLogsBucket: props.accessLogsBucket,
      removalPolicy: props.removalPolicy,
    });
    this.encryptionKey = storage.key;
    this.bucket = storage.bucket;
    this.deadLetterQueue = storage.queue;

    const manifestKey = createManifestSigningKey(this, props.namePrefix, props.removalPolicy);
    this.manifestSigningKey = manifestKey;

    this.exportFunction = createExportFunction(this, {
      userPool: props.userPool,
      functionName,
      bucket: storage.bucket,
      key: storage.key,
      manifestKey,
      deadLetterQueue: storage.queue,
      requestsPerSecond,
      logEncryptionKey: props.logEncryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    restrictGenerateMac(manifestKey, this.exportFunction.role!);

    this.schedule = createExportSchedule(this, {
      name: functionName,
      scheduleExpression,
      exportFunction: this.exportFunction,
      deadLetterQueue: storage.queue,
      key: storage.key,
    });

    if (props.createAlarms === false) return;
    const alarms = createBackupAlarms(this, {
      userPool: props.userPool,
      deadLetterQueue: storage.queue,
      namePrefix: props.namePrefix,
      runbookUrl: props.runbookUrl ?? DEFAULT_RUNBOOK_URL,
    });
    this.failureAlarm = alarms.failureAlarm;
    this.staleAlarm = alarms.staleAlarm;
  }

  /**
   * Lets `grantee` verify export manifests (`kms:VerifyMac` on the manifest signing key): give it to
   * the role that runs `restore:users`. It cannot make a MAC; only the export function can.
   */
  public grantVerifyExports(grantee: iam.IGrantable): iam.Grant {
    return this.manifestSigningKey.grant(grantee, 'kms:VerifyMac');
  }
}

/*
 * An HMAC key in KMS: the secret never leaves KMS, so a manifest MAC can only come from a principal
 * allowed to call GenerateMac. KeySpec HMAC_256 with KeyUsage GENERATE_VERIFY_MAC (aws-cdk-lib
 * aws_kms.KeySpec.HMAC_256, KeyUsage.GENERATE_VERIFY_MAC). KMS rotates no HMAC key automatically
 * (automatic rotation applies to symmetric encryption keys only), so none is asked for.
 */
function createManifestSigningKey(scope: Construct, namePrefix: string, removalPolicy: RemovalPolicy): kms.Key {
  return new kms.Key(scope, 'ManifestKey', {
    description: `Signs ${namePrefix} user export manifests (HMAC); only the export function may generate a MAC.`,
    keySpec: kms.KeySpec.HMAC_256,
    keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
    removalPolicy,
  });
}

/**
 * The key policy refuses GenerateMac to every principal but the export function's role, so that no
 * IAM policy in the account, an administrator's included, can let anyone else sign a manifest.
 * aws:PrincipalArn is the role's ARN for a session of that role (IAM User Guide, global condition keys).
 */
function restrictGenerateMac(key: kms.Key, exportRole: iam.IRole): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'OnlyTheExportFunctionSignsManifests',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:GenerateMac'],
    resources: ['*'],
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': exportRole.roleArn } },
  }));
}

/** Checks the props and returns the pacing and schedule in force. */
function validate(props: UserPoolBackupProps): { requestsPerSecond: number; scheduleExpression: string } {
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
  return { requestsPerSecond, scheduleExpression };
}
