import { USER_POOL_CLIENT, isProductionClient } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, UnresolvedValue, stringListAt } from './rule';

const PASSWORD_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'];

/**
 * No production app client accepts `ALLOW_USER_PASSWORD_AUTH`.
 * Supports HIPAA 164.312(d), person or entity authentication.
 */
export const CognitoClientNoUserPasswordAuthInProduction: HealthcareRule = {
  id: 'CognitoClientNoUserPasswordAuthInProduction',
  control: '164.312(d)',
  controlTitle: 'Person or entity authentication',
  resourceTypes: [USER_POOL_CLIENT],
  granular: false,
  info: 'The production app client allows ALLOW_USER_PASSWORD_AUTH, which sends the plain password to Cognito.',
  explanation: 'HIPAA 164.312(d) asks for authentication that resists credential theft. USER_PASSWORD_AUTH sends the '
    + 'password itself (over TLS) where SRP proves knowledge of it without sending it, so a logging proxy or a compromised '
    + 'backend sees real passwords. Test tooling may use it outside production. A client is production when the library '
    + 'recorded it so (medflow:environment metadata), else when its pool is production or its own name names a production environment.',
  evaluate(client, context) {
    const outcome = RuleOutcome.applicable();
    let flows: string[];
    try {
      // Without ExplicitAuthFlows Cognito allows SRP, refresh and custom auth only.
      flows = stringListAt(client.properties, 'ExplicitAuthFlows') ?? [];
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      outcome.unresolved.push(error);
      return outcome;
    }
    if (!flows.some((f) => PASSWORD_FLOWS.includes(f))) return outcome;
    // The client allows passwords: that is a finding in production and not this rule's concern elsewhere.
    try {
      return isProductionClient(client, context) ? outcome.fail() : RuleOutcome.notApplicable();
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      outcome.unresolved.push(error);
      return outcome;
    }
  },
};
