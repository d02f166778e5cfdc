/*
 * The names of MedFlow's own CloudWatch metrics, in one place, with no dependency on aws-cdk-lib
 * so that Lambda handlers can import them. Handlers publish them with the Embedded Metric Format
 * (EMF): a JSON log line that CloudWatch Logs turns into a metric, with no PutMetricData call.
 * `MedflowMetrics` (metrics.ts) exposes the same names to CDK code and consumers.
 */

/** Namespace of every MedFlow metric. */
export const MEDFLOW_METRICS_NAMESPACE = 'MedFlow/Cognito';
/** The one dimension MedFlow metrics carry: the user pool they describe. */
export const USER_POOL_ID_DIMENSION = 'UserPoolId';
/** Count of accounts locked by the lockout triggers (PreAuthentication/PostAuthentication); 1 per lockout. */
export const ACCOUNT_LOCKED_METRIC = 'AccountLocked';
/** Users written by a completed user export; published once per run. */
export const USERS_EXPORTED_METRIC = 'UsersExported';
/** Wall time of a completed user export across all its invocations, in seconds. */
export const EXPORT_DURATION_METRIC = 'UserExportDurationSeconds';
/** Throttled Cognito calls the exporter retried during one run. */
export const EXPORT_THROTTLE_RETRIES_METRIC = 'UserExportThrottleRetries';

/** 1 when the pool's replica in a Region is ACTIVE or INACTIVE, 0 when it is CREATING, DELETING, unknown or missing; every five minutes. */
export const REPLICA_HEALTHY_METRIC = 'ReplicaHealthy';
/** The second dimension of `ReplicaHealthy`: the replica's Region. */
export const REPLICA_REGION_DIMENSION = 'ReplicaRegion';

/** Units EMF accepts for MedFlow metrics. */
export type EmfUnit = 'Count' | 'Seconds';

/**
 * One EMF log record for `metrics` of one user pool. Print it with `console.log(JSON.stringify(record))`.
 * Only the metric values and the pool ID are in the record: never user attributes or usernames.
 */
export function emfRecord(
  userPoolId: string, metrics: { name: string; value: number; unit: EmfUnit }[], timestamp = Date.now(),
  extraDimensions: Record<string, string> = {},
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: MEDFLOW_METRICS_NAMESPACE,
        Dimensions: [[USER_POOL_ID_DIMENSION, ...Object.keys(extraDimensions)]],
        Metrics: metrics.map(({ name, unit }) => ({ Name: name, Unit: unit })),
      }],
    },
    ...extraDimensions,
    [USER_POOL_ID_DIMENSION]: userPoolId,
  };
  for (const { name, value } of metrics) record[name] = value;
  return record;
}

/**
 * The CloudWatch dimension of the SES send events (`AWS/SES` Send, Delivery, Bounce, Complaint,
 * Reject) of the configuration set MedflowCognito creates; its value is the set's name.
 */
export const SES_CONFIGURATION_SET_DIMENSION = 'medflow-configuration-set';
