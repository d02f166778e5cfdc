import { USER_POOL, isProductionPool, whenPoolApplies } from './cognito-lookups';
import { HealthcareRule, RenderedResource, UnresolvedValue, primitiveAt, referencedLogicalId, stringListAt, valueAt } from './rule';

const RISK_CONFIGURATION = 'AWS::Cognito::UserPoolRiskConfigurationAttachment';

/**
 * Production user pools act on risk: threat protection is ENFORCED, and the pool's risk
 * configurations block sign-in with compromised credentials and block high-risk sign-ins.
 * Supports HIPAA 164.308(a)(5)(ii)(C), log-in monitoring.
 *
 * Findings: `[RiskConfiguration]` no attachment with `ClientId: ALL` for the pool;
 * `[CompromisedCredentials]` an attachment of the pool does not BLOCK compromised credentials at SIGN_IN;
 * `[HighRisk]` an attachment of the pool does not BLOCK high-risk sign-ins;
 * `[AdvancedSecurityMode]` the pool only audits, so no configured action is taken.
 */
export const CognitoThreatProtectionBlocksRisk: HealthcareRule = {
  id: 'CognitoThreatProtectionBlocksRisk',
  control: '164.308(a)(5)(ii)(C)',
  controlTitle: 'Log-in monitoring',
  resourceTypes: [USER_POOL],
  granular: true,
  info: 'Threat protection of the production user pool does not block compromised credentials at sign-in and high-risk sign-ins '
    + '(an AWS::Cognito::UserPoolRiskConfigurationAttachment with ClientId ALL, compromised credentials BLOCK covering SIGN_IN, '
    + 'HighAction BLOCK, and AdvancedSecurityMode ENFORCED).',
  explanation: 'HIPAA 164.308(a)(5)(ii)(C) asks for procedures for monitoring log-in attempts and reporting discrepancies. '
    + 'Threat protection scores every sign-in; the risk configuration decides what happens to the risky ones. Without one, '
    + 'the actions are Cognito\'s defaults that nobody chose, and a known-breached password or a high-risk sign-in can reach PHI. '
    + 'Every attachment of the pool is checked, since one for a single app client replaces the pool-wide (ALL) configuration for that client. '
    + 'In AUDIT mode the configured actions are only recorded, never taken. A pool is production as for CognitoProductionMfa. '
    + 'Cognito can only check a password it sees: at sign-up, password change and password sign-in flows, not in an SRP sign-in '
    + '(Cognito developer guide, compromised-credentials detection), so with SRP-only clients the check acts at sign-up and password change.',
  evaluate(pool, context) {
    return whenPoolApplies(pool, context, isProductionPool, (outcome) => {
      const attachments = context.template.ofType(RISK_CONFIGURATION);
      const forPool = attachments.filter((a) => referencedLogicalId(a.properties.UserPoolId) === pool.logicalId);
      const unknownTarget = attachments.find((a) => referencedLogicalId(a.properties.UserPoolId) === undefined);
      outcome.check('RiskConfiguration', () => {
        if (forPool.some((a) => onAttachment(a, () => appliesToAllClients(a)))) return false;
        if (unknownTarget) {
          throw new UnresolvedValue(`${unknownTarget.logicalId}.UserPoolId`,
            'a risk configuration names a user pool that is not a reference to a pool in this stack');
        }
        return true;
      });
      outcome.check('CompromisedCredentials', () => forPool.some((a) => onAttachment(a, () => !blocksCompromisedSignIn(a))));
      outcome.check('HighRisk', () => forPool.some((a) => onAttachment(a, () =>
        primitiveAt(a.properties, 'AccountTakeoverRiskConfiguration.Actions.HighAction.EventAction') !== 'BLOCK')));
      outcome.check('AdvancedSecurityMode', () => (primitiveAt(pool.properties, 'UserPoolAddOns.AdvancedSecurityMode') ?? 'OFF') !== 'ENFORCED');
      return outcome;
    });
  },
};

/** `ClientId: ALL` configures the whole pool; a literal client ID or a reference to a client configures one client. */
function appliesToAllClients(attachment: RenderedResource): boolean {
  const clientId = attachment.properties.ClientId;
  if (clientId === 'ALL') return true;
  if (typeof clientId === 'string' || referencedLogicalId(clientId) !== undefined) return false;
  throw new UnresolvedValue('ClientId');
}

function blocksCompromisedSignIn(attachment: RenderedResource): boolean {
  if (valueAt(attachment.properties, 'CompromisedCredentialsRiskConfiguration') === undefined) return false;
  if (primitiveAt(attachment.properties, 'CompromisedCredentialsRiskConfiguration.Actions.EventAction') !== 'BLOCK') return false;
  // Without EventFilter the action applies to every event (SIGN_IN, PASSWORD_CHANGE, SIGN_UP).
  const events = stringListAt(attachment.properties, 'CompromisedCredentialsRiskConfiguration.EventFilter');
  return events === undefined || events.includes('SIGN_IN');
}

/** Runs a read of one attachment, naming the attachment in any value it cannot read. */
function onAttachment<T>(attachment: RenderedResource, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UnresolvedValue)) throw error;
    throw new UnresolvedValue(`${attachment.logicalId}.${error.propertyPath}`, error.why);
  }
}
