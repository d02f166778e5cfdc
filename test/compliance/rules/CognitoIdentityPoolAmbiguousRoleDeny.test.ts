import { Stack, aws_cognito as cognito, aws_cognito_identitypool as identitypool } from 'aws-cdk-lib';
import { ruleFindings } from './fixtures';

const RULE = 'CognitoIdentityPoolAmbiguousRoleDeny';

function identityPoolWithMapping(stack: Stack, resolveAmbiguousRoles?: boolean): void {
  const pool = new cognito.UserPool(stack, 'Pool');
  const client = pool.addClient('Client');
  new identitypool.IdentityPool(stack, 'Identities', {
    authenticationProviders: { userPools: [new identitypool.UserPoolAuthenticationProvider({ userPool: pool, userPoolClient: client })] },
    roleMappings: resolveAmbiguousRoles === undefined ? undefined : [{
      mappingKey: 'clinicians', providerUrl: identitypool.IdentityPoolProviderUrl.userPool(pool, client), useToken: true, resolveAmbiguousRoles,
    }],
  });
}

describe(RULE, () => {
  test('passes role mappings that deny ambiguous roles', () => {
    expect(ruleFindings(RULE, (s) => identityPoolWithMapping(s, false))).toEqual([]);
  });

  test('passes an attachment without role mappings: nothing is ambiguous', () => {
    expect(ruleFindings(RULE, (s) => identityPoolWithMapping(s))).toEqual([]);
  });

  test('flags a mapping that falls back to the authenticated role', () => {
    expect(ruleFindings(RULE, (s) => identityPoolWithMapping(s, true)))
      .toEqual(['CognitoIdentityPoolAmbiguousRoleDeny @ Fixture/Identities/DefaultRoleAttachment/Resource']);
  });
});
