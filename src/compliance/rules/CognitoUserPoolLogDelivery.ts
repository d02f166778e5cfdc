import { USER_POOL } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, UnresolvedValue, referencedLogicalId, valueAt } from './rule';

const LOG_DELIVERY = 'AWS::Cognito::LogDeliveryConfiguration';

/**
 * The user pool exports its logs: an `AWS::Cognito::LogDeliveryConfiguration` for the pool
 * holds at least one log configuration.
 * Supports HIPAA 164.312(b), audit controls.
 */
export const CognitoUserPoolLogDelivery: HealthcareRule = {
  id: 'CognitoUserPoolLogDelivery',
  control: '164.312(b)',
  controlTitle: 'Audit controls',
  resourceTypes: [USER_POOL],
  granular: false,
  info: 'The user pool has no log delivery (no AWS::Cognito::LogDeliveryConfiguration with a log configuration references it).',
  explanation: 'HIPAA 164.312(b) asks for mechanisms that record and examine activity in systems holding ePHI. '
    + 'Log delivery exports the pool\'s user activity and message-delivery logs to CloudWatch Logs, S3 or Firehose, '
    + 'where they can be retained and reviewed; CloudTrail alone does not record sign-in outcomes.',
  evaluate(pool, context) {
    const outcome = RuleOutcome.applicable();
    const deliveries = context.template.ofType(LOG_DELIVERY);
    const forPool = deliveries.filter((d) => referencedLogicalId(d.properties.UserPoolId) === pool.logicalId);
    const unknownTarget = deliveries.find((d) => referencedLogicalId(d.properties.UserPoolId) === undefined);
    outcome.check('', () => {
      const configured = forPool.some((delivery) => {
        const configurations = valueAt(delivery.properties, 'LogConfigurations');
        if (configurations !== undefined && !Array.isArray(configurations)) {
          throw new UnresolvedValue(`${delivery.logicalId}.LogConfigurations`, 'the log delivery configuration list is not literal');
        }
        return (configurations ?? []).length > 0;
      });
      if (!configured && unknownTarget) {
        throw new UnresolvedValue(`${unknownTarget.logicalId}.UserPoolId`,
          'a log delivery configuration names a user pool that is not a reference to a pool in this stack');
      }
      return !configured;
    });
    return outcome;
  },
};
