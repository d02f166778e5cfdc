import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import {
  ACCOUNT_LOCKED_METRIC,
  EXPORT_DURATION_METRIC,
  EXPORT_THROTTLE_RETRIES_METRIC,
  MEDFLOW_METRICS_NAMESPACE,
  REPLICA_HEALTHY_METRIC,
  REPLICA_REGION_DIMENSION,
  SES_CONFIGURATION_SET_DIMENSION,
  USERS_EXPORTED_METRIC,
  USER_POOL_ID_DIMENSION,
} from './metric-names';

/**
 * MedFlow's own CloudWatch metrics: their namespace, names and dimension, defined once.
 *
 * Lambda functions publish them with the Embedded Metric Format; dashboards and alarms read them
 * through the methods below. Every metric carries the dimension `UserPoolId`; `ReplicaHealthy` also
 * carries `ReplicaRegion`.
 *
 * @example
 * const lockouts = MedflowMetrics.accountLocked(auth.userPoolId);
 */
export class MedflowMetrics {
  /** Namespace of every MedFlow metric: `MedFlow/Cognito`. */
  public static readonly NAMESPACE = MEDFLOW_METRICS_NAMESPACE;
  /** The dimension every MedFlow metric carries: `UserPoolId`. */
  public static readonly USER_POOL_ID_DIMENSION = USER_POOL_ID_DIMENSION;
  /** Accounts locked by the lockout triggers, published as 1 per lockout: `AccountLocked`. */
  public static readonly ACCOUNT_LOCKED = ACCOUNT_LOCKED_METRIC;
  /** Users written by a completed user export: `UsersExported`. */
  public static readonly USERS_EXPORTED = USERS_EXPORTED_METRIC;
  /** Duration of a completed user export in seconds: `UserExportDurationSeconds`. */
  public static readonly EXPORT_DURATION_SECONDS = EXPORT_DURATION_METRIC;
  /** Throttled Cognito calls retried by one export run: `UserExportThrottleRetries`. */
  public static readonly EXPORT_THROTTLE_RETRIES = EXPORT_THROTTLE_RETRIES_METRIC;
  /** 1 when the replica in a Region is ACTIVE or INACTIVE, else 0, published every five minutes: `ReplicaHealthy`. */
  public static readonly REPLICA_HEALTHY = REPLICA_HEALTHY_METRIC;
  /** The replica's Region, the second dimension of `ReplicaHealthy`: `ReplicaRegion`. */
  public static readonly REPLICA_REGION_DIMENSION = REPLICA_REGION_DIMENSION;
  /** The dimension of the `AWS/SES` send events of MedflowCognito's configuration set: `medflow-configuration-set`. */
  public static readonly SES_CONFIGURATION_SET_DIMENSION = SES_CONFIGURATION_SET_DIMENSION;

  /** Lockouts in `userPoolId`, summed over five minutes unless `options` say otherwise. */
  public static accountLocked(userPoolId: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return MedflowMetrics.of(MedflowMetrics.ACCOUNT_LOCKED, userPoolId, options);
  }

  /** Users exported by completed runs for `userPoolId`, summed per day unless `options` say otherwise. */
  public static usersExported(userPoolId: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return MedflowMetrics.of(MedflowMetrics.USERS_EXPORTED, userPoolId, { period: Duration.days(1), ...options });
  }

  /**
   * Whether the replica of `userPoolId` in `replicaRegion` is ACTIVE or INACTIVE, as the lowest value
   * over five minutes unless `options` say otherwise: one unhealthy check makes the period 0.
   */
  public static replicaHealthy(userPoolId: string, replicaRegion: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return MedflowMetrics.of(MedflowMetrics.REPLICA_HEALTHY, userPoolId, {
      statistic: cloudwatch.Stats.MINIMUM,
      ...options,
      dimensionsMap: { [MedflowMetrics.USER_POOL_ID_DIMENSION]: userPoolId, [MedflowMetrics.REPLICA_REGION_DIMENSION]: replicaRegion },
    });
  }

  /** Any MedFlow metric by name for `userPoolId`, with the Sum statistic over five minutes by default. */
  public static of(metricName: string, userPoolId: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: MedflowMetrics.NAMESPACE,
      metricName,
      dimensionsMap: { [MedflowMetrics.USER_POOL_ID_DIMENSION]: userPoolId },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...options,
    });
  }
}
