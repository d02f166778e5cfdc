import { Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeRules } from '../internal/acknowledgements';

const REPLICATION_RULES = ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'];

/** Props for the internal `SecureBucket`. */
export interface SecureBucketProps {
  /** Customer-managed key for default encryption. */
  readonly encryptionKey: kms.IKey;
  /** Bucket receiving the server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** Prefix of this bucket's access logs in `accessLogsBucket`. */
  readonly accessLogsPrefix: string;
  readonly removalPolicy: RemovalPolicy;
  readonly lifecycleRules?: s3.LifecycleRule[];
  /** What the bucket holds, completing "…is not replicated because it holds …". */
  readonly contents: string;
}

/** What every bucket of the library has: no public access, no ACLs, TLS 1.2 or later only, versioning. */
const HARDENED_BUCKET: Partial<s3.BucketProps> = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
};

/**
 * A versioned, KMS-encrypted, public-access-blocked, SSL-only, access-logged bucket. Not
 * replicated: the acknowledgement says why, and docs/disaster-recovery.md how to add it.
 */
export class SecureBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      ...HARDENED_BUCKET,
      lifecycleRules: props.lifecycleRules,
      removalPolicy: props.removalPolicy,
    });
    // Access logging is configured on the L1 resource with a bucket policy grant to the logging
    // service, instead of the ACL grant that serverAccessLogsBucket applies without the
    // serverAccessLogsUseBucketPolicy feature flag: ACLs are disabled on every bucket here.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: props.accessLogsBucket.bucketName,
      logFilePrefix: props.accessLogsPrefix,
    };
    props.accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: `ServerAccessLogs${props.accessLogsPrefix.replace(/[^A-Za-z0-9]/g, '')}`,
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [props.accessLogsBucket.arnForObjects(`${props.accessLogsPrefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
    acknowledgeRules(this.bucket, ...REPLICATION_RULES.map((rule) => ({
      id: rule,
      reason: `The bucket is not replicated because it holds ${props.contents} of a regional user pool that a restore recreates in the same region; `
        + 'versioning protects against deletion and overwrite, and docs/disaster-recovery.md shows how to add cross-region replication to a bucket you own.',
    })));
  }
}

/** Props for the internal `AccessLogsBucket`. */
export interface AccessLogsBucketProps {
  readonly removalPolicy: RemovalPolicy;
  /** How long access logs are kept. */
  readonly retention: Duration;
}

/**
 * The bucket receiving server access logs of the library's buckets.
 */
export class AccessLogsBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      // S3 server access logging delivers only to buckets with SSE-S3 default encryption.
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...HARDENED_BUCKET,
      lifecycleRules: [{
        id: 'expire-access-logs',
        expiration: props.retention,
        noncurrentVersionExpiration: Duration.days(30),
      }],
      removalPolicy: props.removalPolicy,
    });
    const sseS3Reason = 'S3 server access log delivery supports only SSE-S3 default encryption on the destination bucket, so this bucket cannot use a KMS key; it holds request logs, not exports.';
    acknowledgeRules(this.bucket,
      { id: 'HIPAA.Security-S3DefaultEncryptionKMS', reason: sseS3Reason },
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: sseS3Reason },
      ...REPLICATION_RULES.map((rule) => ({
        id: rule,
        reason: 'Access logs of this region\'s buckets are kept in the same region for their retention period; replicating request logs elsewhere adds a copy of client addresses without helping a restore.',
      })),
    );
  }
}
