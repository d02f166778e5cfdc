import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { operations } from './fixtures';
import { AuthEventsDestination, MedflowMetrics } from '../../src';
import { emfRecord } from '../../src/operations/metric-names';
import { PRESET_NAMES, synthesize } from '../helpers';

const PACKS = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()];

describe('monthly budget', () => {
  test('filters on both the Project and Environment tags and alerts the alarm topic at 80% and 100%', () => {
    const { template } = operations('prod', { projectName: 'clinic-one', monthlyBudget: 250 });
    const topic = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: 'prod-clinic-one-cognito-monthly',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 250, Unit: 'USD' },
        FilterExpression: {
          And: [
            { Tags: { Key: 'Project', Values: ['clinic-one'], MatchOptions: ['EQUALS'] } },
            { Tags: { Key: 'Environment', Values: ['prod'], MatchOptions: ['EQUALS'] } },
          ],
        },
      },
      NotificationsWithSubscribers: [
        { Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' }, Subscribers: [{ SubscriptionType: 'SNS', Address: topic }] },
        { Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' }, Subscribers: [{ SubscriptionType: 'SNS', Address: topic }] },
        { Notification: { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' }, Subscribers: [{ SubscriptionType: 'SNS', Address: topic }] },
      ],
    });
  });

  test('is optional, and a bad amount is refused with the reason', () => {
    const without = operations('prod');
    expect(without.construct.costGuardrail).toBeUndefined();
    without.template.resourceCountIs('AWS::Budgets::Budget', 0);
    expect(() => operations('prod', { monthlyBudget: 0 })).toThrow(/CostGuardrail: invalid monthlyBudget 0; allowed: a number of US dollars from 1 to 1000000/);
  });
});

describe('MedflowCognito without alarms (dev)', () => {
  // MedflowCognito refuses these while resolving its configuration; CognitoOperations itself
  // takes them as given.
  test('refuses an alarm email or a budget, since both need the alarm topic, and says why', () => {
    expect(() => synthesize('dev', { alarmEmail: 'oncall@clinic.example' }))
      .toThrow(/MedflowCognito: invalid alarmEmail oncall@clinic.example; allowed: only with alarms enabled \(the staging and prod presets\)/);
    expect(() => synthesize('dev', { monthlyBudget: 50 })).toThrow(/invalid monthlyBudget 50; allowed: only with alarms enabled/);
  });

  test('the dev preset has the dashboard, user notification errors kept a month, and no alarms, topic, backup or auth events', () => {
    const { template, auth } = synthesize('dev');
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(auth.monitoring.alarmTopic).toBeUndefined();
    expect(auth.operations.backup).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: [Match.objectLike({ EventSource: 'userNotification', LogLevel: 'ERROR' })],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/cognito/dev-medflow-cognito/user-notification', RetentionInDays: 30 });
  });
});

describe('MedflowMetrics', () => {
  test('one place names the lockout metric for the triggers and the alarms', () => {
    expect([MedflowMetrics.NAMESPACE, MedflowMetrics.ACCOUNT_LOCKED, MedflowMetrics.USER_POOL_ID_DIMENSION]).toEqual(['MedFlow/Cognito', 'AccountLocked', 'UserPoolId']);
    const metric = MedflowMetrics.accountLocked('eu-west-3_Pool');
    expect([metric.namespace, metric.metricName, metric.dimensions, metric.statistic, metric.period.toMinutes()])
      .toEqual(['MedFlow/Cognito', 'AccountLocked', { UserPoolId: 'eu-west-3_Pool' }, 'Sum', 5]);
  });

  test('the EMF record a trigger prints becomes AccountLocked with the UserPoolId dimension, and carries nothing else', () => {
    const record = emfRecord('eu-west-3_Pool', [{ name: MedflowMetrics.ACCOUNT_LOCKED, value: 1, unit: 'Count' }], 1_700_000_000_000);
    expect(record).toEqual({
      _aws: { Timestamp: 1_700_000_000_000, CloudWatchMetrics: [{ Namespace: 'MedFlow/Cognito', Dimensions: [['UserPoolId']], Metrics: [{ Name: 'AccountLocked', Unit: 'Count' }] }] },
      UserPoolId: 'eu-west-3_Pool',
      AccountLocked: 1,
    });
  });
});

describe('cdk-nag with every operations option', () => {
  test.each(PRESET_NAMES.filter((p) => p !== 'dev'))('%s with alarm email, budget, custom thresholds and S3 auth events reports nothing unacknowledged', (preset) => {
    const { stack } = synthesize(preset, {
      alarmEmail: 'oncall@clinic.example',
      monthlyBudget: 300,
      alarmThresholds: { lockouts: 5 },
      authEventsDestination: AuthEventsDestination.S3,
    });
    const findings = PACKS().flatMap((pack) => pack.validateScope(stack).violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`));
    expect(findings).toEqual([]);
    // MedflowCognito hands each option and the preset's settings to its operations.
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@clinic.example' });
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ BudgetLimit: { Amount: 300, Unit: 'USD' }, FilterExpression: Match.objectLike({ And: Match.arrayWith([{ Tags: { Key: 'Environment', Values: [preset], MatchOptions: ['EQUALS'] } }]) }) }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${preset}-medflow-cognito-lockout-spike`, Threshold: 5 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${preset}-medflow-cognito-account-takeover-high-risk` });
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: Match.arrayWith([Match.objectLike({ EventSource: 'userAuthEvents', S3Configuration: Match.anyValue() })]),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { Name: `${preset}-medflow-cognito-user-export` });
  });

  test('the export function is not excused from the DLQ rule: it has a dead-letter queue, and no LambdaDLQ acknowledgement exists', () => {
    const acknowledged = operations('prod').construct.backup!.node.findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => Object.keys(m.data)[0]));
    expect(acknowledged.filter((id) => id.includes('LambdaDLQ'))).toEqual([]);
    expect(acknowledged).toContain('annotation::HIPAA.Security-LambdaConcurrency');
    expect(acknowledged.filter((id) => id.startsWith('annotation::AwsSolutions-IAM5[Resource::'))).toHaveLength(2);
  });
});
