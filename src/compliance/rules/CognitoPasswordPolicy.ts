import { USER_POOL } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, primitiveAt, valueAt } from './rule';

const MINIMUM_LENGTH = 12;
/** Cognito's length when no password policy is given. */
const COGNITO_DEFAULT_LENGTH = 8;
const CHARACTER_CLASSES = ['RequireLowercase', 'RequireUppercase', 'RequireNumbers', 'RequireSymbols'];

/**
 * Passwords are at least 12 characters and require lowercase, uppercase, digits and symbols.
 * Supports HIPAA 164.308(a)(5)(ii)(D), password management.
 */
export const CognitoPasswordPolicy: HealthcareRule = {
  id: 'CognitoPasswordPolicy',
  control: '164.308(a)(5)(ii)(D)',
  controlTitle: 'Password management',
  resourceTypes: [USER_POOL],
  granular: true,
  info: `The user pool's password policy allows passwords shorter than ${MINIMUM_LENGTH} characters or without every character class.`,
  explanation: 'HIPAA 164.308(a)(5)(ii)(D) asks for procedures for creating, changing and safeguarding passwords. '
    + `Workforce accounts that reach PHI need passwords of at least ${MINIMUM_LENGTH} characters mixing lowercase, uppercase, digits and symbols. `
    + 'Findings name the failing setting: MinimumLength, RequireLowercase, RequireUppercase, RequireNumbers or RequireSymbols.',
  evaluate(pool) {
    const outcome = RuleOutcome.applicable();
    const policy = valueAt(pool.properties, 'Policies.PasswordPolicy');
    if (policy === undefined) {
      // Without a policy Cognito enforces 8 characters and every class.
      return outcome.fail('MinimumLength');
    }
    outcome.check('MinimumLength', () => Number(primitiveAt(pool.properties, 'Policies.PasswordPolicy.MinimumLength') ?? COGNITO_DEFAULT_LENGTH) < MINIMUM_LENGTH);
    for (const setting of CHARACTER_CLASSES) {
      outcome.check(setting, () => primitiveAt(pool.properties, `Policies.PasswordPolicy.${setting}`) !== true);
    }
    return outcome;
  },
};
