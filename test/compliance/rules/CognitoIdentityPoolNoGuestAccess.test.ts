import { aws_cognito_identitypool as identitypool } from 'aws-cdk-lib';
import { ruleFindings } from './fixtures';

const RULE = 'CognitoIdentityPoolNoGuestAccess';

describe(RULE, () => {
  test('passes an identity pool without guest access', () => {
    expect(ruleFindings(RULE, (s) => new identitypool.IdentityPool(s, 'Identities', { allowUnauthenticatedIdentities: false }))).toEqual([]);
  });

  test('flags an identity pool with guest access', () => {
    expect(ruleFindings(RULE, (s) => new identitypool.IdentityPool(s, 'Identities', { allowUnauthenticatedIdentities: true })))
      .toEqual(['CognitoIdentityPoolNoGuestAccess @ Fixture/Identities/Resource']);
  });
});
