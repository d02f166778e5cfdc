/*
 * The alarm definitions of the user pool, with their thresholds and runbook sections.
 *
 * Every alarm treats missing data as not breaching, deliberately: Cognito, Lambda and the lockout
 * triggers publish these metrics only when requests or events happen, so "no data" means "no
 * traffic" and never "failing".
 */
import { Duration, aws_cloudwatch as cloudwatch, aws_cognito as cognito, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlarmThresholds } from './alarm-thresholds';
import { FIVE_MINUTES, PoolMetrics, functionErrors, functionLabel, quotaCallCount } from './pool-metrics';
import { PropValidator } from '../../internal/prop-validation';
import { QuotaCategory } from '../quota-category';
import { RunbookAnchor, alarmDescription } from '../runbook';

/** Every threshold with its default applied. */
export type ResolvedThresholds = Required<AlarmThresholds>;

/** Applies the documented defaults and checks each threshold's range. */
export function resolveThresholds(input: AlarmThresholds, validator: PropValidator): ResolvedThresholds {
  const t: ResolvedThresholds = {
    throttledRequests: input.throttledRequests ?? 1,
    signInSuccessRatePercent: input.signInSuccessRatePercent ?? 50,
    signInMinimumRequests: input.signInMinimumRequests ?? 20,
    triggerErrors: input.triggerErrors ?? 1,
    lockouts: input.lockouts ?? 10,
    highRiskTakeovers: input.highRiskTakeovers ?? 1,
    rotationFailures: input.rotationFailures ?? 1,
    quotaUtilizationPercent: input.quotaUtilizationPercent ?? 80,
    emailBounceRatePercent: input.emailBounceRatePercent ?? 5,
    emailComplaintRatePercent: input.emailComplaintRatePercent ?? 0.1,
  };
  const counts: (keyof AlarmThresholds)[] = ['throttledRequests', 'signInMinimumRequests', 'triggerErrors', 'lockouts', 'highRiskTakeovers', 'rotationFailures'];
  for (const key of counts) validator.integerInRange(`thresholds.${key}`, t[key], 1, 1_000_000);
  validator.integerInRange('thresholds.signInSuccessRatePercent', t.signInSuccessRatePercent, 1, 99);
  validator.integerInRange('thresholds.quotaUtilizationPercent', t.quotaUtilizationPercent, 1, 100);
  for (const key of ['emailBounceRatePercent', 'emailComplaintRatePercent'] as const) {
    if (!(t[key] > 0 && t[key] <= 100)) validator.fail(`thresholds.${key}`, String(t[key]), 'a percentage above 0 and at most 100');
  }
  return t;
}

/** What the alarms watch. */
export interface AlarmsOptions {
  readonly metrics: PoolMetrics;
  readonly thresholds: ResolvedThresholds;
  readonly clients: cognito.IUserPoolClient[];
  readonly triggerFunctions: lambda.IFunction[];
  readonly rotationFunctions: lambda.IFunction[];
  readonly quotaCategories: QuotaCategory[];
  readonly threatProtection: boolean;
  readonly runbookUrl: string;
  /** Prefix of alarm names; without it CloudFormation generates them. */
  readonly alarmNamePrefix?: string;
}

/** The alarms created, by kind, and all of them in the order they were created. */
export interface MonitoringAlarms {
  readonly all: cloudwatch.Alarm[];
  readonly throttleAlarms: cloudwatch.Alarm[];
  readonly signInSuccessRateAlarms: cloudwatch.Alarm[];
  readonly triggerErrorAlarms: cloudwatch.Alarm[];
  readonly lockoutSpikeAlarm: cloudwatch.Alarm;
  readonly accountTakeoverAlarm?: cloudwatch.Alarm;
  readonly rotationFailureAlarm?: cloudwatch.Alarm;
  readonly quotaAlarms: cloudwatch.Alarm[];
}

interface AlarmDefinition {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly description: string;
}

const AT_LEAST = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

/**
 * Creates every alarm in `scope`, in a fixed order (their construct IDs and the dashboard's alarm
 * list follow it): per client its throttle and sign-in success-rate alarms, then trigger errors,
 * the lockout spike, account takeover, rotation failures and the quota categories.
 */
export function createAlarms(scope: Construct, options: AlarmsOptions): MonitoringAlarms {
  const all: cloudwatch.Alarm[] = [];
  const alarm = (id: string, name: string, definition: AlarmDefinition): cloudwatch.Alarm => {
    const created = new cloudwatch.Alarm(scope, id, {
      alarmName: options.alarmNamePrefix ? `${options.alarmNamePrefix}-${name}` : undefined,
      alarmDescription: definition.description,
      metric: definition.metric,
      threshold: definition.threshold,
      comparisonOperator: definition.comparisonOperator,
      evaluationPeriods: definition.evaluationPeriods,
      datapointsToAlarm: definition.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    all.push(created);
    return created;
  };

  const throttleAlarms: cloudwatch.Alarm[] = [];
  const signInSuccessRateAlarms: cloudwatch.Alarm[] = [];
  options.clients.forEach((client, i) => {
    const suffix = options.clients.length > 1 ? `-client${i + 1}` : '';
    throttleAlarms.push(alarm(`Throttles${i + 1}`, `throttles${suffix}`, throttles(options, client, i === 0)));
    signInSuccessRateAlarms.push(alarm(`SignInSuccessRate${i + 1}`, `sign-in-success-rate${suffix}`, signInSuccessRate(options, client)));
  });
  const triggerErrorAlarms = options.triggerFunctions.map((fn, i) =>
    alarm(`TriggerErrors${i + 1}`, `trigger-errors-${slug(functionLabel(fn))}`, triggerErrors(options, fn)));
  const lockoutSpikeAlarm = alarm('LockoutSpike', 'lockout-spike', lockoutSpike(options));
  const accountTakeoverAlarm = options.threatProtection
    ? alarm('AccountTakeover', 'account-takeover-high-risk', accountTakeover(options))
    : undefined;
  const rotationFailureAlarm = options.rotationFunctions.length > 0
    ? alarm('RotationFailures', 'secret-rotation-failures', rotationFailures(options))
    : undefined;
  const quotaAlarms = options.quotaCategories.map((category) =>
    alarm(`Quota${category.name}`, `quota-${slug(category.name)}`, quotaUtilization(options, category)));

  return {
    all, throttleAlarms, signInSuccessRateAlarms, triggerErrorAlarms, lockoutSpikeAlarm, accountTakeoverAlarm, rotationFailureAlarm, quotaAlarms,
  };
}

/** Throttled requests of one client; the first client's alarm also counts admin-API sign-ups. */
function throttles({ metrics, thresholds, runbookUrl }: AlarmsOptions, client: cognito.IUserPoolClient, withAdmin: boolean): AlarmDefinition {
  const t = metrics.throttles(client);
  const inputs: Record<string, cloudwatch.IMetric> = { signIn: t.signIn, signUp: t.signUp, refresh: t.refresh };
  if (withAdmin) inputs.adminSignUp = metrics.adminSignUpThrottles();
  return {
    metric: new cloudwatch.MathExpression({
      expression: `SUM([${Object.keys(inputs).join(', ')}])`,
      usingMetrics: inputs,
      label: 'throttled sign-in, sign-up and token-refresh requests',
      period: FIVE_MINUTES,
    }),
    threshold: thresholds.throttledRequests,
    comparisonOperator: AT_LEAST,
    evaluationPeriods: 1,
    description: alarmDescription(
      `Cognito throttled ${thresholds.throttledRequests} or more sign-in, sign-up or token-refresh requests in 5 minutes; users were turned away.`,
      'check the quota usage widgets for the category at its limit, look for a retry storm or abusive client, and request a quota increase if the traffic is legitimate.',
      runbookUrl, RunbookAnchor.THROTTLES),
  };
}

function signInSuccessRate({ metrics, thresholds, runbookUrl }: AlarmsOptions, client: cognito.IUserPoolClient): AlarmDefinition {
  return {
    metric: new cloudwatch.MathExpression({
      // Below the minimum request count the expression reports 100%, so it cannot breach.
      expression: `IF(attempts >= ${thresholds.signInMinimumRequests}, rate * 100, 100)`,
      usingMetrics: {
        rate: metrics.client('SignInSuccesses', client.userPoolClientId, cloudwatch.Stats.AVERAGE),
        attempts: metrics.client('SignInSuccesses', client.userPoolClientId, cloudwatch.Stats.SAMPLE_COUNT),
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
      runbookUrl, RunbookAnchor.SIGN_IN_SUCCESS_RATE),
  };
}

function triggerErrors({ thresholds, runbookUrl }: AlarmsOptions, fn: lambda.IFunction): AlarmDefinition {
  return {
    metric: functionErrors(fn),
    threshold: thresholds.triggerErrors,
    comparisonOperator: AT_LEAST,
    evaluationPeriods: 1,
    description: alarmDescription(
      `The Cognito trigger ${functionLabel(fn)} failed ${thresholds.triggerErrors} or more times in 5 minutes; each failure fails a user's sign-in or token request.`,
      'read the function\'s log group for the error, compare its p99 duration with the 5-second budget, and roll back the last change to the trigger if it started the errors.',
      runbookUrl, RunbookAnchor.TRIGGER_ERRORS),
  };
}

function lockoutSpike({ metrics, thresholds, runbookUrl }: AlarmsOptions): AlarmDefinition {
  return {
    metric: metrics.accountLocked(),
    threshold: thresholds.lockouts,
    comparisonOperator: AT_LEAST,
    evaluationPeriods: 1,
    description: alarmDescription(
      `${thresholds.lockouts} or more accounts were locked in 5 minutes, which points to credential stuffing or a broken client.`,
      'check the threat protection widgets and the auth events log for the source addresses, block them at the edge if it is an attack, and tell the clinics affected.',
      runbookUrl, RunbookAnchor.LOCKOUT_SPIKE),
  };
}

function accountTakeover({ metrics, thresholds, runbookUrl }: AlarmsOptions): AlarmDefinition {
  const usingMetrics = metrics.highRiskAccountTakeovers();
  return {
    metric: new cloudwatch.MathExpression({
      expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      label: 'high-risk account takeover sign-ins',
      period: FIVE_MINUTES,
    }),
    threshold: thresholds.highRiskTakeovers,
    comparisonOperator: AT_LEAST,
    evaluationPeriods: 1,
    description: alarmDescription(
      `Threat protection rated ${thresholds.highRiskTakeovers} or more sign-ins as high account-takeover risk in 5 minutes.`,
      'follow the security incident procedure: identify the users in the auth events log, sign them out globally, force a password reset, and review what they accessed.',
      runbookUrl, RunbookAnchor.ACCOUNT_TAKEOVER),
  };
}

/** One alarm over every rotation function: the runbook step is the same for each secret. */
function rotationFailures({ rotationFunctions, thresholds, runbookUrl }: AlarmsOptions): AlarmDefinition {
  const errors = rotationFunctions.map((fn) => functionErrors(fn, { period: Duration.hours(1) }));
  return {
    metric: errors.length === 1 ? errors[0] : new cloudwatch.MathExpression({
      expression: errors.map((_, i) => `rotation${i}`).join(' + '),
      usingMetrics: Object.fromEntries(errors.map((metric, i) => [`rotation${i}`, metric])),
      period: Duration.hours(1),
      label: 'rotation errors',
    }),
    threshold: thresholds.rotationFailures,
    comparisonOperator: AT_LEAST,
    evaluationPeriods: 1,
    description: alarmDescription(
      `The secret rotation function failed ${thresholds.rotationFailures} or more times in an hour; the app client secret may be half-rotated.`,
      'read the rotation function\'s log, check which secret version holds AWSCURRENT and AWSPENDING, and finish or cancel the rotation before the backend restarts.',
      runbookUrl, RunbookAnchor.ROTATION_FAILURES),
  };
}

/** CallCount summed over five minutes against the category's quota times 300 seconds. */
function quotaUtilization({ thresholds, runbookUrl }: AlarmsOptions, category: QuotaCategory): AlarmDefinition {
  const limit = Math.round(category.requestsPerSecond * 300 * thresholds.quotaUtilizationPercent / 100);
  return {
    metric: quotaCallCount(category.name),
    threshold: limit,
    comparisonOperator: AT_LEAST,
    evaluationPeriods: 1,
    description: alarmDescription(
      `The ${category.name} category averaged ${thresholds.quotaUtilizationPercent}% or more of its ${category.requestsPerSecond} requests-per-second quota over 5 minutes (${limit} calls), across the whole account and region.`,
      'find the caller in CloudTrail, spread batch jobs out (the user export paces itself at 5 requests per second), and request a quota increase if the category is adjustable.',
      runbookUrl, RunbookAnchor.QUOTA_UTILIZATION),
  };
}

function slug(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}
