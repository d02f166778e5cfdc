import {
  Duration,
  RemovalPolicy,
  aws_cognito as cognito,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AuditLogDelivery, AuthEventsDestination } from './audit-log-delivery';
import { UserPoolBackup } from './backup/user-pool-backup';
import { CostGuardrail } from './cost-guardrail';
import { AlarmThresholds } from './monitoring/alarm-thresholds';
import { CognitoMonitoring } from './monitoring/cognito-monitoring';
import { SesEmailMonitoring } from './monitoring/ses-email-monitoring';
import { retentionDays } from './retention';
import { AccessLogsBucket } from './secure-bucket';

/** Props for `CognitoOperations`. */
export interface CognitoOperationsProps {
  /** The user pool. */
  readonly userPool: cognito.IUserPool;
  /** App clients to monitor. */
  readonly userPoolClients: cognito.IUserPoolClient[];
  /** Environment name, the value of the `Environment` tag the budget filters on, for example `prod`. */
  readonly environmentName: string;
  /** Whether the alarms and their SNS topic are created. Without them only the dashboard exists. */
  readonly enableAlarms: boolean;
  /** Whether the daily user export is created. */
  readonly enableBackup: boolean;
  /**
   * Whether the pool has threat protection (Plus plan), which publishes the risk metrics
   * charted and alarmed.
   */
  readonly threatProtection: boolean;
  /** Whether user auth events are delivered (Plus plan), to `authEventsDestination`. */
  readonly authEvents: boolean;
  /** Retention of every log group and of the exports and access logs. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the stateful resources: buckets, keys, queues and log groups. */
  readonly removalPolicy: RemovalPolicy;
  /** Project name, the value of the `Project` tag the budget filters on. */
  readonly projectName: string;
  /** Resource name prefix, `{environment}-{projectName}-cognito`. */
  readonly resourcePrefix: string;
  /** Key encrypting the log groups of the operations functions. */
  readonly logEncryptionKey: kms.IKey;
  /**
   * Email address subscribed to the alarm topic. Needs `enableAlarms`.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Monthly budget in US dollars for everything tagged with this project and environment; alerts
   * at 80% and 100% go to the alarm topic. Needs `enableAlarms`.
   * @default - no budget
   */
  readonly monthlyBudget?: number;
  /**
   * Alarm thresholds.
   * @default - the documented defaults
   */
  readonly alarmThresholds?: AlarmThresholds;
  /**
   * Cognito trigger functions to chart and alarm.
   * @default - none
   */
  readonly triggerFunctions?: lambda.IFunction[];
  /**
   * The secret rotation functions, whose errors together raise the rotation-failure alarm.
   * @default - no rotation-failure alarm
   */
  readonly rotationFunctions?: lambda.IFunction[];
  /**
   * Where user auth events go, with `authEvents`.
   * @default AuthEventsDestination.CLOUDWATCH_LOGS
   */
  readonly authEventsDestination?: AuthEventsDestination;
  /**
   * URL of the operations runbook linked from every alarm.
   * @default 'https://github.com/medflow/cognito-construct/blob/main/docs/operations-runbook.md'
   */
  readonly runbookUrl?: string;
  /**
   * The pool sends email through Amazon SES in this Region: its reputation is charted and alarmed.
   * @default - no email widgets or alarms
   */
  readonly sesEmail?: SesEmailMonitoring;
}

/**
 * Everything that keeps a MedFlow user pool observable and recoverable: the dashboard and alarms,
 * audit log delivery, the daily user export and the optional cost budget.
 */
export class CognitoOperations extends Construct {
  /** Dashboard and alarms. */
  public readonly monitoring: CognitoMonitoring;
  /** User pool log delivery. */
  public readonly auditLogs: AuditLogDelivery;
  /** The daily user export, with `enableBackup`. */
  public readonly backup?: UserPoolBackup;
  /** The monthly budget, when `monthlyBudget` is set. */
  public readonly costGuardrail?: CostGuardrail;
  /** Bucket of the server access logs of the library's buckets, when one exists. */
  public readonly accessLogsBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: CognitoOperationsProps) {
    super(scope, id);
    this.monitoring = new CognitoMonitoring(this, 'Monitoring', {
      userPool: props.userPool,
      userPoolClients: props.userPoolClients,
      dashboardName: props.resourcePrefix,
      alarmNamePrefix: props.resourcePrefix,
      enableAlarms: props.enableAlarms,
      threatProtection: props.threatProtection,
      alarmEmail: props.alarmEmail,
      thresholds: props.alarmThresholds,
      triggerFunctions: props.triggerFunctions,
      rotationFunctions: props.rotationFunctions,
      runbookUrl: props.runbookUrl,
      removalPolicy: props.removalPolicy,
      sesEmail: props.sesEmail,
    });

    const authEventsDestination = props.authEventsDestination ?? AuthEventsDestination.CLOUDWATCH_LOGS;
    const days = retentionDays(props.logRetention);
    const needsAccessLogs = props.enableBackup || (props.authEvents && authEventsDestination === AuthEventsDestination.S3);
    if (needsAccessLogs) {
      this.accessLogsBucket = new AccessLogsBucket(this, 'AccessLogs', {
        removalPolicy: props.removalPolicy,
        retention: Duration.days(days ?? 3653),
      }).bucket;
    }

    this.auditLogs = new AuditLogDelivery(this, 'AuditLogs', {
      userPool: props.userPool,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      logGroupPrefix: `/aws/vendedlogs/cognito/${props.resourcePrefix}`,
      authEvents: props.authEvents,
      authEventsDestination,
      accessLogsBucket: this.accessLogsBucket,
    });

    if (props.enableBackup) {
      this.backup = new UserPoolBackup(this, 'Backup', {
        userPool: props.userPool,
        namePrefix: props.resourcePrefix,
        retention: days === undefined ? undefined : Duration.days(days),
        accessLogsBucket: this.accessLogsBucket!,
        logEncryptionKey: props.logEncryptionKey,
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
        createAlarms: props.enableAlarms,
        runbookUrl: props.runbookUrl,
      });
      for (const alarm of [this.backup.failureAlarm, this.backup.staleAlarm]) {
        if (alarm) this.monitoring.addAlarm(alarm);
      }
    }

    if (props.monthlyBudget !== undefined) {
      this.costGuardrail = new CostGuardrail(this, 'Budget', {
        monthlyBudget: props.monthlyBudget,
        projectName: props.projectName,
        environmentName: props.environmentName,
        alertTopic: this.monitoring.alarmTopic!,
      });
    }
  }
}
