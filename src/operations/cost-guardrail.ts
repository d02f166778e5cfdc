import { aws_budgets as budgets, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropValidator } from '../internal/prop-validation';

/** Props for `CostGuardrail`. */
export interface CostGuardrailProps {
  /** Monthly budget in US dollars. */
  readonly monthlyBudget: number;
  /** Value of the `Project` tag the budget counts. */
  readonly projectName: string;
  /** Value of the `Environment` tag the budget counts. */
  readonly environmentName: string;
  /** Topic the alerts go to. Its policy and key must admit `budgets.amazonaws.com` (the alarm topic does). */
  readonly alertTopic: sns.ITopic;
  /**
   * Budget name.
   * @default '{environment}-{projectName}-cognito-monthly'
   */
  readonly budgetName?: string;
}

/** Percentages of the budget at which an alert is sent: forecast at 80, actual at 80 and 100. */
const ALERTS: { type: 'ACTUAL' | 'FORECASTED'; percent: number }[] = [
  { type: 'ACTUAL', percent: 80 },
  { type: 'ACTUAL', percent: 100 },
  { type: 'FORECASTED', percent: 100 },
];

/**
 * An AWS Budgets cost budget over everything tagged with this project and environment, alerting
 * the alarm topic at 80% and 100% of actual spend and at 100% of forecast spend.
 *
 * Tags count only once they are activated as cost allocation tags in the Billing console
 * (Project and Environment; see the README's cost section), and AWS Budgets updates a few times a day.
 */
export class CostGuardrail extends Construct {
  /** The budget. */
  public readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: CostGuardrailProps) {
    super(scope, id);
    const validator = new PropValidator('CostGuardrail');
    if (!(Number.isFinite(props.monthlyBudget) && props.monthlyBudget >= 1 && props.monthlyBudget <= 1_000_000)) {
      validator.fail('monthlyBudget', String(props.monthlyBudget), 'a number of US dollars from 1 to 1000000');
    }
    const budgetName = props.budgetName ?? `${props.environmentName}-${props.projectName}-cognito-monthly`;
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyBudget, unit: 'USD' },
        // Both tags must match: this project's resources in this environment.
        filterExpression: {
          and: [
            { tags: { key: 'Project', values: [props.projectName], matchOptions: ['EQUALS'] } },
            { tags: { key: 'Environment', values: [props.environmentName], matchOptions: ['EQUALS'] } },
          ],
        },
      },
      notificationsWithSubscribers: ALERTS.map(({ type, percent }) => ({
        notification: {
          notificationType: type,
          comparisonOperator: 'GREATER_THAN',
          threshold: percent,
          thresholdType: 'PERCENTAGE',
        },
        subscribers: [{ subscriptionType: 'SNS', address: props.alertTopic.topicArn }],
      })),
    });
  }
}
