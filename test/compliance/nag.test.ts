import { App, Stack, aws_cognito as cognito, aws_iam as iam } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { PRESET_NAMES, synthesize } from '../helpers';

const PACKS = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()];

describe('cdk-nag packs on every preset', () => {
  test.each(PRESET_NAMES)('%s: AwsSolutions, HIPAA Security and NIST 800-53 rev 5 report nothing unacknowledged', (preset) => {
    const { stack } = synthesize(preset);
    const findings = PACKS().flatMap((pack) => pack.validateScope(stack).violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`));
    expect(findings).toEqual([]);
  });

  test('the acknowledged preset choices would be findings without their acknowledgement', () => {
    const stack = new Stack(new App(), 'Bare');
    new cognito.UserPool(stack, 'Pool', { mfa: cognito.Mfa.OFF, featurePlan: cognito.FeaturePlan.ESSENTIALS });
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-COG2', 'AwsSolutions-COG8']));
  });

  test('dev acknowledges MFA and the Essentials plan on the user pool only, with dev-specific reasons', () => {
    const { auth } = synthesize('dev');
    const entries = auth.userPool.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data);
    expect(entries).toEqual([
      { 'annotation::AwsSolutions-COG2': expect.stringMatching(/^The dev environment holds only synthetic test users/) },
      { 'annotation::AwsSolutions-COG8': expect.stringMatching(/ESSENTIALS plan/) },
    ]);
    expect(auth.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')).toEqual([]);
  });

  test('prod acknowledges nothing on the user pool', () => {
    const { auth } = synthesize('prod');
    expect(auth.userPool.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')).toEqual([]);
  });
});

describe('IAM in every preset', () => {
  test.each(PRESET_NAMES)('%s: no IAM policy has a wildcard action or resource, and no AWS managed policy is attached', (preset) => {
    const { template } = synthesize(preset);
    const documents = [
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((r) => r.Properties.PolicyDocument),
      ...Object.values(template.findResources('AWS::IAM::Policy')).map((r) => r.Properties.PolicyDocument),
    ];
    const statements = documents.flatMap((d) => d.Statement);
    for (const statement of statements) {
      const actions = [statement.Action].flat();
      const resources = [statement.Resource].flat();
      expect(actions.filter((a: unknown) => typeof a === 'string' && a.includes('*'))).toEqual([]);
      expect(resources.filter((r: unknown) => typeof r === 'string' && r.includes('*'))).toEqual([]);
    }
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    }
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('a wildcard policy is caught by the check above', () => {
    const stack = new Stack(new App(), 'Wild');
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName))
      .toEqual(expect.arrayContaining(['AwsSolutions-IAM5[Action::s3:*]', 'AwsSolutions-IAM5[Resource::*]']));
  });
});
