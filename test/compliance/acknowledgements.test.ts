import { App, CfnResource, Stack, Validations, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Acknowledgements } from '../../src';
import { acknowledgeRules, findAcknowledgement, listAcknowledgements } from '../../src/internal/acknowledgements';
import { PRESET_NAMES, synthesize } from '../helpers';

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

  test.each([
    'False positive, this resource is fine for our use case today.',
    'Suppressed because the team agreed on it during the last review.',
    'By design: the function was built this way from the start.',
    'TODO: write the real reason once the architecture settles down.',
  ])('rejects the generic reason %p', (reason) => {
    const { fn } = functionWithManagedPolicy();
    expect(() => acknowledgeRules(fn, { id: 'AwsSolutions-L1', reason })).toThrow(/Acknowledgement of AwsSolutions-L1 needs a specific reason, not the generic/);
  });

  test('listAcknowledgements reports path, rule and reason', () => {
    const { stack, fn } = functionWithManagedPolicy();
    acknowledgeRules(fn, { id: 'AwsSolutions-L1', reason: REASON });
    expect(listAcknowledgements(stack)).toEqual([{ path: 'Fixture/Fn', id: 'AwsSolutions-L1', reason: REASON }]);
  });

  test('findAcknowledgement walks up from the resource to the nearest acknowledging construct', () => {
    const { fn } = functionWithManagedPolicy();
    acknowledgeRules(fn, { id: 'AwsSolutions-L1', reason: REASON });
    expect(findAcknowledgement(fn.node.defaultChild!, 'AwsSolutions-L1')).toEqual({ constructPath: 'Fixture/Fn', ruleId: 'AwsSolutions-L1', reason: REASON });
    expect(findAcknowledgement(fn.node.defaultChild!, 'AwsSolutions-IAM4')).toBeUndefined();
  });
});

describe('Acknowledgements (public API)', () => {
  test('add records what cdk-nag 3 honours and list returns it', () => {
    const { stack, fn } = functionWithManagedPolicy();
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toContain('AwsSolutions-IAM5[Resource::*]');
    Acknowledgements.add(fn.role!, { id: 'AwsSolutions-IAM5[Resource::*]', reason: REASON });
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).not.toContain('AwsSolutions-IAM5[Resource::*]');
    expect(Acknowledgements.list(stack)).toEqual([{ constructPath: 'Fixture/Fn/ServiceRole', ruleId: 'AwsSolutions-IAM5[Resource::*]', reason: REASON }]);
  });

  test('reasonProblem explains a weak reason and accepts a specific one', () => {
    expect(Acknowledgements.reasonProblem('X-1', 'Not applicable.')).toMatch(/needs a specific reason of at least 40 characters/);
    expect(Acknowledgements.reasonProblem('X-1', REASON)).toBeUndefined();
  });
});

/*
 * Every acknowledgement the library records, in every preset, read from both places a consumer's
 * cdk-nag reads them: construct metadata (v3) and template metadata (v2).
 */
describe('every acknowledgement in every preset', () => {
  const GENERIC = /\b(false positive|not applicable|n\/a|by design|accepted risk|suppress\w*|ignore\w*|todo|tbd|fixme|as discussed|for now|no reason)\b/i;

  function reasonDefects(reason: string): string[] {
    const defects: string[] = [];
    const words = reason.trim().split(/\s+/).filter((w) => /[a-z]/i.test(w));
    if (words.length < 12) defects.push(`only ${words.length} words`);
    if (!/^[A-Z]/.test(reason)) defects.push('does not start a sentence');
    if (!/[a-z0-9)]\.$/i.test(reason.trim())) defects.push('does not end with a full stop');
    const generic = GENERIC.exec(reason);
    if (generic) defects.push(`generic phrase "${generic[0]}"`);
    return defects;
  }

  test.each(PRESET_NAMES)('%s: each v3 reason is specific, and no reason covers two rules of one pack', (preset) => {
    const { stack } = synthesize(preset);
    const acks = Acknowledgements.list(stack);
    expect(acks.length).toBeGreaterThan(2);
    const defects = acks.flatMap((a) => reasonDefects(a.reason).map((d) => `${a.ruleId} on ${a.constructPath}: ${d}`));
    expect(defects).toEqual([]);

    const rulesByReason = new Map<string, Set<string>>();
    for (const a of acks) {
      const pack = a.ruleId.split('-')[0];
      const key = `${pack}\u0000${a.reason}`;
      rulesByReason.set(key, (rulesByReason.get(key) ?? new Set()).add(a.ruleId));
    }
    const shared = [...rulesByReason.entries()].filter(([, rules]) => rules.size > 1).map(([, rules]) => [...rules].join(' + '));
    expect(shared).toEqual([]);
  });

  test.each(PRESET_NAMES)('%s: the template carries exactly the v3 acknowledgements as v2 rules_to_suppress', (preset) => {
    const { stack, template } = synthesize(preset);
    const resources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
    type Suppression = { id: string; reason: string; applies_to?: string[] };
    const templateResources = template.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: Suppression[] } } }>;
    let checked = 0;
    for (const resource of resources) {
      const logicalId = stack.resolve(resource.logicalId) as string;
      const v2 = (templateResources[logicalId]?.Metadata?.cdk_nag?.rules_to_suppress ?? [])
        .map((r) => ({ id: r.applies_to ? `${r.id}[${r.applies_to.join(',')}]` : r.id, reason: r.reason }));
      // Every v2 entry is the v3 acknowledgement that covers this resource.
      for (const entry of v2) {
        expect(findAcknowledgement(resource, entry.id)?.reason).toBe(entry.reason);
        expect(reasonDefects(entry.reason)).toEqual([]);
        checked++;
      }
      // Every v3 acknowledgement on the resource or an ancestor inside the construct is in the template.
      const v3 = Acknowledgements.list(stack).filter((a) => resource.node.path === a.constructPath || resource.node.path.startsWith(`${a.constructPath}/`));
      expect(v2.map((e) => e.id).sort()).toEqual(v3.map((a) => a.ruleId).sort());
    }
    expect(checked).toBeGreaterThan(2);
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
