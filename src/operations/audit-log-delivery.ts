import {
  Duration,
  RemovalPolicy,
  Stack,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { retentionDays } from './retention';
import { SecureBucket } from './secure-bucket';
import { acknowledgeRules } from '../internal/acknowledgements';
import { PropValidator } from '../internal/prop-validation';

/** Where user auth events (threat protection user activity) are delivered. */
export enum AuthEventsDestination {
  /** A CloudWatch Logs log group, queryable with Logs Insights. Cognito requires it unencrypted by KMS. */
  CLOUDWATCH_LOGS = 'CLOUDWATCH_LOGS',
  /** A versioned S3 bucket encrypted with a customer-managed key, queryable with Athena. */
  S3 = 'S3',
}

/** Props for `AuditLogDelivery`. */
export interface AuditLogDeliveryProps {
  /** The user pool whose logs are delivered. */
  readonly userPool: cognito.IUserPool;
  /** Retention of the delivered logs. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the log groups, bucket and key. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Prefix of the log group names. Log groups under `/aws/vendedlogs/` let CloudWatch Logs keep
   * their delivery permission in one resource policy that stays under its size limit.
   */
  readonly logGroupPrefix: string;
  /**
   * Whether user auth events (sign-ins with their risk evaluation) are delivered. They exist only
   * on the Plus plan with threat protection in audit or enforced mode.
   * @default false
   */
  readonly authEvents?: boolean;
  /**
   * Where auth events go.
   * @default AuthEventsDestination.CLOUDWATCH_LOGS
   */
  readonly authEventsDestination?: AuthEventsDestination;
  /**
   * Bucket for server access logs of the auth events bucket. Required with `AuthEventsDestination.S3`.
   * @default - none
   */
  readonly accessLogsBucket?: s3.IBucket;
}

/**
 * Delivers the user pool's logs with `AWS::Cognito::LogDeliveryConfiguration`:
 * - `userNotification` (ERROR): failed email and SMS deliveries, to CloudWatch Logs;
 * - `userAuthEvents` (INFO, Plus plan): each sign-in with its risk evaluation, to CloudWatch Logs
 *   or to S3.
 *
 * Encryption: Cognito refuses log groups encrypted with KMS, so both log groups are encrypted at
 * rest by CloudWatch Logs with service-owned keys. The S3 destination is encrypted with a
 * customer-managed key; choose it when auth events must be under your own key.
 */
export class AuditLogDelivery extends Construct {
  /** Log group of user notification errors. */
  public readonly userNotificationLogGroup: logs.LogGroup;
  /** Log group of user auth events, with the CloudWatch Logs destination. */
  public readonly authEventsLogGroup?: logs.LogGroup;
  /** Bucket of user auth events, with the S3 destination. */
  public readonly authEventsBucket?: s3.IBucket;
  /** Key encrypting the auth events bucket, with the S3 destination. */
  public readonly authEventsKey?: kms.IKey;
  /** The log delivery configuration. */
  public readonly logDeliveryConfiguration: cognito.CfnLogDeliveryConfiguration;

  constructor(scope: Construct, id: string, props: AuditLogDeliveryProps) {
    super(scope, id);
    const validator = new PropValidator('AuditLogDelivery');
    validator.matches('logGroupPrefix', props.logGroupPrefix, /^\/[A-Za-z0-9_./#-]{1,400}[A-Za-z0-9_-]$/, 'a log group path such as /aws/vendedlogs/cognito/prod-medflow-cognito');
    const destination = props.authEventsDestination ?? AuthEventsDestination.CLOUDWATCH_LOGS;
    if (props.authEvents && destination === AuthEventsDestination.S3 && !props.accessLogsBucket) {
      validator.fail('accessLogsBucket', 'undefined', 'a bucket for server access logs when authEventsDestination is S3');
    }

    this.userNotificationLogGroup = this.logGroup('UserNotificationLogs', `${props.logGroupPrefix}/user-notification`, props);
    const configurations: cognito.CfnLogDeliveryConfiguration.LogConfigurationProperty[] = [{
      eventSource: 'userNotification',
      logLevel: 'ERROR',
      cloudWatchLogsConfiguration: { logGroupArn: this.userNotificationLogGroup.logGroupArn },
    }];

    let bucketPolicyDependency: Construct | undefined;
    if (props.authEvents) {
      if (destination === AuthEventsDestination.CLOUDWATCH_LOGS) {
        this.authEventsLogGroup = this.logGroup('AuthEventsLogs', `${props.logGroupPrefix}/user-auth-events`, props);
        configurations.push({
          eventSource: 'userAuthEvents',
          logLevel: 'INFO',
          cloudWatchLogsConfiguration: { logGroupArn: this.authEventsLogGroup.logGroupArn },
        });
      } else {
        const { bucket, key } = this.authEventsS3(props);
        this.authEventsBucket = bucket;
        this.authEventsKey = key;
        bucketPolicyDependency = bucket.policy;
        configurations.push({ eventSource: 'userAuthEvents', logLevel: 'INFO', s3Configuration: { bucketArn: bucket.bucketArn } });
      }
    }

    this.logDeliveryConfiguration = new cognito.CfnLogDeliveryConfiguration(this, 'Configuration', {
      userPoolId: props.userPool.userPoolId,
      logConfigurations: configurations,
    });
    if (bucketPolicyDependency) this.logDeliveryConfiguration.node.addDependency(bucketPolicyDependency);
  }

  private logGroup(id: string, logGroupName: string, props: AuditLogDeliveryProps): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, id, {
      logGroupName,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const reason = 'Amazon Cognito delivers user pool logs only to log groups that are not encrypted with AWS KMS '
      + '(AWS::Cognito::LogDeliveryConfiguration requires it); CloudWatch Logs still encrypts the group at rest with service-owned keys, '
      + 'and auth events can go to the KMS-encrypted S3 destination instead.';
    acknowledgeRules(logGroup,
      { id: 'HIPAA.Security-CloudWatchLogGroupEncrypted', reason },
      { id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason });
    return logGroup;
  }

  private authEventsS3(props: AuditLogDeliveryProps): { bucket: s3.Bucket; key: kms.Key } {
    const stack = Stack.of(this);
    const sourceConditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
    };
    const key = new kms.Key(this, 'AuthEventsKey', {
      description: 'Encrypts Cognito user auth events delivered to S3.',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // CloudWatch Logs' delivery service writes the objects, so it needs the key for data keys.
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: sourceConditions,
    }));
    const days = retentionDays(props.logRetention);
    const { bucket } = new SecureBucket(this, 'AuthEvents', {
      encryptionKey: key,
      accessLogsBucket: props.accessLogsBucket!,
      accessLogsPrefix: 'auth-events/',
      removalPolicy: props.removalPolicy,
      contents: 'Cognito sign-in events',
      lifecycleRules: [{
        id: 'retain-auth-events',
        expiration: days ? Duration.days(days) : undefined,
        noncurrentVersionExpiration: Duration.days(30),
        transitions: days === undefined || days > 180 ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }] : undefined,
      }],
    });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSLogDeliveryWrite',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
      conditions: { ...sourceConditions, StringEquals: { ...sourceConditions.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSLogDeliveryAclCheck',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['s3:GetBucketAcl'],
      resources: [bucket.bucketArn],
      conditions: sourceConditions,
    }));
    return { bucket, key };
  }
}
