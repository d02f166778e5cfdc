import { USER_POOL } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, primitiveAt } from './rule';

/**
 * Threat protection runs in full-function mode (`UserPoolAddOns.AdvancedSecurityMode: ENFORCED`).
 * Supports HIPAA 164.308(a)(6)(ii), security incident response and reporting.
 */
export const CognitoThreatProtectionEnforced: HealthcareRule = {
  id: 'CognitoThreatProtectionEnforced',
  control: '164.308(a)(6)(ii)',
  controlTitle: 'Response and reporting',
  resourceTypes: [USER_POOL],
  granular: false,
  info: 'The user pool does not enforce threat protection (UserPoolAddOns.AdvancedSecurityMode is not ENFORCED).',
  explanation: 'HIPAA 164.308(a)(6)(ii) asks to identify and respond to suspected security incidents. '
    + 'Enforced threat protection (Plus feature plan) blocks sign-ins with compromised credentials and challenges risky ones '
    + 'as they happen; audit-only mode merely records them.',
  evaluate(pool) {
    return RuleOutcome.applicable().check('', () => (primitiveAt(pool.properties, 'UserPoolAddOns.AdvancedSecurityMode') ?? 'OFF') !== 'ENFORCED');
  },
};
