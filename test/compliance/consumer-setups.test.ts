/*
 * A consumer may run either cdk-nag generation. Both must see zero findings from the library's
 * internals in every preset:
 * - cdk-nag 2 registers packs as Aspects and reports through annotations; it reads
 *   `cdk_nag.rules_to_suppress` from each resource.
 * - cdk-nag 3 runs packs through `validateScope()` (or as validation plugins on newer aws-cdk-lib)
 *   and reads the acknowledgement construct metadata.
 */
import { App, Aspects, Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as nagV3 from 'cdk-nag';
import * as nagV2 from 'cdk-nag-v2';
import { MedflowCognito, MedflowHealthcareChecks } from '../../src';
import { PRESET_NAMES, PresetName, presetProps } from '../helpers';

const V2_PACK_MESSAGES = /^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R5)-|^CdkNag(ValidationFailure|Suppression)/;

function v2Stack(build: (stack: Stack) => void): Stack {
  const app = new App();
  const stack = new Stack(app, 'Consumer', { env: { region: 'eu-west-1' } });
  build(stack);
  const props = { logIgnores: true, verbose: true };
  for (const pack of [new nagV2.AwsSolutionsChecks(props), new nagV2.HIPAASecurityChecks(props), new nagV2.NIST80053R5Checks(props)]) {
    Aspects.of(stack).add(pack);
  }
  app.synth();
  return stack;
}

function messages(stack: Stack, kind: 'findError' | 'findWarning' | 'findInfo'): string[] {
  return Annotations.fromStack(stack)[kind]('*', Match.anyValue())
    .map((m) => String(m.entry.data))
    .filter((m) => V2_PACK_MESSAGES.test(m));
}

function medflow(preset: PresetName) {
  return (stack: Stack) => new MedflowCognito(stack, 'Auth', presetProps(preset));
}

describe('consumer on cdk-nag 2 (Aspects)', () => {
  test('the v2 packs under test report a deliberately weak user pool', () => {
    const stack = v2Stack((s) => new cognito.UserPool(s, 'Weak', { mfa: cognito.Mfa.OFF }));
    expect(messages(stack, 'findError').join('\n')).toMatch(/^AwsSolutions-COG8:/m);
    expect(messages(stack, 'findWarning').join('\n')).toMatch(/^AwsSolutions-COG2:/m);
  });

  test.each(PRESET_NAMES)('%s: no error or warning annotation from AwsSolutions, HIPAA Security or NIST 800-53 rev 5', (preset) => {
    const stack = v2Stack(medflow(preset));
    expect(messages(stack, 'findError')).toEqual([]);
    expect(messages(stack, 'findWarning')).toEqual([]);
  });

  test('the findings are silenced by the library\'s acknowledgements, which v2 logs with their reasons', () => {
    const suppressed = messages(v2Stack(medflow('dev')), 'findInfo');
    expect(suppressed.join('\n')).toMatch(/AwsSolutions-COG2 was triggered but suppressed\.\s+Provided reason: "The dev environment holds only synthetic test users/);
  });
});

describe('consumer on cdk-nag 3 (validateScope)', () => {
  const packs = () => [new nagV3.AwsSolutionsChecks(), new nagV3.HIPAASecurityChecks(), new nagV3.NIST80053R5Checks(), new MedflowHealthcareChecks()];

  test.each(PRESET_NAMES)('%s: no violation from any pack, the healthcare pack included', (preset) => {
    const app = new App();
    const stack = new Stack(app, 'Consumer', { env: { region: 'eu-west-1' } });
    medflow(preset)(stack);
    app.synth();
    const violations = packs().flatMap((p) => p.validateScope(stack).violations.map((v) => v.ruleName));
    expect(violations).toEqual([]);
  });

  test('the same packs report a deliberately weak user pool', () => {
    const app = new App();
    const stack = new Stack(app, 'Consumer');
    new cognito.UserPool(stack, 'Weak', { mfa: cognito.Mfa.OFF });
    app.synth();
    const violations = packs().flatMap((p) => p.validateScope(stack).violations.map((v) => v.ruleName));
    expect(violations).toEqual(expect.arrayContaining(['AwsSolutions-COG2', 'Medflow.Healthcare-CognitoDeletionProtection']));
  });
});
