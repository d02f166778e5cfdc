import { Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkFixture, ruleFindings } from './fixtures';

const RULE = 'CognitoClientIdentityAttributesReadOnly';

function healthcarePool(stack: Stack): cognito.UserPool {
  return new cognito.UserPool(stack, 'Pool', {
    customAttributes: {
      user_role: new cognito.StringAttribute({ mutable: true }),
      clinic_id: new cognito.StringAttribute({ mutable: true }),
      npi_number: new cognito.StringAttribute({ mutable: false }),
      preferred_language: new cognito.StringAttribute({ mutable: true }),
    },
  });
}

describe(RULE, () => {
  test('passes a client that writes only user-owned attributes', () => {
    expect(ruleFindings(RULE, (s) => healthcarePool(s).addClient('Client', {
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ givenName: true }).withCustomAttributes('preferred_language'),
    }))).toEqual([]);
  });

  test('names each identity attribute a client lists in WriteAttributes', () => {
    expect(ruleFindings(RULE, (s) => healthcarePool(s).addClient('Client', {
      writeAttributes: new cognito.ClientAttributes().withCustomAttributes('user_role', 'clinic_id', 'preferred_language'),
    }))).toEqual([
      'CognitoClientIdentityAttributesReadOnly[custom:clinic_id] @ Fixture/Pool/Client/Resource',
      'CognitoClientIdentityAttributesReadOnly[custom:user_role] @ Fixture/Pool/Client/Resource',
    ]);
  });

  test('flags a client without WriteAttributes for every mutable identity attribute of its pool', () => {
    // npi_number is immutable, and the other identity attributes do not exist in this pool.
    expect(ruleFindings(RULE, (s) => healthcarePool(s).addClient('Client'))).toEqual([
      'CognitoClientIdentityAttributesReadOnly[custom:clinic_id] @ Fixture/Pool/Client/Resource',
      'CognitoClientIdentityAttributesReadOnly[custom:user_role] @ Fixture/Pool/Client/Resource',
    ]);
  });

  test('honours a custom identityAttributes list', () => {
    expect(ruleFindings(RULE, (s) => healthcarePool(s).addClient('Client', {
      writeAttributes: new cognito.ClientAttributes().withCustomAttributes('preferred_language'),
    }), { identityAttributes: ['custom:preferred_language'] })).toEqual([
      'CognitoClientIdentityAttributesReadOnly[custom:preferred_language] @ Fixture/Pool/Client/Resource',
    ]);
  });

  test('cannot check a client without WriteAttributes on a pool outside the stack, and says so', () => {
    const findings = checkFixture((s) => new cognito.CfnUserPoolClient(s, 'Client', { userPoolId: 'eu-west-1_EXAMPLE' }))
      .filter((f) => f.rule.includes(RULE));
    expect(findings).toEqual([{
      rule: 'Medflow.Healthcare-CognitoClientIdentityAttributesReadOnly[Unresolved::WriteAttributes]',
      path: 'Fixture/Client',
      description: expect.stringMatching(/could not be evaluated: WriteAttributes is undecidable because it is absent, so the client can write every mutable attribute/),
    }]);
  });
});
