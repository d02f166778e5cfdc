import { App, CfnResource, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MedflowHealthcareChecks, MedflowHealthcareChecksProps } from '../../../src';
import { ENVIRONMENT_METADATA_KEY } from '../../../src/internal/compliance-packs';

/** A stack built by `build`, synthesized (so tags apply), then checked: `Rule[finding] @ path`, sorted. */
export function healthcareFindings(build: (stack: Stack) => void, props?: MedflowHealthcareChecksProps): string[] {
  return checkFixture(build, props).map(({ rule, path }) => `${rule} @ ${path}`).sort();
}

/** The violations of one rule only, as `Rule[finding] @ path` with the pack prefix removed. */
export function ruleFindings(rule: string, build: (stack: Stack) => void, props?: MedflowHealthcareChecksProps): string[] {
  return healthcareFindings(build, props)
    .filter((f) => f.startsWith(`${MedflowHealthcareChecks.PACK_NAME}-${rule}`))
    .map((f) => f.replace(`${MedflowHealthcareChecks.PACK_NAME}-`, ''));
}

/** Every violation with its description. */
export function checkFixture(
  build: (stack: Stack) => void, props?: MedflowHealthcareChecksProps,
): { rule: string; path: string; description: string }[] {
  const app = new App();
  const stack = new Stack(app, 'Fixture', { env: { region: 'eu-west-1' } });
  build(stack);
  Template.fromStack(stack);
  return new MedflowHealthcareChecks(props).validateScope(stack).violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '', description: v.description })));
}

/** A do-nothing function for triggers and rotation. */
export function inlineFunction(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
  });
}

/** Records on an L1 pool what `MedflowCognito` records on its own: production and data classification. */
export function recordAs(pool: CfnResource, production: boolean, dataClassification: 'PHI' | 'synthetic'): void {
  pool.addMetadata(ENVIRONMENT_METADATA_KEY, { production, dataClassification });
}
