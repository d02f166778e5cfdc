import { USER_POOL_CLIENT } from './cognito-lookups';
import { HealthcareRule, RuleOutcome, UnresolvedValue, primitiveAt } from './rule';

const SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/**
 * Each token: its validity property (whose key in TokenValidityUnits is `finding`), the unit
 * CloudFormation assumes when TokenValidityUnits does not name one, the validity when the
 * property is absent, and the limit.
 */
const TOKENS = [
  { finding: 'AccessToken', property: 'AccessTokenValidity', defaultUnit: 'hours', defaultSeconds: 3600, limitSeconds: 3600 },
  { finding: 'IdToken', property: 'IdTokenValidity', defaultUnit: 'hours', defaultSeconds: 3600, limitSeconds: 3600 },
  { finding: 'RefreshToken', property: 'RefreshTokenValidity', defaultUnit: 'days', defaultSeconds: 30 * 86400, limitSeconds: 30 * 86400 },
];

/**
 * Access and ID tokens last at most one hour and refresh tokens at most 30 days.
 * Supports HIPAA 164.312(a)(2)(iii), automatic logoff.
 */
export const CognitoClientTokenValidity: HealthcareRule = {
  id: 'CognitoClientTokenValidity',
  control: '164.312(a)(2)(iii)',
  controlTitle: 'Automatic logoff',
  resourceTypes: [USER_POOL_CLIENT],
  granular: true,
  info: 'The app client issues access or ID tokens valid for more than 1 hour, or refresh tokens valid for more than 30 days.',
  explanation: 'HIPAA 164.312(a)(2)(iii) asks that an electronic session ends after a period of inactivity. '
    + 'A token is a session: a stolen access token works until it expires, and a refresh token keeps minting new ones. '
    + 'Findings name the token: AccessToken, IdToken or RefreshToken. TokenValidityUnits is honoured; absent values use '
    + "CloudFormation's defaults (60 minutes, 60 minutes, 30 days), which pass.",
  evaluate(client) {
    const outcome = RuleOutcome.applicable();
    for (const token of TOKENS) {
      outcome.check(token.finding, () => {
        const value = primitiveAt(client.properties, token.property);
        if (value === undefined) return token.defaultSeconds > token.limitSeconds;
        const unit = primitiveAt(client.properties, `TokenValidityUnits.${token.finding}`) ?? token.defaultUnit;
        if (typeof unit !== 'string' || !(unit in SECONDS)) {
          throw new UnresolvedValue(`TokenValidityUnits.${token.finding}`, `"${String(unit)}" is not one of seconds, minutes, hours, days`);
        }
        return Number(value) * SECONDS[unit] > token.limitSeconds;
      });
    }
    return outcome;
  },
};
