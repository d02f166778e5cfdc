/*
 * Where exports and failed runs land: the backup key, the exports bucket and the dead-letter queue.
 */
import { Duration, RemovalPolicy, aws_kms as kms, aws_s3 as s3, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GLACIER_MINIMUM_DAYS } from '../retention';
import { SecureBucket } from '../secure-bucket';

export interface ExportStorageOptions {
  /** Prefix of the queue name and the key description. */
  readonly namePrefix: string;
  /** How long exports are kept; undefined keeps them forever. */
  readonly retention?: Duration;
  /** Age at which exports move to Glacier, when the retention is more than twice it. */
  readonly glacierTransitionAfter: Duration;
  /** Bucket receiving the exports bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** Removal policy of the key, bucket and queue. */
  readonly removalPolicy: RemovalPolicy;
}

export interface ExportStorage {
  /** Encrypts the exports and the dead-letter queue. */
  readonly key: kms.Key;
  readonly bucket: s3.IBucket;
  readonly queue: sqs.Queue;
}

/** Creates `Key`, `Exports` and `DeadLetterQueue` in `scope`. */
export function createExportStorage(scope: Construct, options: ExportStorageOptions): ExportStorage {
  const key = new kms.Key(scope, 'Key', {
    description: `Encrypts ${options.namePrefix} user exports and their dead-letter queue.`,
    enableKeyRotation: true,
    removalPolicy: options.removalPolicy,
  });
  const { bucket } = new SecureBucket(scope, 'Exports', {
    encryptionKey: key,
    accessLogsBucket: options.accessLogsBucket,
    accessLogsPrefix: 'user-exports/',
    removalPolicy: options.removalPolicy,
    contents: 'daily user exports',
    lifecycleRules: lifecycleRules(options),
  });
  const queue = new sqs.Queue(scope, 'DeadLetterQueue', {
    queueName: `${options.namePrefix}-user-export-dlq`,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: options.removalPolicy,
  });
  return { key, bucket, queue };
}

/**
 * Exports expire after the retention and move to Glacier only when kept more than twice the
 * transition age, so that no export pays Glacier's 90-day minimum without being kept for it.
 * Checkpoints of interrupted runs go after a week.
 */
function lifecycleRules(options: ExportStorageOptions): s3.LifecycleRule[] {
  const retentionDays = options.retention?.toDays({ integral: false }) ?? Number.POSITIVE_INFINITY;
  const useGlacier = retentionDays > 2 * options.glacierTransitionAfter.toDays({ integral: false });
  return [
    {
      id: 'retain-exports',
      prefix: 'exports/',
      expiration: options.retention,
      transitions: useGlacier ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: options.glacierTransitionAfter }] : undefined,
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
  ];
}
