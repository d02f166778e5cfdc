import { HealthcareRule, RuleOutcome, UnresolvedValue, isIntrinsic, primitiveAt, valueAt } from './rule';

/**
 * Every role mapping of an identity pool resolves ambiguous roles to Deny.
 * Supports HIPAA 164.312(a)(1), access control.
 */
export const CognitoIdentityPoolAmbiguousRoleDeny: HealthcareRule = {
  id: 'CognitoIdentityPoolAmbiguousRoleDeny',
  control: '164.312(a)(1)',
  controlTitle: 'Access control',
  resourceTypes: ['AWS::Cognito::IdentityPoolRoleAttachment'],
  granular: false,
  info: 'An identity pool role mapping falls back to the default authenticated role when no rule or token role matches (AmbiguousRoleResolution is not Deny).',
  explanation: 'HIPAA 164.312(a)(1) asks that users get only the access they were granted. When a role mapping cannot '
    + 'decide (no rule matches, or the token names no role), AuthenticatedRole hands out the broad default role; Deny '
    + 'refuses credentials instead. An attachment without role mappings gives every user the authenticated role and has '
    + 'nothing ambiguous to resolve.',
  evaluate(attachment) {
    const outcome = RuleOutcome.applicable();
    let mappings: unknown;
    try {
      mappings = valueAt(attachment.properties, 'RoleMappings');
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      outcome.unresolved.push(error);
      return outcome;
    }
    // Mapping keys are often provider URLs holding dots, so each mapping is read as a whole.
    for (const [key, mapping] of Object.entries((mappings ?? {}) as Record<string, unknown>)) {
      outcome.check('', () => {
        if (isIntrinsic(mapping)) throw new UnresolvedValue(`RoleMappings[${key}]`);
        return primitiveAt((mapping ?? {}) as Record<string, unknown>, 'AmbiguousRoleResolution') !== 'Deny';
      });
    }
    return outcome;
  },
};
