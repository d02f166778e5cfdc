import { USER_POOL, isProductionPool } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, UnresolvedValue, primitiveAt } from './rule';

/**
 * Production user pools require MFA (`MfaConfiguration: ON`).
 * Supports HIPAA 164.312(d), person or entity authentication.
 */
export const CognitoProductionMfa: HealthcareRule = {
  id: 'CognitoProductionMfa',
  control: '164.312(d)',
  controlTitle: 'Person or entity authentication',
  resourceTypes: [USER_POOL],
  granular: false,
  info: 'The production user pool does not require MFA (MfaConfiguration is not ON).',
  explanation: 'HIPAA 164.312(d) asks for procedures that verify a person seeking access to ePHI is the one claimed. '
    + 'A password alone is one stolen credential away from PHI; production pools must require a second factor. '
    + 'A pool is production when the library recorded it so (medflow:environment metadata, from the preset\'s production setting); '
    + 'for other pools, when its Environment tag or its name names a production environment (prod, production by default).',
  evaluate(pool, context) {
    let production: boolean;
    try {
      production = isProductionPool(pool, context);
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      // Only undecidable when the pool would fail as production.
      const outcome = RuleOutcome.applicable();
      if (safeMfa(pool.properties) === 'ON') return outcome;
      outcome.unresolved.push(error);
      return outcome;
    }
    if (!production) return RuleOutcome.notApplicable();
    return RuleOutcome.applicable().check('', () => (primitiveAt(pool.properties, 'MfaConfiguration') ?? 'OFF') !== 'ON');
  },
};

function safeMfa(properties: Record<string, unknown>): unknown {
  try {
    return primitiveAt(properties, 'MfaConfiguration');
  } catch {
    return undefined;
  }
}
