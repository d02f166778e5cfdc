import { USER_POOL } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, valueAt } from './rule';

const TRIGGERS = ['PreAuthentication', 'PostAuthentication'];

/**
 * The lockout triggers are attached: `LambdaConfig.PreAuthentication` (refuses a locked account)
 * and `LambdaConfig.PostAuthentication` (clears the failure count).
 * Supports HIPAA 164.308(a)(5)(ii)(C), log-in monitoring.
 */
export const CognitoLockoutTriggers: HealthcareRule = {
  id: 'CognitoLockoutTriggers',
  control: '164.308(a)(5)(ii)(C)',
  controlTitle: 'Log-in monitoring',
  resourceTypes: [USER_POOL],
  granular: true,
  info: 'The user pool lacks a lockout trigger (LambdaConfig.PreAuthentication or LambdaConfig.PostAuthentication).',
  explanation: 'HIPAA 164.308(a)(5)(ii)(C) asks for procedures for monitoring log-in attempts and reporting discrepancies. '
    + 'Cognito\'s built-in throttling is not a configurable lockout: the pre-authentication trigger refuses an account '
    + 'after repeated failures and the post-authentication trigger resets the count after a success. Findings name the '
    + 'missing trigger.',
  evaluate(pool) {
    const outcome = RuleOutcome.applicable();
    for (const trigger of TRIGGERS) {
      // The value is a function ARN (usually a reference); only its presence matters.
      outcome.check(trigger, () => {
        const lambdaConfig = valueAt(pool.properties, 'LambdaConfig') as Record<string, unknown> | undefined;
        return lambdaConfig?.[trigger] === undefined || lambdaConfig[trigger] === '';
      });
    }
    return outcome;
  },
};
