import { App, CfnResource, Stack, Validations, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeRules, listAcknowledgements } from '../../src/compliance/acknowledgements';

const REASON = 'The function is a fixture for this test and is never deployed anywhere.';

function functionWithManagedPolicy(): { stack: Stack; fn: lambda.Function } {
  const stack = new Stack(new App(), 'Fixture');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  fn.role!.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  return { stack, fn };
}

describe('acknowledgeRules', () => {
  test('cdk-nag v3 honours IDs holding "::" several times, which Validations.acknowledge() rejects', () => {
    const managedPolicyRule = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
    const { stack, fn } = functionWithManagedPolicy();
    const before = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(before).toEqual(expect.arrayContaining([managedPolicyRule, 'AwsSolutions-IAM5[Resource::*]']));

    acknowledgeRules(fn, { id: managedPolicyRule, reason: REASON }, { id: 'AwsSolutions-IAM5[Resource::*]', reason: REASON });
    const after = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(after).not.toContain(managedPolicyRule);
    expect(after).not.toContain('AwsSolutions-IAM5[Resource::*]');
  });

  test('an acknowledgement covers only the construct it is recorded on', () => {
    const { stack } = functionWithManagedPolicy();
    const other = new lambda.Function(stack, 'Other', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
    });
    acknowledgeRules(other, { id: 'AwsSolutions-IAM5[Resource::*]', reason: REASON });
    const violation = new AwsSolutionsChecks().validateScope(stack).violations.find((v) => v.ruleName === 'AwsSolutions-IAM5[Resource::*]');
    expect(violation?.violatingResources.map((r) => r.constructPath)).toEqual(['Fixture/Fn/ServiceRole/DefaultPolicy/Resource']);
  });

  test('writes v2 cdk_nag metadata on every CloudFormation resource below, split into id and applies_to', () => {
    const { fn } = functionWithManagedPolicy();
    acknowledgeRules(fn, { id: 'AwsSolutions-IAM5[Resource::*]', reason: REASON }, { id: 'AwsSolutions-L1', reason: REASON });
    const resource = fn.node.defaultChild as lambda.CfnFunction;
    expect(resource.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [
        { id: 'AwsSolutions-IAM5', reason: REASON, applies_to: ['Resource::*'] },
        { id: 'AwsSolutions-L1', reason: REASON },
      ],
    });
    const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    expect(policy.getMetadata('cdk_nag').rules_to_suppress).toHaveLength(2);
  });

  test.each(['', 'ok', 'Not needed here', 'This reason is long enough but has no full stop at the end'])('rejects the vague reason %p', (reason) => {
    const { fn } = functionWithManagedPolicy();
    expect(() => acknowledgeRules(fn, { id: 'AwsSolutions-L1', reason })).toThrow(/Acknowledgement of AwsSolutions-L1 needs a specific reason of at least 40 characters/);
  });

  test('listAcknowledgements reports path, rule and reason', () => {
    const { stack, fn } = functionWithManagedPolicy();
    acknowledgeRules(fn, { id: 'AwsSolutions-L1', reason: REASON });
    expect(listAcknowledgements(stack)).toEqual([{ path: 'Fixture/Fn', id: 'AwsSolutions-L1', reason: REASON }]);
  });
});

test('listAcknowledgements counts each rule once when Validations.acknowledge() repeats earlier rules in later entries', () => {
  const stack = new Stack(new App(), 'Repeated');
  const queue = new CfnResource(stack, 'Thing', { type: 'AWS::SQS::Queue' });
  Validations.of(queue).acknowledge(
    { id: 'HIPAA.Security-SQSQueueSSLRequestsOnly', reason: 'The queue is a test fixture that never receives a message.' },
    { id: 'NIST.800.53.R5-SQSQueueSSLRequestsOnly', reason: 'The queue is a test fixture that never receives a message.' },
  );
  expect(listAcknowledgements(stack).map((a) => a.id)).toEqual(['HIPAA.Security-SQSQueueSSLRequestsOnly', 'NIST.800.53.R5-SQSQueueSSLRequestsOnly']);
});
