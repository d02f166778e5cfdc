/*
 * The topic every alarm notifies: encrypted with its own customer-managed key, SSL-only, and
 * open to CloudWatch alarms and AWS Budgets of this account alone.
 */
import {
  RemovalPolicy,
  Stack,
  aws_iam as iam,
  aws_kms as kms,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The services that publish to the alarm topic. */
const PUBLISHING_SERVICES = ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'];

export interface AlarmTopicOptions {
  /** Prefix of alarm names; the topic's display name is `{prefix} alarms`. */
  readonly alarmNamePrefix?: string;
  /** Email address subscribed to the topic. */
  readonly alarmEmail?: string;
  /** Removal policy of the topic's key. */
  readonly removalPolicy: RemovalPolicy;
}

export interface AlarmTopic {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
}

/** Creates the key (`TopicKey`) and the topic (`AlarmTopic`) in `scope`. */
export function createAlarmTopic(scope: Construct, options: AlarmTopicOptions): AlarmTopic {
  const key = new kms.Key(scope, 'TopicKey', {
    description: 'Encrypts the Cognito alarm topic.',
    enableKeyRotation: true,
    removalPolicy: options.removalPolicy,
  });
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: options.alarmNamePrefix ? `${options.alarmNamePrefix} alarms` : 'Cognito alarms',
    masterKey: key,
    enforceSSL: true,
  });
  allowServicesToPublish(topic, key);
  if (options.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(options.alarmEmail));
  return { topic, key };
}

// CloudWatch alarms and AWS Budgets publish to the topic through its key; the policies admit
// only this account's alarms and budgets.
function allowServicesToPublish(topic: sns.Topic, key: kms.Key): void {
  const account = Stack.of(topic).account;
  for (const service of PUBLISHING_SERVICES) {
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
    topic.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
  }
}
