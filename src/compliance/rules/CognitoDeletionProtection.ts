import { USER_POOL } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, primitiveAt } from './rule';

/**
 * The user pool has deletion protection (`DeletionProtection: ACTIVE`).
 * Supports HIPAA 164.312(c)(1), integrity.
 */
export const CognitoDeletionProtection: HealthcareRule = {
  id: 'CognitoDeletionProtection',
  control: '164.312(c)(1)',
  controlTitle: 'Integrity',
  resourceTypes: [USER_POOL],
  granular: false,
  info: 'The user pool does not have deletion protection (DeletionProtection is not ACTIVE).',
  explanation: 'HIPAA 164.312(c)(1) asks to protect ePHI from improper alteration or destruction. '
    + 'Deleting a user pool destroys every identity, MFA device and attribute of the clinic staff at once and cannot be undone; '
    + 'deletion protection makes Cognito refuse the deletion until it is switched off deliberately.',
  evaluate(pool) {
    return RuleOutcome.applicable().check('', () => (primitiveAt(pool.properties, 'DeletionProtection') ?? 'INACTIVE') !== 'ACTIVE');
  },
};
