/*
 * The email alarms and dashboard row of a pool that sends through Amazon SES.
 *
 * The alarms watch SES's account reputation metrics, `Reputation.BounceRate` and
 * `Reputation.ComplaintRate`, rather than a ratio of the configuration set's events: they are the
 * rates SES itself reviews and pauses an account on (so one bad sender elsewhere in the account
 * stops Cognito's email too), they are computed over a representative volume instead of a noisy
 * hourly ratio of a few messages, and they exist whether the configuration set is ours or named.
 * SES publishes them as fractions from 0 to 1 ("Creating reputation monitoring alarms using
 * CloudWatch", Amazon SES Developer Guide), in the SES Region, which is why MedflowCognito watches
 * them only when SES is in the stack's Region.
 */
import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResolvedThresholds } from './alarms';
import { SesEmailMonitoring } from './ses-email-monitoring';
import { SES_CONFIGURATION_SET_DIMENSION } from '../metric-names';
import { RunbookAnchor, alarmDescription } from '../runbook';

const SES_NAMESPACE = 'AWS/SES';
const ONE_HOUR = Duration.hours(1);

/** The account's reputation rate `metricName`, in percent. */
function reputationPercent(metricName: 'Reputation.BounceRate' | 'Reputation.ComplaintRate', label: string): cloudwatch.MathExpression {
  // One ID per metric, so both rates can share a graph.
  const id = metricName === 'Reputation.BounceRate' ? 'bounceRate' : 'complaintRate';
  return new cloudwatch.MathExpression({
    expression: `${id} * 100`,
    usingMetrics: { [id]: new cloudwatch.Metric({ namespace: SES_NAMESPACE, metricName, statistic: cloudwatch.Stats.MAXIMUM, period: ONE_HOUR }) },
    label,
    period: ONE_HOUR,
  });
}

export interface EmailAlarms {
  readonly bounceRate: cloudwatch.Alarm;
  readonly complaintRate: cloudwatch.Alarm;
}

/** The bounce-rate and complaint-rate alarms, in `scope`. */
export function createEmailAlarms(
  scope: Construct, thresholds: ResolvedThresholds, runbookUrl: string, alarmNamePrefix?: string,
): EmailAlarms {
  const alarm = (id: string, name: string, metric: cloudwatch.IMetric, threshold: number, description: string) => new cloudwatch.Alarm(scope, id, {
    alarmName: alarmNamePrefix ? `${alarmNamePrefix}-${name}` : undefined,
    alarmDescription: description,
    metric,
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // SES publishes reputation only once the account has bounces or complaints: no data is good news.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const bounce = thresholds.emailBounceRatePercent;
  const complaint = thresholds.emailComplaintRatePercent;
  return {
    bounceRate: alarm('EmailBounceRate', 'email-bounce-rate', reputationPercent('Reputation.BounceRate', 'SES bounce rate (%)'), bounce,
      alarmDescription(
        `The account's Amazon SES bounce rate reached ${bounce}%; at 5% SES reviews the account and at 10% it may pause sending, which stops verification codes and password resets.`,
        'check the SES reputation page and the bounce events of the configuration set, remove invalid addresses (imports, typos), and check the sender identity and suppression list.',
        runbookUrl, RunbookAnchor.EMAIL_NOT_ARRIVING)),
    complaintRate: alarm('EmailComplaintRate', 'email-complaint-rate', reputationPercent('Reputation.ComplaintRate', 'SES complaint rate (%)'), complaint,
      alarmDescription(
        `The account's Amazon SES complaint rate reached ${complaint}%; at 0.1% SES reviews the account and at 0.5% it may pause sending.`,
        'find which messages were marked as spam (complaint events), check nothing else in the account sends through SES unexpectedly, and review the message texts.',
        runbookUrl, RunbookAnchor.EMAIL_NOT_ARRIVING)),
  };
}

/** The dashboard row: the reputation rates against their thresholds, and the configuration set's send events. */
export function emailWidgets(email: SesEmailMonitoring, thresholds: ResolvedThresholds): cloudwatch.IWidget[] {
  const widgets: cloudwatch.IWidget[] = [
    new cloudwatch.GraphWidget({
      title: 'Email reputation (SES account, %)',
      width: 12,
      left: [reputationPercent('Reputation.BounceRate', 'bounce rate'), reputationPercent('Reputation.ComplaintRate', 'complaint rate')],
      leftAnnotations: [
        { value: thresholds.emailBounceRatePercent, label: 'bounce alarm' },
        { value: thresholds.emailComplaintRatePercent, label: 'complaint alarm' },
      ],
    }),
  ];
  if (email.configurationSetName) {
    const events = ['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject'].map((metricName) => new cloudwatch.Metric({
      namespace: SES_NAMESPACE,
      metricName,
      dimensionsMap: { [SES_CONFIGURATION_SET_DIMENSION]: email.configurationSetName! },
      statistic: cloudwatch.Stats.SUM,
      period: ONE_HOUR,
    }));
    widgets.push(new cloudwatch.GraphWidget({ title: 'Email sent by the user pool (per hour)', width: 12, left: events }));
  }
  return widgets;
}
