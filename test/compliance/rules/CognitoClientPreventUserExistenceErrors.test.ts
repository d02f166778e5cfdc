import { aws_cognito as cognito } from 'aws-cdk-lib';
import { ruleFindings } from './fixtures';

const RULE = 'CognitoClientPreventUserExistenceErrors';

describe(RULE, () => {
  test('passes a client with preventUserExistenceErrors', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool').addClient('Client', { preventUserExistenceErrors: true }))).toEqual([]);
  });

  test('flags a client that leaves it unset (Cognito defaults to LEGACY) and one set to LEGACY', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = new cognito.UserPool(s, 'Pool');
      pool.addClient('Unset');
      new cognito.CfnUserPoolClient(s, 'Legacy', { userPoolId: pool.userPoolId, preventUserExistenceErrors: 'LEGACY' });
    })).toEqual(['CognitoClientPreventUserExistenceErrors @ Fixture/Legacy', 'CognitoClientPreventUserExistenceErrors @ Fixture/Pool/Unset/Resource']);
  });
});
