// cdk-nag 2, which runs its packs as Aspects and reports through annotations: the library's three presets
// stay clean, and the same packs report a deliberately weak pool.
import * as assert from 'node:assert/strict';
import { App, Aspects, Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { EmailSender, EnvironmentPreset, MedflowCognito } from '@medflow/cognito-construct';
import { checkInstalledVersions } from './checks';

const PACK_FINDING = /^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R5)-|^CdkNag(ValidationFailure|Suppression)/;

function findings(stackName: string, build: (stack: Stack) => void): { errors: string[]; warnings: string[] } {
  const app = new App();
  const stack = new Stack(app, stackName, { env: { region: 'eu-west-1' } });
  build(stack);
  for (const pack of [new AwsSolutionsChecks({ verbose: true }), new HIPAASecurityChecks({ verbose: true }), new NIST80053R5Checks({ verbose: true })]) {
    Aspects.of(stack).add(pack);
  }
  app.synth();
  const messages = (kind: 'findError' | 'findWarning') => Annotations.fromStack(stack)[kind]('*', Match.anyValue())
    .map((m) => String(m.entry.data))
    .filter((m) => PACK_FINDING.test(m));
  return { errors: messages('findError'), warnings: messages('findWarning') };
}

checkInstalledVersions();

const weak = findings('Weak', (stack) => new cognito.UserPool(stack, 'Weak', { mfa: cognito.Mfa.OFF }));
assert.match(weak.errors.join('\n'), /^AwsSolutions-COG8:/m, 'cdk-nag 2 did not report the weak pool');
console.log(`nag-v2: the weak pool is reported (${weak.errors.length} errors, ${weak.warnings.length} warnings)`);

for (const [name, preset] of [['dev', EnvironmentPreset.dev()], ['staging', EnvironmentPreset.staging()], ['prod', EnvironmentPreset.prod()]] as const) {
  const result = findings(`MedflowAuth${name}`, (stack) => new MedflowCognito(stack, 'Auth', { preset, email: EmailSender.ses({ fromAddress: 'no-reply@clinic.example' }) }));
  assert.deepEqual(result, { errors: [], warnings: [] }, `${name}: cdk-nag 2 findings`);
  console.log(`nag-v2: ${name} is clean under AwsSolutions, HIPAA Security and NIST 800-53 rev 5`);
}
