import { aws_cognito as cognito } from 'aws-cdk-lib';
import { inlineFunction, ruleFindings } from './fixtures';

const RULE = 'CognitoLockoutTriggers';

describe(RULE, () => {
  test('passes a pool with pre- and post-authentication triggers', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', {
      lambdaTriggers: { preAuthentication: inlineFunction(s, 'Pre'), postAuthentication: inlineFunction(s, 'Post') },
    }))).toEqual([]);
  });

  test('names each missing trigger', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'PreOnly', { lambdaTriggers: { preAuthentication: inlineFunction(s, 'Pre') } });
      new cognito.UserPool(s, 'None', { lambdaTriggers: { preSignUp: inlineFunction(s, 'SignUp') } });
    })).toEqual([
      'CognitoLockoutTriggers[PostAuthentication] @ Fixture/None/Resource',
      'CognitoLockoutTriggers[PostAuthentication] @ Fixture/PreOnly/Resource',
      'CognitoLockoutTriggers[PreAuthentication] @ Fixture/None/Resource',
    ]);
  });
});
