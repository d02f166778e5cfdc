import { HealthcareRule, RuleOutcome, primitiveAt } from './rule';

/**
 * The identity pool gives no credentials to unauthenticated (guest) identities.
 * Supports HIPAA 164.312(a)(1), access control.
 */
export const CognitoIdentityPoolNoGuestAccess: HealthcareRule = {
  id: 'CognitoIdentityPoolNoGuestAccess',
  control: '164.312(a)(1)',
  controlTitle: 'Access control',
  resourceTypes: ['AWS::Cognito::IdentityPool'],
  granular: false,
  info: 'The identity pool allows unauthenticated (guest) identities (AllowUnauthenticatedIdentities is not false).',
  explanation: 'HIPAA 164.312(a)(1) asks that only authorized persons or software reach ePHI. Guest identities receive '
    + 'AWS credentials without signing in, so anything their role can reach is reachable by anyone on the internet.',
  evaluate(identityPool) {
    return RuleOutcome.applicable().check('', () => primitiveAt(identityPool.properties, 'AllowUnauthenticatedIdentities') !== false);
  },
};
