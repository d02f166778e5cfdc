import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { monitoring, once, operations } from './fixtures';
import { CognitoMonitoring, MedflowMetrics, QuotaCategory } from '../../src';
import { RunbookAnchor } from '../../src/operations/runbook';

type Resources = Record<string, { Type: string; Properties: any }>;

/** The dashboard body with every `Ref` written as `${LogicalId}` and every `Fn::GetAtt` as `${LogicalId.Attr}`. */
function dashboardBody(template: Template): any {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as any[];
  const flatten = (node: any): string => {
    if (typeof node === 'string') return node;
    if (node.Ref) return `\${${node.Ref}}`;
    if (node['Fn::GetAtt']) return `\${${node['Fn::GetAtt'].join('.')}}`;
    if (node['Fn::Join']) return node['Fn::Join'][1].map(flatten).join(node['Fn::Join'][0]);
    throw new Error(`unexpected ${JSON.stringify(node)}`);
  };
  return JSON.parse(flatten(dashboard.Properties.DashboardBody));
}

function alarms(template: Template): Record<string, any> {
  const found = template.findResources('AWS::CloudWatch::Alarm') as Resources;
  return Object.fromEntries(Object.values(found).map((r) => [r.Properties.AlarmName, r.Properties]));
}

function metricStats(alarm: any): { name: string; namespace: string; dims: Record<string, unknown>; stat: string; period: number }[] {
  const stats = alarm.Metrics
    ? alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat)
    : [{
      Metric: { MetricName: alarm.MetricName, Namespace: alarm.Namespace, Dimensions: alarm.Dimensions },
      Stat: alarm.Statistic,
      Period: alarm.Period,
    }];
  return stats.map((s: any) => ({
    name: s.Metric.MetricName,
    namespace: s.Metric.Namespace,
    dims: Object.fromEntries((s.Metric.Dimensions ?? []).map((d: any) => [d.Name, d.Value])),
    stat: s.Stat,
    period: s.Period,
  }));
}

const POOL = { Ref: 'AuthUserPool8115E87F' };
const CLIENT = { Ref: 'AuthUserPoolAppClient1D18298A' };
const RUNBOOK = fs.readFileSync(path.join(__dirname, '../../docs/operations-runbook.md'), 'utf8');

// Built once each, on first use, and shared by every test that reads them.
/** Alarms, threat protection, five triggers, a rotation function and an email subscription, named `prod-medflow-cognito`. */
const prod = once(() => monitoring({ alarmEmail: 'oncall@clinic.example' }));
/** As the dev preset has it: no alarms, no threat protection. */
const dev = once(() => monitoring({ enableAlarms: false, threatProtection: false }));

describe('CognitoMonitoring', () => {
  test('without alarms: the dashboard and no alarms, topic or key for them', () => {
    const { template, construct } = dev();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(construct.alarmTopic).toBeUndefined();
    expect(construct.topicKey).toBeUndefined();
    const titles = dashboardBody(template).widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(expect.arrayContaining(['Sign-ins', 'Sign-ups', 'Token refreshes', 'Throttled requests', 'Accounts locked']));
    // Without threat protection (the Essentials plan in dev): no threat protection widgets.
    expect(titles.filter((t: string) => t?.startsWith('Threat protection'))).toEqual([]);
  });

  test('dashboard charts successes (Sum), requests (SampleCount) and success rate (Average) with the UserPool and UserPoolClient dimensions', () => {
    const widget = dashboardBody(prod().template).widgets.find((w: any) => w.properties.title === 'Sign-ins');
    const metrics = widget.properties.metrics;
    const plain = metrics.filter((m: any[]) => m[0] === 'AWS/Cognito');
    // A dashboard metric without `stat` uses Average, CloudWatch's default, which CDK leaves out.
    expect(plain.map((m: any[]) => [m[1], m[2], m[3], m[4], m[5], m[6].stat ?? 'Average'])).toEqual([
      ['SignInSuccesses', 'UserPool', '${AuthUserPool8115E87F}', 'UserPoolClient', '${AuthUserPoolAppClient1D18298A}', 'SampleCount'],
      ['SignInSuccesses', 'UserPool', '${AuthUserPool8115E87F}', 'UserPoolClient', '${AuthUserPoolAppClient1D18298A}', 'Sum'],
      ['SignInSuccesses', 'UserPool', '${AuthUserPool8115E87F}', 'UserPoolClient', '${AuthUserPoolAppClient1D18298A}', 'Average'],
    ]);
    expect(metrics.find((m: any[]) => m[0]?.expression)?.[0].expression).toBe('rate1 * 100');
  });

  test('dashboard charts the lockout EMF metric, trigger p99 against the 5 s budget, quota usage and, with threat protection, risk', () => {
    const { template } = prod();
    const widgets = dashboardBody(template).widgets.map((w: any) => w.properties);
    const lockouts = widgets.find((w: any) => w.title === 'Accounts locked');
    expect(lockouts.metrics[0].slice(0, 4)).toEqual(['MedFlow/Cognito', 'AccountLocked', 'UserPoolId', '${AuthUserPool8115E87F}']);
    const p99 = widgets.find((w: any) => w.title === 'Trigger RoleScopes/Function: p99 duration');
    expect(p99.metrics[0][0]).toBe('AWS/Lambda');
    expect(p99.metrics[0].at(-1).stat).toBe('p99');
    expect(p99.annotations.horizontal).toEqual([expect.objectContaining({ value: 5000, label: 'Cognito 5 s trigger budget' })]);
    const errors = widgets.find((w: any) => w.title === 'Trigger RoleScopes/Function: errors and throttles');
    expect(errors.metrics.map((m: any[]) => m[1])).toEqual(['Errors', 'Throttles']);
    const quota = widgets.find((w: any) => w.title?.startsWith('Quota usage'));
    expect(quota.metrics.map((m: any[]) => m[0].expression)).toEqual([
      'SEARCH(\'Namespace="AWS/Usage" MetricName="CallCount" Type="API" cognito user\', \'Sum\', 300)',
      'SEARCH(\'Namespace="AWS/Usage" MetricName="ThrottleCount" Type="API" cognito user\', \'Sum\', 300)',
    ]);
    const risk = widgets.find((w: any) => w.title === 'Threat protection: risk detections by operation and level');
    expect(risk.metrics[0][0].expression).toBe(
      'SEARCH(\'{AWS/Cognito,Operation,RiskLevel,UserPoolId} UserPoolId="${AuthUserPool8115E87F}" (Account OR Compromised OR Override)\', \'Sum\', 300)');
    const status = widgets.find((w: any) => w.title === 'Alarms');
    expect(status.alarms).toHaveLength(Object.keys(alarms(template)).length);
  });

  test('every runbook anchor the alarms use exists in docs/operations-runbook.md', () => {
    for (const anchor of Object.values(RunbookAnchor)) expect(RUNBOOK).toContain(`<a id="${anchor}"></a>`);
  });

  test('throttle alarm sums sign-in, sign-up and token-refresh throttles of the app client, plus admin sign-ups', () => {
    const alarm = alarms(prod().template)['prod-medflow-cognito-throttles'];
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('SUM([signIn, signUp, refresh, adminSignUp])');
    expect(metricStats(alarm)).toEqual([
      { name: 'SignInThrottles', namespace: 'AWS/Cognito', dims: { UserPool: POOL, UserPoolClient: CLIENT }, stat: 'Sum', period: 300 },
      { name: 'SignUpThrottles', namespace: 'AWS/Cognito', dims: { UserPool: POOL, UserPoolClient: CLIENT }, stat: 'Sum', period: 300 },
      { name: 'TokenRefreshThrottles', namespace: 'AWS/Cognito', dims: { UserPool: POOL, UserPoolClient: CLIENT }, stat: 'Sum', period: 300 },
      { name: 'SignUpThrottles', namespace: 'AWS/Cognito', dims: { UserPool: POOL, UserPoolClient: 'Admin' }, stat: 'Sum', period: 300 },
    ]);
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
  });

  test('sign-in success-rate alarm uses Average and SampleCount and cannot breach below the minimum request count', () => {
    const alarm = alarms(prod().template)['prod-medflow-cognito-sign-in-success-rate'];
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(attempts >= 20, rate * 100, 100)');
    expect(metricStats(alarm).map((m) => [m.name, m.stat, m.dims])).toEqual([
      ['SignInSuccesses', 'Average', { UserPool: POOL, UserPoolClient: CLIENT }],
      ['SignInSuccesses', 'SampleCount', { UserPool: POOL, UserPoolClient: CLIENT }],
    ]);
    expect(alarm).toMatchObject({ Threshold: 50, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 3 });
  });

  test('trigger error alarm watches the pre token generation function\'s Errors', () => {
    const alarm = alarms(prod().template)['prod-medflow-cognito-trigger-errors-role-scopes-function'];
    const [stat] = metricStats(alarm);
    expect(stat).toMatchObject({ name: 'Errors', namespace: 'AWS/Lambda', stat: 'Sum', period: 300 });
    expect(stat.dims.FunctionName).toEqual({ Ref: expect.stringMatching(/^AuthRoleScopesFunction/) });
  });

  test('lockout alarm reads the AccountLocked metric from the one shared definition', () => {
    const alarm = alarms(prod().template)['prod-medflow-cognito-lockout-spike'];
    expect(metricStats(alarm)).toEqual([{ name: MedflowMetrics.ACCOUNT_LOCKED, namespace: MedflowMetrics.NAMESPACE, dims: { [MedflowMetrics.USER_POOL_ID_DIMENSION]: POOL }, stat: 'Sum', period: 300 }]);
    expect(alarm.Threshold).toBe(10);
  });

  test('account-takeover alarm sums high-risk SignIn detections under both documented spellings, by UserPoolId, Operation and RiskLevel', () => {
    const alarm = alarms(prod().template)['prod-medflow-cognito-account-takeover-high-risk'];
    expect(metricStats(alarm).map((m) => [m.name, m.dims.Operation, m.dims.RiskLevel, m.dims.UserPoolId])).toEqual([
      ['AccountTakeoverRisk', 'SignIn', 'High', POOL],
      ['AccountTakeoverRisk', 'SignIn', 'high', POOL],
      ['AccountTakeOverRisk', 'SignIn', 'High', POOL],
      ['AccountTakeOverRisk', 'SignIn', 'high', POOL],
    ]);
    // Without threat protection the other alarms stay and this one is not created.
    const essentials = monitoring({ threatProtection: false });
    expect(essentials.construct.accountTakeoverAlarm).toBeUndefined();
    const names = Object.keys(alarms(essentials.template));
    expect(names).toContain('prod-medflow-cognito-lockout-spike');
    expect(names).not.toContain('prod-medflow-cognito-account-takeover-high-risk');
  });

  test('quota alarms query AWS/Usage CallCount per category at 80% of its quota over five minutes', () => {
    const all = alarms(prod().template);
    const quota = Object.entries(all).filter(([name]) => name.includes('-quota-'));
    expect(quota.map(([name]) => name)).toEqual(QuotaCategory.defaults().map((c) => `prod-medflow-cognito-quota-${c.name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`));
    const list = all['prod-medflow-cognito-quota-user-list'];
    expect(list.Metrics).toEqual([expect.objectContaining({
      Expression: 'SELECT SUM(CallCount) FROM "AWS/Usage" WHERE Type = \'API\' AND Resource = \'UserList\'',
      Period: 300,
      ReturnData: true,
    })]);
    expect(list.Threshold).toBe(30 * 300 * 0.8);
    expect(all['prod-medflow-cognito-quota-user-authentication'].Threshold).toBe(120 * 300 * 0.8);
  });

  test('thresholds are props: overrides reach the alarms, and bad values name the prop and the range', () => {
    const all = alarms(monitoring({ thresholds: { signInSuccessRatePercent: 90, lockouts: 3, quotaUtilizationPercent: 50 } }).template);
    expect(all['prod-medflow-cognito-sign-in-success-rate'].Threshold).toBe(90);
    expect(all['prod-medflow-cognito-lockout-spike'].Threshold).toBe(3);
    expect(all['prod-medflow-cognito-quota-user-list'].Threshold).toBe(30 * 300 * 0.5);
    expect(() => monitoring({ thresholds: { signInSuccessRatePercent: 120 } }))
      .toThrow(/CognitoMonitoring: invalid thresholds.signInSuccessRatePercent 120; allowed: a whole number from 1 to 99/);
    expect(() => monitoring({ thresholds: { lockouts: 0 } }))
      .toThrow(/invalid thresholds.lockouts 0; allowed: a whole number from 1 to 1000000/);
  });

  test('alarmEmail subscribes the address; a malformed one is refused', () => {
    prod().template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@clinic.example' });
    expect(() => monitoring({ alarmEmail: 'not-an-email' })).toThrow(/invalid alarmEmail "not-an-email"; allowed: one email address/);
  });

  test('a rotation function gets a rotation-failure alarm on its hourly Errors; without one there is none', () => {
    const alarm = alarms(prod().template)['prod-medflow-cognito-secret-rotation-failures'];
    expect(metricStats(alarm)).toEqual([expect.objectContaining({ name: 'Errors', namespace: 'AWS/Lambda', stat: 'Sum', period: 3600 })]);
    expect(prod().construct.rotationFailureAlarm).toBeDefined();
    expect(monitoring({ rotationFunctions: undefined }).construct.rotationFailureAlarm).toBeUndefined();
  });

  test('custom quota categories are alarmed at their own quota', () => {
    const all = alarms(monitoring({ alarmNamePrefix: 'x', quotaCategories: [QuotaCategory.custom('UserFederation', 25)] }).template);
    expect(Object.keys(all).filter((n) => n.includes('quota'))).toEqual(['x-quota-user-federation']);
    expect(all['x-quota-user-federation'].Threshold).toBe(25 * 300 * 0.8);
    expect(() => QuotaCategory.custom('user auth', 10)).toThrow(/QuotaCategory: invalid name "user auth"/);
    expect(() => QuotaCategory.custom('UserRead', 0)).toThrow(/invalid requestsPerSecond 0/);
  });

  test('app clients are limited to three, so every throttle alarm stays within CloudWatch\'s ten metrics', () => {
    const stack = new Stack(new App(), 'Many');
    const pool = new cognito.UserPool(stack, 'Pool');
    const clients = [1, 2, 3, 4].map((i) => pool.addClient(`C${i}`));
    expect(() => new CognitoMonitoring(stack, 'M', { userPool: pool, userPoolClients: clients }))
      .toThrow(/CognitoMonitoring: invalid userPoolClients \(4 clients\); allowed: 1 to 3 app clients/);
  });
});

describe('CognitoOperations routes every alarm to the monitoring topic', () => {
  const built = { staging: once(() => operations('staging')), prod: once(() => operations('prod')) };

  test.each(['staging', 'prod'] as const)('%s: every alarm notifies the KMS-encrypted, SSL-only topic, treats missing data as not breaching (or, for staleness, breaching) and links its runbook section', (preset) => {
    const { template } = built[preset]();
    const all = Object.values(alarms(template));
    expect(all.length).toBeGreaterThanOrEqual(15);
    // The backup's own alarms are among them.
    expect(all.map((a) => a.AlarmName)).toEqual(expect.arrayContaining([`${preset}-medflow-cognito-user-export-failed`, `${preset}-medflow-cognito-user-export-stale`]));
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    for (const alarm of all) {
      expect(alarm.AlarmActions).toEqual([topicRef]);
      expect(alarm.OKActions).toEqual([topicRef]);
      expect(alarm.TreatMissingData).toBe(alarm.AlarmName.endsWith('-stale') ? 'breaching' : 'notBreaching');
      const anchor = /operations-runbook\.md#([a-z-]+)$/.exec(alarm.AlarmDescription)?.[1];
      expect(anchor).toBeDefined();
      expect(RUNBOOK).toContain(`<a id="${anchor}"></a>`);
      expect(alarm.AlarmDescription).toMatch(/ Do: /);
      expect(alarm.AlarmDescription.length).toBeLessThanOrEqual(1024);
    }
    const [topic] = Object.values(template.findResources('AWS::SNS::Topic')) as any[];
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(template.findResources('AWS::KMS::Key')[keyId].Properties.EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
  });
});

describe('email through SES', () => {
  const sesMonitoring = once(() => monitoring({ sesEmail: { configurationSetName: 'prod-medflow-cognito-email' } }));

  test('bounce-rate and complaint-rate alarms on the SES account reputation, at 5% and 0.1% by default, to the alarm topic', () => {
    const all = alarms(sesMonitoring().template);
    const bounce = all['prod-medflow-cognito-email-bounce-rate'];
    const complaint = all['prod-medflow-cognito-email-complaint-rate'];
    expect(metricStats(bounce)).toEqual([{ name: 'Reputation.BounceRate', namespace: 'AWS/SES', dims: {}, stat: 'Maximum', period: 3600 }]);
    expect(metricStats(complaint)).toEqual([{ name: 'Reputation.ComplaintRate', namespace: 'AWS/SES', dims: {}, stat: 'Maximum', period: 3600 }]);
    // SES publishes the rates as fractions; the expression turns them into the percent the threshold is in.
    expect(bounce.Metrics.find((m: any) => m.Expression).Expression).toBe('bounceRate * 100');
    expect(bounce).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(complaint).toMatchObject({ Threshold: 0.1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(bounce.AlarmActions).toEqual([{ Ref: expect.stringMatching(/AlarmTopic/) }]);
    expect(bounce.AlarmDescription).toMatch(/operations-runbook\.md#email-is-not-arriving$/);
    expect(sesMonitoring().construct.emailBounceRateAlarm).toBeDefined();
  });

  test('the dashboard charts the reputation and the configuration set\'s send events', () => {
    const widgets = dashboardBody(sesMonitoring().template).widgets;
    const titles = widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(expect.arrayContaining(['Email reputation (SES account, %)', 'Email sent by the user pool (per hour)']));
    const events = widgets.find((w: any) => w.properties.title === 'Email sent by the user pool (per hour)').properties.metrics;
    expect(events.map((m: any[]) => m[1])).toEqual(['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject']);
    expect(events[0].slice(0, 4)).toEqual(['AWS/SES', 'Send', MedflowMetrics.SES_CONFIGURATION_SET_DIMENSION, 'prod-medflow-cognito-email']);
  });

  test('without sesEmail there is no email alarm or widget; with alarms off the widgets stay and the alarms go', () => {
    const plain = prod().template;
    expect(Object.keys(alarms(plain)).filter((name) => name.includes('email'))).toEqual([]);
    const off = monitoring({ enableAlarms: false, sesEmail: {} }).template;
    expect(Object.keys(alarms(off))).toEqual([]);
    expect(dashboardBody(off).widgets.map((w: any) => w.properties.title)).toContain('Email reputation (SES account, %)');
  });

  test('the email thresholds are props, and values outside (0, 100] name the prop', () => {
    const all = alarms(monitoring({ sesEmail: {}, thresholds: { emailBounceRatePercent: 2, emailComplaintRatePercent: 0.05 } }).template);
    expect(all['prod-medflow-cognito-email-bounce-rate'].Threshold).toBe(2);
    expect(all['prod-medflow-cognito-email-complaint-rate'].Threshold).toBe(0.05);
    expect(() => monitoring({ thresholds: { emailBounceRatePercent: 0 } }))
      .toThrow(/invalid thresholds\.emailBounceRatePercent 0; allowed: a percentage above 0 and at most 100/);
    expect(() => monitoring({ thresholds: { emailComplaintRatePercent: 150 } })).toThrow(/invalid thresholds\.emailComplaintRatePercent 150/);
  });
});
