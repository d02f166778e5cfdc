/*
 * The daily schedule that starts the export, with the role EventBridge Scheduler assumes.
 */
import { Stack, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_scheduler as scheduler, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface ExportScheduleOptions {
  /** The schedule's name. */
  readonly name: string;
  /** An EventBridge Scheduler cron(...) or rate(...) expression, in UTC. */
  readonly scheduleExpression: string;
  readonly exportFunction: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  /** The key encrypting the dead-letter queue. */
  readonly key: kms.IKey;
}

/** Creates `ScheduleRole`, `SchedulePolicy` and `Schedule` in `scope`. */
export function createExportSchedule(scope: Construct, options: ExportScheduleOptions): scheduler.CfnSchedule {
  const stack = Stack.of(scope);
  const { exportFunction: fn, deadLetterQueue: queue } = options;
  const scheduleRole = new iam.Role(scope, 'ScheduleRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: 'Lets EventBridge Scheduler start the user export and dead-letter undeliverable invocations.',
  });
  const schedulePolicy = new iam.ManagedPolicy(scope, 'SchedulePolicy', {
    roles: [scheduleRole],
    description: 'Invoke the user export function; send undeliverable invocations to its dead-letter queue.',
    statements: [
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [options.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` } },
      }),
    ],
  });

  const schedule = new scheduler.CfnSchedule(scope, 'Schedule', {
    name: options.name,
    description: 'Daily export of the Cognito user pool to the backup bucket.',
    scheduleExpression: options.scheduleExpression,
    scheduleExpressionTimezone: 'UTC',
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: fn.functionArn,
      roleArn: scheduleRole.roleArn,
      // The execution ID is the same for every retry of one scheduled invocation, so retries
      // write the same run instead of starting new ones.
      input: JSON.stringify({ source: 'schedule', executionId: '<aws.scheduler.execution-id>' }),
      deadLetterConfig: { arn: queue.queueArn },
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
    },
  });
  schedule.node.addDependency(schedulePolicy);
  return schedule;
}
