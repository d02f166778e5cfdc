import { aws_cognito as cognito } from 'aws-cdk-lib';
import { ruleFindings } from './fixtures';

const RULE = 'CognitoDeletionProtection';

describe(RULE, () => {
  test('passes a pool with deletion protection', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', { deletionProtection: true }))).toEqual([]);
  });

  test('flags a pool without it (CloudFormation defaults to INACTIVE)', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Default');
      new cognito.CfnUserPool(s, 'Inactive', { deletionProtection: 'INACTIVE' });
    })).toEqual(['CognitoDeletionProtection @ Fixture/Default/Resource', 'CognitoDeletionProtection @ Fixture/Inactive']);
  });
});
