/*
 * Creates on moto the operations resources of a MedFlow auth stack (src/operations/**): S3 buckets
 * and their policies, log groups, the export's dead-letter queue and its policy, the alarm topic,
 * its policy and subscription, CloudWatch alarms and dashboard, the EventBridge Scheduler schedule
 * and the cost budget. Every property goes through a PropertyReader, as in deploy.ts.
 */
import { BudgetsClient, CreateBudgetCommand, CreateBudgetCommandInput } from '@aws-sdk/client-budgets';
import { CloudWatchClient, PutDashboardCommand, PutMetricAlarmCommand, PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateBucketCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand, PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, PutBucketVersioningCommand,
  PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { CreateScheduleCommand, CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PropertyReader } from './property-coverage';
import { ACCOUNT, PhysicalIds, REGION, Template, TemplateResource, resourcesOfType } from './template';

type Tag = { Key: string; Value: string };
type Reader = (logicalId: string, resource: TemplateResource) => PropertyReader;

export interface OperationsDeployment {
  /** Bucket names by logical ID. */
  readonly buckets: Record<string, string>;
  /** Log group names by logical ID. */
  readonly logGroups: Record<string, string>;
  readonly queueUrls: Record<string, string>;
  readonly topicArns: Record<string, string>;
  readonly alarmNames: string[];
  readonly dashboardNames: string[];
  readonly scheduleNames: string[];
  readonly budgetNames: string[];
}

/** A name for a resource whose template leaves the name to CloudFormation, as CloudFormation would make one. */
const generatedName = (stackName: string, logicalId: string, max: number) =>
  `${stackName}-${logicalId}`.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, max);

/** CloudFormation's lifecycle rule shape to S3's. */
function lifecycleRule(rule: Record<string, any>) {
  const known = new Set(['Id', 'Status', 'Prefix', 'ExpirationInDays', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransitions', 'Transitions']);
  const unknown = Object.keys(rule).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`Lifecycle rule ${rule.Id}: ${unknown.join(', ')} not mapped by the rehearsal; add it to deploy-operations.ts.`);
  return {
    ID: rule.Id,
    Status: rule.Status,
    Filter: { Prefix: rule.Prefix ?? '' },
    Expiration: rule.ExpirationInDays !== undefined ? { Days: rule.ExpirationInDays } : undefined,
    NoncurrentVersionExpiration: rule.NoncurrentVersionExpiration && { NoncurrentDays: rule.NoncurrentVersionExpiration.NoncurrentDays },
    NoncurrentVersionTransitions: rule.NoncurrentVersionTransitions?.map((t: any) => ({
      StorageClass: t.StorageClass, NoncurrentDays: t.TransitionInDays,
    })),
    Transitions: rule.Transitions?.map((t: any) => ({ StorageClass: t.StorageClass, Days: t.TransitionInDays })),
  };
}

export async function deployOperations(stackName: string, template: Template, ids: PhysicalIds, reader: Reader): Promise<OperationsDeployment> {
  const s3 = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const logs = new CloudWatchLogsClient({});
  const sqs = new SQSClient({});
  const sns = new SNSClient({});
  const cloudwatch = new CloudWatchClient({});
  const scheduler = new SchedulerClient({});
  const budgets = new BudgetsClient({ region: 'us-east-1' });
  const out: OperationsDeployment = {
    buckets: {}, logGroups: {}, queueUrls: {}, topicArns: {}, alarmNames: [], dashboardNames: [], scheduleNames: [], budgetNames: [],
  };

  // Buckets: create all first (the export bucket logs to the access-logs bucket), then their policies, then configure.
  const buckets = resourcesOfType(template, 'AWS::S3::Bucket');
  for (const [logicalId] of buckets) {
    const name = generatedName(stackName, logicalId, 63);
    await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION as 'eu-west-3' } }));
    ids.setRef(logicalId, name);
    ids.setAtt(logicalId, 'Arn', `arn:aws:s3:::${name}`);
    out.buckets[logicalId] = name;
  }
  // Bucket policies before the logging configuration: S3 accepts a log target only once its policy lets the logging service write.
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::S3::BucketPolicy')) {
    const r = reader(logicalId, resource);
    await s3.send(new PutBucketPolicyCommand({ Bucket: ids.resolve(r.get('Bucket')), Policy: JSON.stringify(ids.resolve(r.get('PolicyDocument'))) }));
    r.assertComplete();
  }
  for (const [logicalId, resource] of buckets) {
    const r = reader(logicalId, resource);
    const Bucket = out.buckets[logicalId];
    const encryption = ids.resolve<{ ServerSideEncryptionConfiguration: any[] } | undefined>(r.get('BucketEncryption'));
    if (encryption) {
      const Rules = encryption.ServerSideEncryptionConfiguration.map(({ ServerSideEncryptionByDefault, ...rest }) => ({
        ...rest, ApplyServerSideEncryptionByDefault: ServerSideEncryptionByDefault,
      }));
      await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules } }));
    }
    const versioning = ids.resolve<{ Status: 'Enabled' | 'Suspended' } | undefined>(r.get('VersioningConfiguration'));
    if (versioning) await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: versioning.Status } }));
    const publicAccess = ids.resolve<Record<string, boolean> | undefined>(r.get('PublicAccessBlockConfiguration'));
    if (publicAccess) await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: publicAccess }));
    const ownership = ids.resolve<{ Rules: { ObjectOwnership: 'BucketOwnerEnforced' }[] } | undefined>(r.get('OwnershipControls'));
    if (ownership) await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: ownership }));
    const lifecycle = ids.resolve<{ Rules: Record<string, any>[] } | undefined>(r.get('LifecycleConfiguration'));
    if (lifecycle) {
      await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: lifecycle.Rules.map(lifecycleRule) } }));
    }
    const logging = ids.resolve<{ DestinationBucketName: string; LogFilePrefix?: string } | undefined>(r.get('LoggingConfiguration'));
    if (logging) {
      await s3.send(new PutBucketLoggingCommand({
        Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logging.DestinationBucketName, TargetPrefix: logging.LogFilePrefix ?? '' } },
      }));
    }
    const tags = ids.resolve<Tag[] | undefined>(r.get('Tags'));
    if (tags) await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tags } }));
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
    const r = reader(logicalId, resource);
    const name = ids.resolve<string | undefined>(r.get('LogGroupName')) ?? `/medflow/rehearsal/${stackName}/${logicalId}`;
    const tags = ids.resolve<Tag[] | undefined>(r.get('Tags'));
    await logs.send(new CreateLogGroupCommand({
      logGroupName: name,
      kmsKeyId: ids.resolve(r.get('KmsKeyId')),
      tags: tags && Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
    }));
    const retention = ids.resolve<number | undefined>(r.get('RetentionInDays'));
    if (retention !== undefined) await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: retention }));
    ids.setRef(logicalId, name);
    ids.setAtt(logicalId, 'Arn', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`);
    out.logGroups[logicalId] = name;
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SQS::Queue')) {
    const r = reader(logicalId, resource);
    const name = ids.resolve<string | undefined>(r.get('QueueName')) ?? generatedName(stackName, logicalId, 80);
    const attributes: Record<string, string> = {};
    const kms = ids.resolve<string | undefined>(r.get('KmsMasterKeyId'));
    if (kms) attributes.KmsMasterKeyId = kms;
    const retention = ids.resolve<number | undefined>(r.get('MessageRetentionPeriod'));
    if (retention !== undefined) attributes.MessageRetentionPeriod = String(retention);
    const tags = ids.resolve<Tag[] | undefined>(r.get('Tags'));
    const created = await sqs.send(new CreateQueueCommand({
      QueueName: name, Attributes: attributes, tags: tags && Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
    }));
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    ids.setRef(logicalId, created.QueueUrl!);
    ids.setAtt(logicalId, 'Arn', arn);
    ids.setAtt(logicalId, 'QueueName', name);
    ids.setAtt(logicalId, 'QueueUrl', created.QueueUrl!);
    out.queueUrls[logicalId] = created.QueueUrl!;
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SNS::Topic')) {
    const r = reader(logicalId, resource);
    const name = ids.resolve<string | undefined>(r.get('TopicName')) ?? generatedName(stackName, logicalId, 256);
    const attributes: Record<string, string> = {};
    const displayName = ids.resolve<string | undefined>(r.get('DisplayName'));
    if (displayName) attributes.DisplayName = displayName;
    const kms = ids.resolve<string | undefined>(r.get('KmsMasterKeyId'));
    if (kms) attributes.KmsMasterKeyId = kms;
    const created = await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes, Tags: ids.resolve(r.get('Tags')) }));
    ids.setRef(logicalId, created.TopicArn!);
    ids.setAtt(logicalId, 'TopicArn', created.TopicArn!);
    ids.setAtt(logicalId, 'TopicName', name);
    out.topicArns[logicalId] = created.TopicArn!;
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SNS::Subscription')) {
    const r = reader(logicalId, resource);
    const created = await sns.send(new SubscribeCommand({
      TopicArn: ids.resolve(r.get('TopicArn')), Protocol: ids.resolve(r.get('Protocol')), Endpoint: ids.resolve(r.get('Endpoint')),
    }));
    ids.setRef(logicalId, created.SubscriptionArn!);
    r.assertComplete();
  }

  // Queue and topic policies, now that every queue and topic exists.
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SQS::QueuePolicy')) {
    const r = reader(logicalId, resource);
    const policy = JSON.stringify(ids.resolve(r.get('PolicyDocument')));
    for (const QueueUrl of ids.resolve<string[]>(r.get('Queues'))) {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy } }));
    }
    r.assertComplete();
  }
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SNS::TopicPolicy')) {
    const r = reader(logicalId, resource);
    const policy = JSON.stringify(ids.resolve(r.get('PolicyDocument')));
    for (const TopicArn of ids.resolve<string[]>(r.get('Topics'))) {
      await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: policy }));
    }
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
    const r = reader(logicalId, resource);
    const input: Record<string, unknown> = {};
    for (const name of [
      'AlarmName', 'AlarmDescription', 'AlarmActions', 'OKActions', 'ComparisonOperator', 'DatapointsToAlarm', 'EvaluationPeriods',
      'Threshold', 'TreatMissingData', 'Metrics', 'MetricName', 'Namespace', 'Dimensions', 'Period', 'Statistic', 'Tags',
    ]) {
      const value = r.get(name);
      if (value !== undefined) input[name] = ids.resolve(value);
    }
    const alarmName = (input.AlarmName as string | undefined) ?? generatedName(stackName, logicalId, 255);
    await cloudwatch.send(new PutMetricAlarmCommand({ ...input, AlarmName: alarmName } as unknown as PutMetricAlarmCommandInput));
    ids.setRef(logicalId, alarmName);
    ids.setAtt(logicalId, 'Arn', `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarmName}`);
    out.alarmNames.push(alarmName);
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::CloudWatch::Dashboard')) {
    const r = reader(logicalId, resource);
    const name = ids.resolve<string | undefined>(r.get('DashboardName')) ?? generatedName(stackName, logicalId, 255);
    await cloudwatch.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: ids.resolve(r.get('DashboardBody')) }));
    ids.setRef(logicalId, name);
    out.dashboardNames.push(name);
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Scheduler::Schedule')) {
    const r = reader(logicalId, resource);
    const input: Record<string, unknown> = {};
    for (const name of ['Name', 'Description', 'FlexibleTimeWindow', 'ScheduleExpression', 'ScheduleExpressionTimezone', 'State', 'Target']) {
      const value = r.get(name);
      if (value !== undefined) input[name] = ids.resolve(value);
    }
    const name = (input.Name as string | undefined) ?? generatedName(stackName, logicalId, 64);
    const created = await scheduler.send(new CreateScheduleCommand({ ...input, Name: name } as unknown as CreateScheduleCommandInput));
    ids.setRef(logicalId, name);
    ids.setAtt(logicalId, 'Arn', created.ScheduleArn!);
    out.scheduleNames.push(name);
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Budgets::Budget')) {
    const r = reader(logicalId, resource);
    const budget = ids.resolve<Record<string, any>>(r.get('Budget'));
    const limit = budget.BudgetLimit && { Amount: String(budget.BudgetLimit.Amount), Unit: budget.BudgetLimit.Unit };
    const input: CreateBudgetCommandInput = {
      AccountId: ACCOUNT,
      Budget: { ...budget, BudgetName: budget.BudgetName ?? generatedName(stackName, logicalId, 100), BudgetLimit: limit } as CreateBudgetCommandInput['Budget'],
      NotificationsWithSubscribers: ids.resolve(r.get('NotificationsWithSubscribers')),
    };
    await budgets.send(new CreateBudgetCommand(input));
    ids.setRef(logicalId, input.Budget!.BudgetName!);
    out.budgetNames.push(input.Budget!.BudgetName!);
    r.assertComplete();
  }

  return out;
}
