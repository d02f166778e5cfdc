import { USER_POOL, isProductionPool, whenPoolApplies } from './cognito-lookups';
import { HealthcareRule, presentAt, primitiveAt } from './rule';

/**
 * Production user pools send email through Amazon SES (`EmailConfiguration.EmailSendingAccount:
 * DEVELOPER` with a `SourceArn`), not through Cognito's own sender.
 * Supports HIPAA 164.308(a)(1)(ii)(B), risk management.
 */
export const CognitoProductionEmailThroughSes: HealthcareRule = {
  id: 'CognitoProductionEmailThroughSes',
  control: '164.308(a)(1)(ii)(B)',
  controlTitle: 'Risk management',
  resourceTypes: [USER_POOL],
  granular: false,
  info: 'The production user pool sends email through Cognito\'s own sender (EmailConfiguration.EmailSendingAccount is not DEVELOPER with a SourceArn), '
    + 'not through Amazon SES.',
  explanation: 'HIPAA 164.308(a)(1)(ii)(B) asks for security measures that reduce identified risks to the availability of ePHI systems. '
    + 'Cognito\'s own sender is limited to 50 emails a day per account and sends from a Cognito address: beyond the limit, '
    + 'verification codes and password-recovery messages silently stop and staff are locked out of patient records, and a sender '
    + 'that is not the clinic\'s trains staff to trust unfamiliar senders. Amazon SES (HIPAA eligible) sends from the clinic\'s '
    + 'verified identity at the volume it needs, with bounces and complaints observable. The risk is availability, not transmission '
    + '(the messages carry codes, not ePHI), hence risk management rather than 164.312(e)(1). A pool is production as for CognitoProductionMfa.',
  evaluate(pool, context) {
    return whenPoolApplies(pool, context, isProductionPool, (outcome) => outcome.check('', () => {
      // Without EmailConfiguration or EmailSendingAccount, Cognito uses its own sender (COGNITO_DEFAULT).
      const account = primitiveAt(pool.properties, 'EmailConfiguration.EmailSendingAccount') ?? 'COGNITO_DEFAULT';
      return account !== 'DEVELOPER' || !presentAt(pool.properties, 'EmailConfiguration.SourceArn');
    }));
  },
};
