/*
 * The backup's two alarms: a failed run, and a missing one.
 */
import { Duration, aws_cloudwatch as cloudwatch, aws_cognito as cognito, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MedflowMetrics } from '../metrics';
import { RunbookAnchor, alarmDescription } from '../runbook';

export interface BackupAlarmsOptions {
  readonly userPool: cognito.IUserPool;
  readonly deadLetterQueue: sqs.IQueue;
  /** Prefix of the alarm names. */
  readonly namePrefix: string;
  readonly runbookUrl: string;
}

export interface BackupAlarms {
  readonly failureAlarm: cloudwatch.Alarm;
  readonly staleAlarm: cloudwatch.Alarm;
}

/** Creates `FailureAlarm` and `StaleAlarm` in `scope`, without actions. */
export function createBackupAlarms(scope: Construct, options: BackupAlarmsOptions): BackupAlarms {
  const failureAlarm = new cloudwatch.Alarm(scope, 'FailureAlarm', {
    alarmName: `${options.namePrefix}-user-export-failed`,
    alarmDescription: alarmDescription(
      'A user export failed after its retries, or its scheduled invocation could not be delivered; the message is in the export dead-letter queue.',
      'read the message and the export function\'s log, fix the cause, then run the export by hand (see the runbook) so that the recovery point stays within 24 hours.',
      options.runbookUrl, RunbookAnchor.BACKUP_FAILURES),
    metric: options.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // SQS stops publishing metrics for a queue that stays empty; an empty queue is healthy.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const staleAlarm = new cloudwatch.Alarm(scope, 'StaleAlarm', {
    alarmName: `${options.namePrefix}-user-export-stale`,
    alarmDescription: alarmDescription(
      'No user export completed in two consecutive days, so the recovery point is older than the 24-hour objective.',
      'check that the schedule is enabled, read the export function\'s log for timeouts or throttling, and run the export by hand.',
      options.runbookUrl, RunbookAnchor.BACKUP_FAILURES),
    metric: MedflowMetrics.usersExported(options.userPool.userPoolId, { statistic: cloudwatch.Stats.SAMPLE_COUNT }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    // Deliberately breaching: every completed run publishes UsersExported (0 for an empty pool),
    // so a day without a data point is a day without a backup.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  return { failureAlarm, staleAlarm };
}
