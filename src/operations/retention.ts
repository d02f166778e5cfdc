import { aws_logs as logs } from 'aws-cdk-lib';

/** Days in a log retention setting; undefined for "never expire". */
export function retentionDays(retention: logs.RetentionDays): number | undefined {
  return retention === logs.RetentionDays.INFINITE ? undefined : Number(retention);
}

/** Objects smaller than this stay in S3 Standard: Glacier charges 90 days minimum per object. */
export const GLACIER_MINIMUM_DAYS = 90;
