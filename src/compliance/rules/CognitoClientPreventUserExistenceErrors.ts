import { USER_POOL_CLIENT } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, primitiveAt } from './rule';

/**
 * Every app client hides whether a user exists (`PreventUserExistenceErrors: ENABLED`).
 * Supports HIPAA 164.312(d), person or entity authentication.
 */
export const CognitoClientPreventUserExistenceErrors: HealthcareRule = {
  id: 'CognitoClientPreventUserExistenceErrors',
  control: '164.312(d)',
  controlTitle: 'Person or entity authentication',
  resourceTypes: [USER_POOL_CLIENT],
  granular: false,
  info: 'The app client reveals whether a user exists (PreventUserExistenceErrors is not ENABLED; Cognito defaults to LEGACY).',
  explanation: 'HIPAA 164.312(d) asks that authentication verify who is signing in without helping an attacker. '
    + 'With LEGACY errors, sign-in and password recovery answer UserNotFoundException, which lets anyone enumerate '
    + 'which clinicians have accounts and focus password guessing on them.',
  evaluate(client) {
    return RuleOutcome.applicable().check('', () => (primitiveAt(client.properties, 'PreventUserExistenceErrors') ?? 'LEGACY') !== 'ENABLED');
  },
};
