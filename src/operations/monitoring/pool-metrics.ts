/*
 * The metrics the dashboard and the alarms read, built in one place: Cognito's per-client request
 * metrics, its threat-protection risk metrics, the account-wide AWS/Usage quota metrics, MedFlow's
 * own lockout metric, and the Lambda metrics of the trigger and rotation functions.
 */
import { Duration, aws_cloudwatch as cloudwatch, aws_cognito as cognito, aws_lambda as lambda } from 'aws-cdk-lib';
import { MedflowMetrics } from '../metrics';

/** The period of every Cognito, trigger and quota metric. */
export const FIVE_MINUTES = Duration.minutes(5);

/**
 * CloudWatch metric names are case-sensitive and AWS's own pages spell the account-takeover
 * metric both ways: `AccountTakeoverRisk` (current threat-protection metrics page) and
 * `AccountTakeOverRisk` (earlier editions of the same page). Risk levels are written `High` in the
 * API and `high` in that table. The alarm sums every spelling so it fires whichever is published.
 */
const ACCOUNT_TAKEOVER_METRIC_NAMES = ['AccountTakeoverRisk', 'AccountTakeOverRisk'];
const HIGH_RISK_LEVELS = ['High', 'high'];

/** Cognito's throttle metrics of one app client, summed over five minutes. */
export interface ClientThrottleMetrics {
  readonly signIn: cloudwatch.Metric;
  readonly signUp: cloudwatch.Metric;
  readonly refresh: cloudwatch.Metric;
}

/** Cognito's per-client success metrics: Average is the success rate, SampleCount the requests, Sum the successes. */
export type SuccessMetricName = 'SignInSuccesses' | 'SignUpSuccesses' | 'TokenRefreshSuccesses';

/** The metrics of one user pool. */
export class PoolMetrics {
  constructor(private readonly userPoolId: string) {}

  /** A Cognito metric of one app client (or `Admin` for admin APIs) over five minutes. */
  public client(metricName: string, clientId: string, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Cognito',
      metricName,
      dimensionsMap: { UserPool: this.userPoolId, UserPoolClient: clientId },
      statistic,
      period: FIVE_MINUTES,
    });
  }

  /** Throttled sign-in, sign-up and token-refresh requests of `client`. */
  public throttles(client: cognito.IUserPoolClient): ClientThrottleMetrics {
    return {
      signIn: this.client('SignInThrottles', client.userPoolClientId, cloudwatch.Stats.SUM),
      signUp: this.client('SignUpThrottles', client.userPoolClientId, cloudwatch.Stats.SUM),
      refresh: this.client('TokenRefreshThrottles', client.userPoolClientId, cloudwatch.Stats.SUM),
    };
  }

  /** Throttled sign-ups made with admin APIs (AdminCreateUser), which Cognito publishes with the client "Admin". */
  public adminSignUpThrottles(): cloudwatch.Metric {
    return this.client('SignUpThrottles', 'Admin', cloudwatch.Stats.SUM);
  }

  /** Accounts locked by the lockout triggers (MedFlow's EMF metric), summed over five minutes. */
  public accountLocked(): cloudwatch.Metric {
    return MedflowMetrics.accountLocked(this.userPoolId);
  }

  /** High-risk account-takeover sign-ins under every documented spelling, keyed `ato{name}{level}` for one math expression. */
  public highRiskAccountTakeovers(): Record<string, cloudwatch.IMetric> {
    const metrics: Record<string, cloudwatch.IMetric> = {};
    ACCOUNT_TAKEOVER_METRIC_NAMES.forEach((metricName, n) => HIGH_RISK_LEVELS.forEach((riskLevel, r) => {
      metrics[`ato${n}${r}`] = new cloudwatch.Metric({
        namespace: 'AWS/Cognito',
        metricName,
        dimensionsMap: { UserPoolId: this.userPoolId, Operation: 'SignIn', RiskLevel: riskLevel },
        statistic: cloudwatch.Stats.SUM,
        period: FIVE_MINUTES,
      });
    }));
    return metrics;
  }

  /** Threat-protection risk detections of the pool by operation and risk level. */
  public riskDetections(): cloudwatch.SearchExpression {
    return new cloudwatch.SearchExpression({
      // Partial-match tokens are case-insensitive, so this finds every spelling of
      // CompromisedCredential(s)Risk, AccountTakeover/TakeOverRisk and OverrideBlock.
      expression: `SEARCH('{AWS/Cognito,Operation,RiskLevel,UserPoolId} UserPoolId="${this.userPoolId}" (Account OR Compromised OR Override)', 'Sum', 300)`,
      label: '',
    });
  }

  /** Risky and risk-free requests of the pool, by operation. */
  public riskyAndRiskFreeRequests(): cloudwatch.SearchExpression {
    return new cloudwatch.SearchExpression({
      expression: `SEARCH('{AWS/Cognito,Operation,UserPoolId} UserPoolId="${this.userPoolId}" (MetricName="Risk" OR MetricName="NoRisk")', 'Sum', 300)`,
      label: '',
    });
  }
}

/** Account-wide usage of Cognito user pool categories; matches either documented Service value. */
export function usageSearch(metricName: 'CallCount' | 'ThrottleCount'): cloudwatch.SearchExpression {
  return new cloudwatch.SearchExpression({
    expression: `SEARCH('Namespace="AWS/Usage" MetricName="${metricName}" Type="API" cognito user', 'Sum', 300)`,
    label: metricName === 'CallCount' ? '' : 'throttled ',
  });
}

/**
 * CallCount of one quota category summed over five minutes. The query keys on Type and Resource
 * only: AWS documents the Service value both as "Cognito user pool" and "Cognito user pools", and
 * the category names are unique to Cognito user pools. Without a SCHEMA() the query matches the
 * metric with or without a Class dimension.
 */
export function quotaCallCount(categoryName: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SELECT SUM(CallCount) FROM "AWS/Usage" WHERE Type = 'API' AND Resource = '${categoryName}'`,
    usingMetrics: {},
    label: `${categoryName} calls per 5 minutes`,
    period: FIVE_MINUTES,
  });
}

/** Errors of a function summed over `period` (five minutes unless given). */
export function functionErrors(fn: lambda.IFunction, options: { period?: Duration; label?: string } = {}): cloudwatch.Metric {
  return fn.metricErrors({ period: options.period ?? FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label: options.label });
}

/** Throttles of a function summed over five minutes. */
export function functionThrottles(fn: lambda.IFunction, label: string): cloudwatch.Metric {
  return fn.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label });
}

/** p99 duration of a function over five minutes. */
export function functionP99Duration(fn: lambda.IFunction, label: string): cloudwatch.Metric {
  return fn.metricDuration({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99), label });
}

/** A readable name for a function in titles: its construct's parent and own IDs. */
export function functionLabel(fn: lambda.IFunction): string {
  const parent = fn.node.scope?.node.id;
  return parent && parent !== '' ? `${parent}/${fn.node.id}` : fn.node.id;
}
