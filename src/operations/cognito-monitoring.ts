import {
  Duration,
  RemovalPolicy,
  Stack,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cwActions,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MedflowMetrics } from './metrics';
import { QuotaCategory } from './quota-category';
import { DEFAULT_RUNBOOK_URL, RunbookAnchor, alarmDescription } from './runbook';
import { PropValidator } from '../internal/prop-validation';

/**
 * Alarm thresholds. Each applies to one five-minute period unless its description says otherwise.
 */
export interface AlarmThresholds {
  /**
   * Throttled sign-in, sign-up and token-refresh requests of one app client in five minutes.
   * @default 1 - any throttle pages: users were turned away
   */
  readonly throttledRequests?: number;
  /**
   * Sign-in success rate, in percent, below which the success-rate alarm fires when at least
   * `signInMinimumRequests` sign-ins were attempted in each of three consecutive periods.
   * Wrong passwords count as failures, so calibrate it from two weeks of the dashboard's line.
   * @default 50
   */
  readonly signInSuccessRatePercent?: number;
  /**
   * Sign-in attempts per five minutes below which the success rate is not judged, so a quiet
   * night with three mistyped passwords does not page.
   * @default 20
   */
  readonly signInMinimumRequests?: number;
  /**
   * Errors of one Cognito trigger function in five minutes.
   * @default 1 - a trigger error fails the user's sign-in or token
   */
  readonly triggerErrors?: number;
  /**
   * Accounts locked by the lockout triggers in five minutes; more suggests credential stuffing.
   * @default 10
   */
  readonly lockouts?: number;
  /**
   * Sign-ins with high account-takeover risk in five minutes (Plus plan threat protection).
   * @default 1
   */
  readonly highRiskTakeovers?: number;
  /**
   * Errors of the secret rotation function in one hour.
   * @default 1
   */
  readonly rotationFailures?: number;
  /**
   * Use of a request-rate quota category, in percent of its quota, averaged over five minutes.
   * @default 80
   */
  readonly quotaUtilizationPercent?: number;
}

/** Props for `CognitoMonitoring`. */
export interface CognitoMonitoringProps {
  /** The user pool to watch. */
  readonly userPool: cognito.IUserPool;
  /** App clients whose sign-in, sign-up and token-refresh metrics are charted and alarmed. At most 3. */
  readonly userPoolClients: cognito.IUserPoolClient[];
  /**
   * Dashboard name.
   * @default - CloudFormation generates one
   */
  readonly dashboardName?: string;
  /**
   * Prefix of alarm names, for example `prod-medflow-cognito`.
   * @default - CloudFormation generates alarm names
   */
  readonly alarmNamePrefix?: string;
  /**
   * Whether alarms and their SNS topic are created. Without alarms only the dashboard exists.
   * @default true
   */
  readonly enableAlarms?: boolean;
  /**
   * Whether the pool has threat protection (Plus plan, audit or enforced), which publishes the
   * risk metrics charted and alarmed here.
   * @default false
   */
  readonly threatProtection?: boolean;
  /**
   * Email address subscribed to the alarm topic. The recipient must confirm the subscription.
   * @default - no subscription; subscribe your pager to `alarmTopic`
   */
  readonly alarmEmail?: string;
  /**
   * Alarm thresholds.
   * @default - the documented default of each threshold
   */
  readonly thresholds?: AlarmThresholds;
  /**
   * Cognito trigger functions to chart and alarm: errors, throttles, and p99 duration against
   * Cognito's 5-second trigger budget.
   * @default - none
   */
  readonly triggerFunctions?: lambda.IFunction[];
  /**
   * The secret rotation functions, whose errors together raise the rotation-failure alarm.
   * @default - no rotation-failure alarm
   */
  readonly rotationFunctions?: lambda.IFunction[];
  /**
   * Request-rate quota categories alarmed at `quotaUtilizationPercent` of their quota.
   * @default QuotaCategory.defaults()
   */
  readonly quotaCategories?: QuotaCategory[];
  /**
   * URL of the operations runbook; each alarm description links to its section.
   * @default 'https://github.com/medflow/cognito-construct/blob/main/docs/operations-runbook.md'
   */
  readonly runbookUrl?: string;
  /**
   * Removal policy of the topic's key.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const FIVE_MINUTES = Duration.minutes(5);
/** Cognito waits at most five seconds for a trigger before failing the request. */
const TRIGGER_BUDGET_MS = 5_000;
const MAX_CLIENTS = 3;
/**
 * CloudWatch metric names are case-sensitive and AWS's own pages spell the account-takeover
 * metric both ways: `AccountTakeoverRisk` (current threat-protection metrics page) and
 * `AccountTakeOverRisk` (earlier editions of the same page). Risk levels are written `High` in the
 * API and `high` in that table. The alarm sums every spelling so it fires whichever is published.
 */
const ACCOUNT_TAKEOVER_METRIC_NAMES = ['AccountTakeoverRisk', 'AccountTakeOverRisk'];
const HIGH_RISK_LEVELS = ['High', 'high'];

/**
 * Dashboard and alarms for a MedFlow user pool.
 *
 * Every alarm treats missing data as not breaching, deliberately: Cognito, Lambda and the lockout
 * triggers publish these metrics only when requests or events happen, so "no data" means "no
 * traffic" and never "failing". Each alarm description says what to do and links the runbook.
 */
export class CognitoMonitoring extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The KMS-encrypted topic every alarm notifies, when alarms are enabled. */
  public readonly alarmTopic?: sns.ITopic;
  /** The customer-managed key encrypting the alarm topic, when alarms are enabled. */
  public readonly topicKey?: kms.IKey;
  /** Every alarm this construct created, plus those routed to its topic with `addAlarm`. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The sign-in success-rate alarms, one per app client. */
  public readonly signInSuccessRateAlarms: cloudwatch.Alarm[] = [];
  /** The throttle alarms, one per app client. */
  public readonly throttleAlarms: cloudwatch.Alarm[] = [];
  /** The trigger error alarms, one per trigger function. */
  public readonly triggerErrorAlarms: cloudwatch.Alarm[] = [];
  /** The quota utilisation alarms, one per category. */
  public readonly quotaAlarms: cloudwatch.Alarm[] = [];
  /** The lockout-spike alarm. */
  public readonly lockoutSpikeAlarm?: cloudwatch.Alarm;
  /** The high-risk account-takeover alarm, with threat protection. */
  public readonly accountTakeoverAlarm?: cloudwatch.Alarm;
  /** The rotation-failure alarm, with a rotation function. */
  public readonly rotationFailureAlarm?: cloudwatch.Alarm;

  private readonly runbookUrl: string;
  private readonly alarmNamePrefix?: string;

  constructor(scope: Construct, id: string, props: CognitoMonitoringProps) {
    super(scope, id);
    const validator = new PropValidator('CognitoMonitoring');
    const thresholds = resolveThresholds(props.thresholds ?? {}, validator);
    const clients = props.userPoolClients ?? [];
    if (clients.length === 0 || clients.length > MAX_CLIENTS) {
      validator.fail('userPoolClients', `(${clients.length} clients)`, `1 to ${MAX_CLIENTS} app clients`);
    }
    if (props.alarmEmail !== undefined) {
      validator.matches('alarmEmail', props.alarmEmail, /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/, 'one email address such as oncall@clinic.example');
    }
    const quotaCategories = props.quotaCategories ?? QuotaCategory.defaults();
    const triggerFunctions = props.triggerFunctions ?? [];
    this.runbookUrl = props.runbookUrl ?? DEFAULT_RUNBOOK_URL;
    this.alarmNamePrefix = props.alarmNamePrefix;
    const userPoolId = props.userPool.userPoolId;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(12),
    });

    const enableAlarms = props.enableAlarms ?? true;
    if (enableAlarms) {
      const topicKey = new kms.Key(this, 'TopicKey', {
        description: 'Encrypts the Cognito alarm topic.',
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
      this.topicKey = topicKey;
      const topic = new sns.Topic(this, 'AlarmTopic', {
        displayName: props.alarmNamePrefix ? `${props.alarmNamePrefix} alarms` : 'Cognito alarms',
        masterKey: topicKey,
        enforceSSL: true,
      });
      this.allowServicesToPublish(topic, topicKey);
      if (props.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      this.alarmTopic = topic;
    }

    // Metrics ---------------------------------------------------------------------------------
    const poolMetric = (metricName: string, clientId: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/Cognito',
      metricName,
      dimensionsMap: { UserPool: userPoolId, UserPoolClient: clientId },
      statistic,
      period: FIVE_MINUTES,
    });

    // Dashboard -------------------------------------------------------------------------------
    this.dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: [
        '# Cognito user pool health',
        `Alarms and what to do: [operations runbook](${this.runbookUrl}). Success metrics: Average = success rate, SampleCount = requests, Sum = successes.`,
      ].join('\n\n'),
      width: 24,
      height: 2,
    }));

    const activity = (title: string, successMetric: string) => new cloudwatch.GraphWidget({
      title,
      width: 8,
      left: clients.flatMap((client, i) => [
        poolMetric(successMetric, client.userPoolClientId, cloudwatch.Stats.SAMPLE_COUNT).with({ label: `requests (client ${i + 1})` }),
        poolMetric(successMetric, client.userPoolClientId, cloudwatch.Stats.SUM).with({ label: `successes (client ${i + 1})` }),
      ]),
      right: clients.map((client, i) => new cloudwatch.MathExpression({
        // Metric IDs must be unique within one graph, so each client's expression has its own.
        expression: `rate${i + 1} * 100`,
        usingMetrics: { [`rate${i + 1}`]: poolMetric(successMetric, client.userPoolClientId, cloudwatch.Stats.AVERAGE) },
        label: `success rate % (client ${i + 1})`,
        period: FIVE_MINUTES,
      })),
      rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
    });
    this.dashboard.addWidgets(
      activity('Sign-ins', 'SignInSuccesses'),
      activity('Sign-ups', 'SignUpSuccesses'),
      activity('Token refreshes', 'TokenRefreshSuccesses'),
    );

    const throttleMetrics = (client: cognito.IUserPoolClient) => ({
      signIn: poolMetric('SignInThrottles', client.userPoolClientId, cloudwatch.Stats.SUM),
      signUp: poolMetric('SignUpThrottles', client.userPoolClientId, cloudwatch.Stats.SUM),
      refresh: poolMetric('TokenRefreshThrottles', client.userPoolClientId, cloudwatch.Stats.SUM),
    });
    // Sign-ups made with admin APIs (AdminCreateUser) are published with the client "Admin".
    const adminSignUpThrottles = poolMetric('SignUpThrottles', 'Admin', cloudwatch.Stats.SUM);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Throttled requests',
        width: 8,
        left: [
          ...clients.flatMap((client, i) => Object.entries(throttleMetrics(client)).map(([kind, metric]) => metric.with({ label: `${kind} (client ${i + 1})` }))),
          adminSignUpThrottles.with({ label: 'sign-up (admin APIs)' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Accounts locked',
        width: 8,
        left: [MedflowMetrics.accountLocked(userPoolId).with({ label: 'lockouts' })],
        leftAnnotations: [{ value: thresholds.lockouts, label: 'lockout spike alarm' }],
      }),
      new cloudwatch.GraphWidget({
        title: 'Quota usage: calls per category (account-wide)',
        width: 8,
        left: [usageSearch('CallCount')],
        right: [usageSearch('ThrottleCount')],
      }),
    );

    if (props.threatProtection) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Threat protection: risk detections by operation and level',
          width: 12,
          left: [new cloudwatch.SearchExpression({
            // Partial-match tokens are case-insensitive, so this finds every spelling of
            // CompromisedCredential(s)Risk, AccountTakeover/TakeOverRisk and OverrideBlock.
            expression: `SEARCH('{AWS/Cognito,Operation,RiskLevel,UserPoolId} UserPoolId="${userPoolId}" (Account OR Compromised OR Override)', 'Sum', 300)`,
            label: '',
          })],
        }),
        new cloudwatch.GraphWidget({
          title: 'Threat protection: risky and risk-free requests',
          width: 12,
          left: [new cloudwatch.SearchExpression({
            expression: `SEARCH('{AWS/Cognito,Operation,UserPoolId} UserPoolId="${userPoolId}" (MetricName="Risk" OR MetricName="NoRisk")', 'Sum', 300)`,
            label: '',
          })],
        }),
      );
    }

    for (const fn of triggerFunctions) {
      const name = functionLabel(fn);
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `Trigger ${name}: errors and throttles`,
          width: 12,
          left: [
            fn.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label: 'errors' }),
            fn.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label: 'throttles' }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `Trigger ${name}: p99 duration`,
          width: 12,
          left: [fn.metricDuration({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99), label: 'p99 duration (ms)' })],
          leftYAxis: { min: 0, max: TRIGGER_BUDGET_MS * 1.2, label: 'ms', showUnits: false },
          leftAnnotations: [{ value: TRIGGER_BUDGET_MS, label: 'Cognito 5 s trigger budget', color: cloudwatch.Color.RED }],
        }),
      );
    }

    if (!enableAlarms) return;

    // Alarms ----------------------------------------------------------------------------------
    clients.forEach((client, i) => {
      const suffix = clients.length > 1 ? `-client${i + 1}` : '';
      const t = throttleMetrics(client);
      const throttleInputs: Record<string, cloudwatch.IMetric> = { signIn: t.signIn, signUp: t.signUp, refresh: t.refresh };
      if (i === 0) throttleInputs.adminSignUp = adminSignUpThrottles;
      this.throttleAlarms.push(this.createAlarm(`Throttles${i + 1}`, `throttles${suffix}`, {
        metric: new cloudwatch.MathExpression({
          expression: `SUM([${Object.keys(throttleInputs).join(', ')}])`,
          usingMetrics: throttleInputs,
          label: 'throttled sign-in, sign-up and token-refresh requests',
          period: FIVE_MINUTES,
        }),
        threshold: thresholds.throttledRequests,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        description: alarmDescription(
          `Cognito throttled ${thresholds.throttledRequests} or more sign-in, sign-up or token-refresh requests in 5 minutes; users were turned away.`,
          'check the quota usage widgets for the category at its limit, look for a retry storm or abusive client, and request a quota increase if the traffic is legitimate.',
          this.runbookUrl, RunbookAnchor.THROTTLES),
      }));

      this.signInSuccessRateAlarms.push(this.createAlarm(`SignInSuccessRate${i + 1}`, `sign-in-success-rate${suffix}`, {
        metric: new cloudwatch.MathExpression({
          // Below the minimum request count the expression reports 100%, so it cannot breach.
          expression: `IF(attempts >= ${thresholds.signInMinimumRequests}, rate * 100, 100)`,
          usingMetrics: {
            rate: poolMetric('SignInSuccesses', client.userPoolClientId, cloudwatch.Stats.AVERAGE),
            attempts: poolMetric('SignInSuccesses', client.userPoolClientId, cloudwatch.Stats.SAMPLE_COUNT),
          },
          label: 'sign-in success rate (%)',
          period: FIVE_MINUTES,
        }),
        threshold: thresholds.signInSuccessRatePercent,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        description: alarmDescription(
          `Fewer than ${thresholds.signInSuccessRatePercent}% of sign-ins succeeded for 15 minutes, with at least ${thresholds.signInMinimumRequests} attempts every 5 minutes.`,
          'check trigger errors and durations, recent deployments and app client changes, then the threat protection and lockout widgets for an attack.',
          this.runbookUrl, RunbookAnchor.SIGN_IN_SUCCESS_RATE),
      }));
    });

    for (const fn of triggerFunctions) {
      const name = functionLabel(fn);
      this.triggerErrorAlarms.push(this.createAlarm(`TriggerErrors${this.triggerErrorAlarms.length + 1}`, `trigger-errors-${slug(name)}`, {
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        threshold: thresholds.triggerErrors,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        description: alarmDescription(
          `The Cognito trigger ${name} failed ${thresholds.triggerErrors} or more times in 5 minutes; each failure fails a user's sign-in or token request.`,
          'read the function\'s log group for the error, compare its p99 duration with the 5-second budget, and roll back the last change to the trigger if it started the errors.',
          this.runbookUrl, RunbookAnchor.TRIGGER_ERRORS),
      }));
    }

    this.lockoutSpikeAlarm = this.createAlarm('LockoutSpike', 'lockout-spike', {
      metric: MedflowMetrics.accountLocked(userPoolId),
      threshold: thresholds.lockouts,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      description: alarmDescription(
        `${thresholds.lockouts} or more accounts were locked in 5 minutes, which points to credential stuffing or a broken client.`,
        'check the threat protection widgets and the auth events log for the source addresses, block them at the edge if it is an attack, and tell the clinics affected.',
        this.runbookUrl, RunbookAnchor.LOCKOUT_SPIKE),
    });

    if (props.threatProtection) {
      const usingMetrics: Record<string, cloudwatch.IMetric> = {};
      ACCOUNT_TAKEOVER_METRIC_NAMES.forEach((metricName, n) => HIGH_RISK_LEVELS.forEach((riskLevel, r) => {
        usingMetrics[`ato${n}${r}`] = new cloudwatch.Metric({
          namespace: 'AWS/Cognito',
          metricName,
          dimensionsMap: { UserPoolId: userPoolId, Operation: 'SignIn', RiskLevel: riskLevel },
          statistic: cloudwatch.Stats.SUM,
          period: FIVE_MINUTES,
        });
      }));
      this.accountTakeoverAlarm = this.createAlarm('AccountTakeover', 'account-takeover-high-risk', {
        metric: new cloudwatch.MathExpression({
          expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
          usingMetrics,
          label: 'high-risk account takeover sign-ins',
          period: FIVE_MINUTES,
        }),
        threshold: thresholds.highRiskTakeovers,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        description: alarmDescription(
          `Threat protection rated ${thresholds.highRiskTakeovers} or more sign-ins as high account-takeover risk in 5 minutes.`,
          'follow the security incident procedure: identify the users in the auth events log, sign them out globally, force a password reset, and review what they accessed.',
          this.runbookUrl, RunbookAnchor.ACCOUNT_TAKEOVER),
      });
    }

    const rotationErrors = (props.rotationFunctions ?? [])
      .map((fn) => fn.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }));
    if (rotationErrors.length > 0) {
      this.rotationFailureAlarm = this.createAlarm('RotationFailures', 'secret-rotation-failures', {
        // One alarm over every rotation function: the runbook step is the same for each secret.
        metric: rotationErrors.length === 1 ? rotationErrors[0] : new cloudwatch.MathExpression({
          expression: rotationErrors.map((_, i) => `rotation${i}`).join(' + '),
          usingMetrics: Object.fromEntries(rotationErrors.map((metric, i) => [`rotation${i}`, metric])),
          period: Duration.hours(1),
          label: 'rotation errors',
        }),
        threshold: thresholds.rotationFailures,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        description: alarmDescription(
          `The secret rotation function failed ${thresholds.rotationFailures} or more times in an hour; the app client secret may be half-rotated.`,
          'read the rotation function\'s log, check which secret version holds AWSCURRENT and AWSPENDING, and finish or cancel the rotation before the backend restarts.',
          this.runbookUrl, RunbookAnchor.ROTATION_FAILURES),
      });
    }

    for (const category of quotaCategories) {
      // CallCount summed over five minutes against the quota times 300 seconds. The query keys
      // on Type and Resource only: AWS documents the Service value both as "Cognito user pool"
      // and "Cognito user pools", and the category names are unique to Cognito user pools.
      // Without a SCHEMA() the query matches the metric with or without a Class dimension.
      const limit = Math.round(category.requestsPerSecond * 300 * thresholds.quotaUtilizationPercent / 100);
      this.quotaAlarms.push(this.createAlarm(`Quota${category.name}`, `quota-${slug(category.name)}`, {
        metric: new cloudwatch.MathExpression({
          expression: `SELECT SUM(CallCount) FROM "AWS/Usage" WHERE Type = 'API' AND Resource = '${category.name}'`,
          usingMetrics: {},
          label: `${category.name} calls per 5 minutes`,
          period: FIVE_MINUTES,
        }),
        threshold: limit,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        description: alarmDescription(
          `The ${category.name} category averaged ${thresholds.quotaUtilizationPercent}% or more of its ${category.requestsPerSecond} requests-per-second quota over 5 minutes (${limit} calls), across the whole account and region.`,
          'find the caller in CloudTrail, spread batch jobs out (the user export paces itself at 5 requests per second), and request a quota increase if the category is adjustable.',
          this.runbookUrl, RunbookAnchor.QUOTA_UTILIZATION),
      }));
    }

    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      width: 24,
      alarms: this.alarms,
    }));
  }

  /**
   * Routes an alarm created elsewhere (backup failures, for example) to the alarm topic and the
   * dashboard's alarm list. Does nothing to the actions when alarms are disabled.
   */
  public addAlarm(alarm: cloudwatch.Alarm): void {
    if (this.alarmTopic) {
      const action = new cwActions.SnsAction(this.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
  }

  private createAlarm(id: string, name: string, options: {
    metric: cloudwatch.IMetric;
    threshold: number;
    comparisonOperator: cloudwatch.ComparisonOperator;
    evaluationPeriods: number;
    description: string;
  }): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: this.alarmNamePrefix ? `${this.alarmNamePrefix}-${name}` : undefined,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator,
      evaluationPeriods: options.evaluationPeriods,
      datapointsToAlarm: options.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.addAlarm(alarm);
    return alarm;
  }

  // CloudWatch alarms and AWS Budgets publish to the topic through its key; the policies admit
  // only this account's alarms and budgets.
  private allowServicesToPublish(topic: sns.Topic, key: kms.Key): void {
    const stack = Stack.of(this);
    for (const service of ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com']) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
      topic.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(service)],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
    }
  }
}

function resolveThresholds(input: AlarmThresholds, validator: PropValidator): Required<AlarmThresholds> {
  const t: Required<AlarmThresholds> = {
    throttledRequests: input.throttledRequests ?? 1,
    signInSuccessRatePercent: input.signInSuccessRatePercent ?? 50,
    signInMinimumRequests: input.signInMinimumRequests ?? 20,
    triggerErrors: input.triggerErrors ?? 1,
    lockouts: input.lockouts ?? 10,
    highRiskTakeovers: input.highRiskTakeovers ?? 1,
    rotationFailures: input.rotationFailures ?? 1,
    quotaUtilizationPercent: input.quotaUtilizationPercent ?? 80,
  };
  const counts: (keyof AlarmThresholds)[] = ['throttledRequests', 'signInMinimumRequests', 'triggerErrors', 'lockouts', 'highRiskTakeovers', 'rotationFailures'];
  for (const key of counts) validator.integerInRange(`thresholds.${key}`, t[key], 1, 1_000_000);
  validator.integerInRange('thresholds.signInSuccessRatePercent', t.signInSuccessRatePercent, 1, 99);
  validator.integerInRange('thresholds.quotaUtilizationPercent', t.quotaUtilizationPercent, 1, 100);
  return t;
}

/** Account-wide usage of Cognito user pool categories; matches either documented Service value. */
function usageSearch(metricName: 'CallCount' | 'ThrottleCount'): cloudwatch.SearchExpression {
  return new cloudwatch.SearchExpression({
    expression: `SEARCH('Namespace="AWS/Usage" MetricName="${metricName}" Type="API" cognito user', 'Sum', 300)`,
    label: metricName === 'CallCount' ? '' : 'throttled ',
  });
}

/** A readable name for a function in titles: its construct's parent and own IDs. */
function functionLabel(fn: lambda.IFunction): string {
  const parent = fn.node.scope?.node.id;
  return parent && parent !== '' ? `${parent}/${fn.node.id}` : fn.node.id;
}

function slug(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}
