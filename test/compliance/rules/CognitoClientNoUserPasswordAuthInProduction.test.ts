import { Tags, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkFixture, ruleFindings } from './fixtures';

const RULE = 'CognitoClientNoUserPasswordAuthInProduction';

describe(RULE, () => {
  test('passes a production client limited to SRP', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Pool').addClient('Client', { authFlows: { userSrp: true } });
      Tags.of(s).add('Environment', 'prod');
    })).toEqual([]);
  });

  test('flags a client of a production pool that allows USER_PASSWORD_AUTH', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Pool').addClient('Client', { authFlows: { userSrp: true, userPassword: true } });
      Tags.of(s).add('Environment', 'prod');
    })).toEqual(['CognitoClientNoUserPasswordAuthInProduction @ Fixture/Pool/Client/Resource']);
  });

  test('allows USER_PASSWORD_AUTH outside production', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Pool', { userPoolName: 'staging-users' }).addClient('Client', { authFlows: { userPassword: true } });
    })).toEqual([]);
  });

  test('flags a client named as prod on a pool outside the stack', () => {
    expect(ruleFindings(RULE, (s) => new cognito.CfnUserPoolClient(s, 'Client', {
      userPoolId: 'eu-west-1_EXAMPLE', clientName: 'prod-backend', explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    }))).toEqual(['CognitoClientNoUserPasswordAuthInProduction @ Fixture/Client']);
  });

  test('cannot decide for an unnamed password client of a pool outside the stack, and says so', () => {
    const findings = checkFixture((s) => new cognito.CfnUserPoolClient(s, 'Client', {
      userPoolId: 'eu-west-1_EXAMPLE', explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })).filter((f) => f.rule.includes(RULE));
    expect(findings).toEqual([{
      rule: 'Medflow.Healthcare-CognitoClientNoUserPasswordAuthInProduction[Unresolved::UserPoolId]',
      path: 'Fixture/Client',
      description: expect.stringMatching(/could not be evaluated: UserPoolId is undecidable because the user pool is not in this stack/),
    }]);
  });
});
