import { aws_cognito as cognito } from 'aws-cdk-lib';
import { ruleFindings } from './fixtures';

const RULE = 'CognitoThreatProtectionEnforced';

describe(RULE, () => {
  test('passes full-function threat protection on the Plus plan', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', {
      featurePlan: cognito.FeaturePlan.PLUS, standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    }))).toEqual([]);
  });

  test('flags audit-only mode and the Essentials plan', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Audit', { featurePlan: cognito.FeaturePlan.PLUS, standardThreatProtectionMode: cognito.StandardThreatProtectionMode.AUDIT_ONLY });
      new cognito.UserPool(s, 'Essentials', { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    })).toEqual([
      'CognitoThreatProtectionEnforced @ Fixture/Audit/Resource',
      'CognitoThreatProtectionEnforced @ Fixture/Essentials/Resource',
    ]);
  });
});
