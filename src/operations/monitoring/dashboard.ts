/*
 * The widgets of the user pool dashboard, row by row, in the order they appear.
 */
import { Duration, aws_cloudwatch as cloudwatch, aws_cognito as cognito, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  FIVE_MINUTES,
  PoolMetrics,
  SuccessMetricName,
  functionErrors,
  functionLabel,
  functionP99Duration,
  functionThrottles,
  usageSearch,
} from './pool-metrics';

/** Cognito waits at most five seconds for a trigger before failing the request. */
const TRIGGER_BUDGET_MS = 5_000;

/** What the dashboard charts. */
export interface DashboardOptions {
  readonly dashboardName?: string;
  readonly metrics: PoolMetrics;
  readonly clients: cognito.IUserPoolClient[];
  /** Drawn on the lockout chart as the lockout-spike alarm's threshold. */
  readonly lockoutThreshold: number;
  readonly threatProtection: boolean;
  readonly triggerFunctions: lambda.IFunction[];
  readonly runbookUrl: string;
}

/** Creates the dashboard, as `Dashboard` in `scope`, with every row but the alarm status. */
export function createDashboard(scope: Construct, options: DashboardOptions): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: options.dashboardName,
    defaultInterval: Duration.hours(12),
  });
  dashboard.addWidgets(headerWidget(options.runbookUrl));
  dashboard.addWidgets(
    activityWidget(options, 'Sign-ins', 'SignInSuccesses'),
    activityWidget(options, 'Sign-ups', 'SignUpSuccesses'),
    activityWidget(options, 'Token refreshes', 'TokenRefreshSuccesses'),
  );
  dashboard.addWidgets(throttlesWidget(options), lockoutsWidget(options), quotaUsageWidget());
  if (options.threatProtection) dashboard.addWidgets(...threatProtectionWidgets(options.metrics));
  for (const fn of options.triggerFunctions) dashboard.addWidgets(...triggerWidgets(fn));
  return dashboard;
}

/** Adds the last row: the state of every alarm in `alarms`. */
export function addAlarmStatusWidget(dashboard: cloudwatch.Dashboard, alarms: cloudwatch.IAlarm[]): void {
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms }));
}

function headerWidget(runbookUrl: string): cloudwatch.TextWidget {
  return new cloudwatch.TextWidget({
    markdown: [
      '# Cognito user pool health',
      `Alarms and what to do: [operations runbook](${runbookUrl}). Success metrics: Average = success rate, SampleCount = requests, Sum = successes.`,
    ].join('\n\n'),
    width: 24,
    height: 2,
  });
}

/** Requests and successes of each client on the left, its success rate in percent on the right. */
function activityWidget(options: DashboardOptions, title: string, successMetric: SuccessMetricName): cloudwatch.GraphWidget {
  const { clients, metrics } = options;
  return new cloudwatch.GraphWidget({
    title,
    width: 8,
    left: clients.flatMap((client, i) => [
      metrics.client(successMetric, client.userPoolClientId, cloudwatch.Stats.SAMPLE_COUNT).with({ label: `requests (client ${i + 1})` }),
      metrics.client(successMetric, client.userPoolClientId, cloudwatch.Stats.SUM).with({ label: `successes (client ${i + 1})` }),
    ]),
    right: clients.map((client, i) => new cloudwatch.MathExpression({
      // Metric IDs must be unique within one graph, so each client's expression has its own.
      expression: `rate${i + 1} * 100`,
      usingMetrics: { [`rate${i + 1}`]: metrics.client(successMetric, client.userPoolClientId, cloudwatch.Stats.AVERAGE) },
      label: `success rate % (client ${i + 1})`,
      period: FIVE_MINUTES,
    })),
    rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
  });
}

function throttlesWidget(options: DashboardOptions): cloudwatch.GraphWidget {
  const { clients, metrics } = options;
  return new cloudwatch.GraphWidget({
    title: 'Throttled requests',
    width: 8,
    left: [
      ...clients.flatMap((client, i) => Object.entries(metrics.throttles(client)).map(([kind, metric]) => metric.with({ label: `${kind} (client ${i + 1})` }))),
      metrics.adminSignUpThrottles().with({ label: 'sign-up (admin APIs)' }),
    ],
  });
}

function lockoutsWidget(options: DashboardOptions): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title: 'Accounts locked',
    width: 8,
    left: [options.metrics.accountLocked().with({ label: 'lockouts' })],
    leftAnnotations: [{ value: options.lockoutThreshold, label: 'lockout spike alarm' }],
  });
}

function quotaUsageWidget(): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title: 'Quota usage: calls per category (account-wide)',
    width: 8,
    left: [usageSearch('CallCount')],
    right: [usageSearch('ThrottleCount')],
  });
}

function threatProtectionWidgets(metrics: PoolMetrics): cloudwatch.GraphWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Threat protection: risk detections by operation and level',
      width: 12,
      left: [metrics.riskDetections()],
    }),
    new cloudwatch.GraphWidget({
      title: 'Threat protection: risky and risk-free requests',
      width: 12,
      left: [metrics.riskyAndRiskFreeRequests()],
    }),
  ];
}

/** Errors and throttles, and p99 duration against Cognito's 5-second trigger budget. */
function triggerWidgets(fn: lambda.IFunction): cloudwatch.GraphWidget[] {
  const name = functionLabel(fn);
  return [
    new cloudwatch.GraphWidget({
      title: `Trigger ${name}: errors and throttles`,
      width: 12,
      left: [functionErrors(fn, { label: 'errors' }), functionThrottles(fn, 'throttles')],
    }),
    new cloudwatch.GraphWidget({
      title: `Trigger ${name}: p99 duration`,
      width: 12,
      left: [functionP99Duration(fn, 'p99 duration (ms)')],
      leftYAxis: { min: 0, max: TRIGGER_BUDGET_MS * 1.2, label: 'ms', showUnits: false },
      leftAnnotations: [{ value: TRIGGER_BUDGET_MS, label: 'Cognito 5 s trigger budget', color: cloudwatch.Color.RED }],
    }),
  ];
}
