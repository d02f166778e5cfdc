/*
 * The replica status check: a function in the primary's stack that lists the pool's replicas every
 * five minutes and publishes ReplicaHealthy, and the alarm on it. CloudWatch has no metric of its own
 * for a replica's status.
 */
import { Duration, Stack, aws_cloudwatch as cloudwatch, aws_events as events, aws_events_targets as targets, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ReplicaStatusFunction } from './replica-status-function';
import { FunctionLogSettings, createLibraryFunction } from '../internal/library-function';
import { MedflowMetrics } from '../operations/metrics';
import { DISASTER_RECOVERY_URL, REPLICA_STATUS_ANCHOR, alarmDescription } from '../operations/runbook';

/** Consecutive five-minute checks that must be unhealthy (or missing) before the alarm fires. */
const EVALUATION_PERIODS = 3;

export interface ReplicaStatusCheckProps {
  readonly userPoolId: string;
  readonly userPoolArn: string;
  readonly replicaRegion: string;
  readonly logs: FunctionLogSettings;
  /** Creates the alarm; without it only the metric is published. */
  readonly alarmNamePrefix?: string;
}

export class ReplicaStatusCheck extends Construct {
  public readonly fn: lambda.IFunction;
  public readonly rule: events.Rule;
  public readonly alarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReplicaStatusCheckProps) {
    super(scope, id);
    const { fn } = createLibraryFunction(this, {
      create: (parent, functionId, options) => new ReplicaStatusFunction(parent, functionId, options),
      options: {
        description: `Publishes MedFlow/Cognito ReplicaHealthy for the user pool replica in ${props.replicaRegion}.`,
        timeout: Duration.seconds(30),
        memorySize: 256,
        environment: { USER_POOL_ID: props.userPoolId, REPLICA_REGION: props.replicaRegion },
      },
      roleDescription: 'Runs the replica status check: lists the replicas of one user pool.',
      policyDescription: 'Least privilege for the replica status check: ListUserPoolReplicas on one user pool; the metric goes out as a log line (EMF).',
      // No cloudwatch:PutMetricData: the metric is an Embedded Metric Format line in the function's own log group.
      statements: [new iam.PolicyStatement({ actions: ['cognito-idp:ListUserPoolReplicas'], resources: [props.userPoolArn] })],
      logs: props.logs,
      ruleReasons: {
        deadLetterQueue: 'EventBridge invokes the function asynchronously every five minutes with an event that carries nothing to replay; '
          + 'a failed check publishes no ReplicaHealthy datapoint, which the ReplicaStatus alarm treats as breaching, so the alarm, '
          + 'not a queue, reports the failure.',
        reservedConcurrency: 'One invocation every five minutes that finishes in seconds; reserving concurrency would take capacity '
          + 'from the account\'s unreserved pool all the time.',
        outsideVpc: 'The function calls only the Cognito API over TLS with IAM authentication and reaches no resource inside a VPC.',
      },
    });
    this.fn = fn;
    this.rule = new events.Rule(this, 'Schedule', {
      description: `Runs the status check of the user pool replica in ${props.replicaRegion} every five minutes.`,
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 0 })],
    });

    if (props.alarmNamePrefix !== undefined) {
      this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
        alarmName: `${props.alarmNamePrefix}-replica-status-${props.replicaRegion}`.slice(0, 255),
        alarmDescription: alarmDescription(
          `The user pool replica in ${props.replicaRegion} has not been ACTIVE or INACTIVE for ${EVALUATION_PERIODS * 5} minutes, `
          + 'or its status check stopped reporting: the secondary may not be able to take a failover.',
          `run aws cognito-idp list-user-pool-replicas --user-pool-id ${props.userPoolId} --region ${Stack.of(this).region}; `
          + 'CREATING is expected right after the replica is added, DELETING or no entry means the replica is gone (redeploy the primary stack); '
          + 'with no datapoints, read the check function\'s log for its error.',
          DISASTER_RECOVERY_URL, REPLICA_STATUS_ANCHOR),
        metric: MedflowMetrics.replicaHealthy(props.userPoolId, props.replicaRegion),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: EVALUATION_PERIODS,
        // Silence means the check stopped (a function error, an API error, a malformed response): that is a failure too.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
  }
}
