import {
  RemovalPolicy,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cwActions,
  aws_cognito as cognito,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlarmThresholds } from './alarm-thresholds';
import { createAlarmTopic } from './alarm-topic';
import { createAlarms, resolveThresholds } from './alarms';
import { addAlarmStatusWidget, createDashboard } from './dashboard';
import { createEmailAlarms, emailWidgets } from './email-alarms';
import { PoolMetrics } from './pool-metrics';
import { SesEmailMonitoring } from './ses-email-monitoring';
import { PropValidator } from '../../internal/prop-validation';
import { QuotaCategory } from '../quota-category';
import { DEFAULT_RUNBOOK_URL } from '../runbook';

/** Props for `CognitoMonitoring`. */
export interface CognitoMonitoringProps {
  /** The user pool to watch. */
  readonly userPool: cognito.IUserPool;
  /** App clients whose sign-in, sign-up and token-refresh metrics are charted and alarmed. At most 3. */
  readonly userPoolClients: cognito.IUserPoolClient[];
  /**
   * Dashboard name.
   * @default - CloudFormation generates one
   */
  readonly dashboardName?: string;
  /**
   * Prefix of alarm names, for example `prod-medflow-cognito`.
   * @default - CloudFormation generates alarm names
   */
  readonly alarmNamePrefix?: string;
  /**
   * Whether alarms and their SNS topic are created. Without alarms only the dashboard exists.
   * @default true
   */
  readonly enableAlarms?: boolean;
  /**
   * Whether the pool has threat protection (Plus plan, audit or enforced), which publishes the
   * risk metrics charted and alarmed here.
   * @default false
   */
  readonly threatProtection?: boolean;
  /**
   * Email address subscribed to the alarm topic. The recipient must confirm the subscription.
   * @default - no subscription; subscribe your pager to `alarmTopic`
   */
  readonly alarmEmail?: string;
  /**
   * Alarm thresholds.
   * @default - the documented default of each threshold
   */
  readonly thresholds?: AlarmThresholds;
  /**
   * Cognito trigger functions to chart and alarm: errors, throttles, and p99 duration against
   * Cognito's 5-second trigger budget.
   * @default - none
   */
  readonly triggerFunctions?: lambda.IFunction[];
  /**
   * The secret rotation functions, whose errors together raise the rotation-failure alarm.
   * @default - no rotation-failure alarm
   */
  readonly rotationFunctions?: lambda.IFunction[];
  /**
   * Request-rate quota categories alarmed at `quotaUtilizationPercent` of their quota.
   * @default QuotaCategory.defaults()
   */
  readonly quotaCategories?: QuotaCategory[];
  /**
   * URL of the operations runbook; each alarm description links to its section.
   * @default 'https://github.com/medflow/cognito-construct/blob/main/docs/operations-runbook.md'
   */
  readonly runbookUrl?: string;
  /**
   * Removal policy of the topic's key.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The pool sends email through Amazon SES in this stack's Region: its reputation is charted, and
   * alarmed at `emailBounceRatePercent` and `emailComplaintRatePercent` when alarms are on.
   * @default - no email widgets or alarms
   */
  readonly sesEmail?: SesEmailMonitoring;
}

const MAX_CLIENTS = 3;

/**
 * Dashboard and alarms for a MedFlow user pool.
 *
 * Every alarm treats missing data as not breaching, deliberately: Cognito, Lambda and the lockout
 * triggers publish these metrics only when requests or events happen, so "no data" means "no
 * traffic" and never "failing". Each alarm description says what to do and links the runbook.
 */
export class CognitoMonitoring extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The KMS-encrypted topic every alarm notifies, when alarms are enabled. */
  public readonly alarmTopic?: sns.ITopic;
  /** The customer-managed key encrypting the alarm topic, when alarms are enabled. */
  public readonly topicKey?: kms.IKey;
  /** Every alarm this construct created, plus those routed to its topic with `addAlarm`. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The sign-in success-rate alarms, one per app client. */
  public readonly signInSuccessRateAlarms: cloudwatch.Alarm[] = [];
  /** The throttle alarms, one per app client. */
  public readonly throttleAlarms: cloudwatch.Alarm[] = [];
  /** The trigger error alarms, one per trigger function. */
  public readonly triggerErrorAlarms: cloudwatch.Alarm[] = [];
  /** The quota utilisation alarms, one per category. */
  public readonly quotaAlarms: cloudwatch.Alarm[] = [];
  /** The lockout-spike alarm. */
  public readonly lockoutSpikeAlarm?: cloudwatch.Alarm;
  /** The high-risk account-takeover alarm, with threat protection. */
  public readonly accountTakeoverAlarm?: cloudwatch.Alarm;
  /** The rotation-failure alarm, with a rotation function. */
  public readonly rotationFailureAlarm?: cloudwatch.Alarm;
  /** The SES bounce-rate alarm, with `sesEmail`. */
  public readonly emailBounceRateAlarm?: cloudwatch.Alarm;
  /** The SES complaint-rate alarm, with `sesEmail`. */
  public readonly emailComplaintRateAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CognitoMonitoringProps) {
    super(scope, id);
    const validator = new PropValidator('CognitoMonitoring');
    const thresholds = resolveThresholds(props.thresholds ?? {}, validator);
    const clients = props.userPoolClients ?? [];
    if (clients.length === 0 || clients.length > MAX_CLIENTS) {
      validator.fail('userPoolClients', `(${clients.length} clients)`, `1 to ${MAX_CLIENTS} app clients`);
    }
    if (props.alarmEmail !== undefined) {
      validator.matches('alarmEmail', props.alarmEmail, /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/, 'one email address such as oncall@clinic.example');
    }
    const runbookUrl = props.runbookUrl ?? DEFAULT_RUNBOOK_URL;
    const metrics = new PoolMetrics(props.userPool.userPoolId);
    const triggerFunctions = props.triggerFunctions ?? [];
    const threatProtection = props.threatProtection ?? false;

    this.dashboard = createDashboard(this, {
      dashboardName: props.dashboardName,
      metrics,
      clients,
      lockoutThreshold: thresholds.lockouts,
      threatProtection,
      triggerFunctions,
      runbookUrl,
    });
    if (props.sesEmail) this.dashboard.addWidgets(...emailWidgets(props.sesEmail, thresholds));
    if (props.enableAlarms === false) return;

    const { topic, key } = createAlarmTopic(this, {
      alarmNamePrefix: props.alarmNamePrefix,
      alarmEmail: props.alarmEmail,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.alarmTopic = topic;
    this.topicKey = key;

    const created = createAlarms(this, {
      metrics,
      thresholds,
      clients,
      triggerFunctions,
      rotationFunctions: props.rotationFunctions ?? [],
      quotaCategories: props.quotaCategories ?? QuotaCategory.defaults(),
      threatProtection,
      runbookUrl,
      alarmNamePrefix: props.alarmNamePrefix,
    });
    created.all.forEach((alarm) => this.addAlarm(alarm));
    this.throttleAlarms.push(...created.throttleAlarms);
    this.signInSuccessRateAlarms.push(...created.signInSuccessRateAlarms);
    this.triggerErrorAlarms.push(...created.triggerErrorAlarms);
    this.quotaAlarms.push(...created.quotaAlarms);
    this.lockoutSpikeAlarm = created.lockoutSpikeAlarm;
    this.accountTakeoverAlarm = created.accountTakeoverAlarm;
    this.rotationFailureAlarm = created.rotationFailureAlarm;
    if (props.sesEmail) {
      const email = createEmailAlarms(this, thresholds, runbookUrl, props.alarmNamePrefix);
      [email.bounceRate, email.complaintRate].forEach((alarm) => this.addAlarm(alarm));
      this.emailBounceRateAlarm = email.bounceRate;
      this.emailComplaintRateAlarm = email.complaintRate;
    }

    addAlarmStatusWidget(this.dashboard, this.alarms);
  }

  /**
   * Routes an alarm created elsewhere (backup failures, for example) to the alarm topic and the
   * dashboard's alarm list. Does nothing to the actions when alarms are disabled.
   */
  public addAlarm(alarm: cloudwatch.Alarm): void {
    if (this.alarmTopic) {
      const action = new cwActions.SnsAction(this.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
  }
}
