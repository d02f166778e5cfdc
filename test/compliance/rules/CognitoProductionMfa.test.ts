import { CfnParameter, Tags, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkFixture, ruleFindings } from './fixtures';

const RULE = 'CognitoProductionMfa';

describe(RULE, () => {
  test('passes a pool tagged Environment=prod that requires MFA', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Pool', { mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { otp: true, sms: false } });
      Tags.of(s).add('Environment', 'prod');
    })).toEqual([]);
  });

  test('flags a pool tagged Environment=Production (any case) with optional MFA', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Pool', { mfa: cognito.Mfa.OPTIONAL, mfaSecondFactor: { otp: true, sms: false } });
      Tags.of(s).add('Environment', 'Production');
    })).toEqual(['CognitoProductionMfa @ Fixture/Pool/Resource']);
  });

  test('flags a pool named as prod without MFA', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', { userPoolName: 'clinic-prod-users' })))
      .toEqual(['CognitoProductionMfa @ Fixture/Pool/Resource']);
  });

  test('leaves non-production pools alone, including names that merely contain "prod"', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Staging', { userPoolName: 'staging-users' });
      new cognito.UserPool(s, 'Product', { userPoolName: 'product-catalogue-users' });
      Tags.of(s).add('Environment', 'staging');
    })).toEqual([]);
  });

  test('honours productionEnvironmentNames', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', { userPoolName: 'live-users' }), { productionEnvironmentNames: ['live'] }))
      .toEqual(['CognitoProductionMfa @ Fixture/Pool/Resource']);
  });

  test('reports a pool whose name is a parameter as not evaluated when MFA is not on', () => {
    const findings = checkFixture((s) => new cognito.UserPool(s, 'Pool', {
      userPoolName: new CfnParameter(s, 'PoolName').valueAsString,
    })).filter((f) => f.rule.includes(RULE));
    expect(findings).toEqual([{
      rule: 'Medflow.Healthcare-CognitoProductionMfa[Unresolved::UserPoolName]',
      path: 'Fixture/Pool/Resource',
      description: expect.stringMatching(/could not be evaluated: UserPoolName is undecidable because it is not a literal, so whether the pool is production cannot be decided/),
    }]);
  });

  test('needs no decision when a pool with a parameter name requires MFA anyway', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', {
      userPoolName: new CfnParameter(s, 'PoolName').valueAsString, mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { otp: true, sms: false },
    }))).toEqual([]);
  });
});
