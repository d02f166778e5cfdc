/*
 * No acknowledgement reason may claim something the resolved configuration contradicts: that the
 * environment holds only synthetic data, that it is not production, that reserved concurrency is
 * off, that a risk was accepted, and so on. Each claim below is a phrase a reason may use and the
 * condition under which it is true; every reason recorded in a stack is checked against all of them.
 */
import { App, Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { DataClassification, EnvironmentPreset, MedflowCognitoProps } from '../../src';
import { resolveConfiguration } from '../../src/config/resolve';
import { ResolvedConfiguration } from '../../src/config/resolved-configuration';
import { listAcknowledgements } from '../../src/internal/acknowledgements';
import { PresetName, presetFor, presetProps, synthesize } from '../helpers';

interface Claim {
  readonly claim: string;
  readonly pattern: RegExp;
  readonly holds: (config: ResolvedConfiguration) => boolean;
}

const synthetic = (c: ResolvedConfiguration) => c.environment.dataClassification === DataClassification.SYNTHETIC && !c.environment.production;
const presetsReserve = (...names: PresetName[]) => names.every((name) => presetFor(name).settings.reserveTriggerConcurrency === true);

const CLAIMS: Claim[] = [
  { claim: 'holds only synthetic data', pattern: /synthetic|no patient data|no PHI|disposable/i, holds: synthetic },
  { claim: 'is not production', pattern: /is not production|not a production/i, holds: (c) => !c.environment.production },
  { claim: 'is production', pattern: /in the production environment/i, holds: (c) => c.environment.production },
  { claim: 'accepted the risk of no MFA', pattern: /allowProductionWithoutMfa|accepting this risk/i, holds: (c) => c.environment.productionWithoutMfaAccepted },
  { claim: 'accepted Cognito\'s own email sender', pattern: /allowCognitoDefaultEmail|Cognito's own sender/i, holds: (c) => c.email.defaultSenderAccepted },
  { claim: 'reserved concurrency is off', pattern: /reserved concurrency is off|reserveConcurrency is false/i, holds: (c) => !c.triggers.reserveConcurrency },
  { claim: 'the function needs no reservation', pattern: /without protecting anything|protects nothing/i, holds: () => false },
  { claim: 'staging and prod reserve concurrency', pattern: /staging and prod (presets )?reserve/i, holds: () => presetsReserve('staging', 'prod') },
  { claim: 'MFA is off', pattern: /MFA is off/i, holds: (c) => c.settings.mfa === cognito.Mfa.OFF },
  { claim: 'MFA is optional', pattern: /MFA as optional/i, holds: (c) => c.settings.mfa === cognito.Mfa.OPTIONAL },
  { claim: 'threat protection is audit-only', pattern: /audit-only mode/i, holds: (c) => c.settings.threatProtectionMode === cognito.StandardThreatProtectionMode.AUDIT_ONLY },
  { claim: 'runs on a plan other than Plus', pattern: /ESSENTIALS|LITE/, holds: (c) => c.settings.featurePlan !== cognito.FeaturePlan.PLUS },
  { claim: 'CloudFormation waits for a synchronous answer', pattern: /CloudFormation[^.]*(\bsynchronously|nothing is queued)/i, holds: () => false },
];

interface Variant {
  readonly name: string;
  readonly preset: PresetName;
  readonly overrides: Partial<MedflowCognitoProps>;
}

const VARIANTS: Variant[] = [
  { name: 'dev', preset: 'dev', overrides: {} },
  { name: 'staging', preset: 'staging', overrides: {} },
  { name: 'prod', preset: 'prod', overrides: {} },
  { name: 'prod without reserved concurrency', preset: 'prod', overrides: { securityTriggers: { reserveConcurrency: false } } },
  { name: 'dev with reserved concurrency', preset: 'dev', overrides: { securityTriggers: { reserveConcurrency: true } } },
  { name: 'prod without MFA, risk accepted', preset: 'prod', overrides: { enableMfa: false, allowProductionWithoutMfa: true } },
  { name: 'prod on Cognito\'s sender, risk accepted', preset: 'prod', overrides: { email: undefined, allowCognitoDefaultEmail: true } },
  { name: 'staging on Cognito\'s sender, risk accepted', preset: 'staging', overrides: { email: undefined, allowCognitoDefaultEmail: true } },
  { name: 'dev classified PHI', preset: 'dev', overrides: { preset: EnvironmentPreset.dev().withOverrides({ dataClassification: DataClassification.PHI }) } },
];

function resolved(variant: Variant): ResolvedConfiguration {
  const stack = new Stack(new App(), 'Resolve', { env: { region: 'eu-west-1' } });
  return resolveConfiguration(stack, presetProps(variant.preset, variant.overrides));
}

describe.each(VARIANTS)('acknowledgement reasons in $name', (variant) => {
  const config = resolved(variant);
  const { stack } = synthesize(variant.preset, variant.overrides);
  const acknowledgements = listAcknowledgements(stack);

  test('the environment records acknowledgements at all', () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
  });

  test.each(CLAIMS)('a reason claims "$claim" only when it is true', ({ pattern, holds }) => {
    const claiming = acknowledgements.filter((a) => pattern.test(a.reason));
    const wrong = holds(config) ? [] : claiming.map((a) => `${a.id} on ${a.path}: ${a.reason}`);
    expect(wrong).toEqual([]);
  });
});

test('each claim is made somewhere where it holds, so the patterns match the reasons the library writes', () => {
  const made = new Set<string>();
  for (const variant of VARIANTS) {
    const config = resolved(variant);
    for (const a of listAcknowledgements(synthesize(variant.preset, variant.overrides).stack)) {
      for (const claim of CLAIMS) if (claim.holds(config) && claim.pattern.test(a.reason)) made.add(claim.claim);
    }
  }
  expect([...made].sort()).toEqual(expect.arrayContaining([
    'holds only synthetic data', 'is not production', 'accepted the risk of no MFA', 'reserved concurrency is off', 'MFA is off', 'MFA is optional', 'threat protection is audit-only',
    'accepted Cognito\'s own email sender',
  ]));
});

describe('the acknowledgement of Cognito\'s own email sender', () => {
  const SES_RULE = 'Medflow.Healthcare-CognitoProductionEmailThroughSes';
  const sesAcknowledgements = (preset: PresetName, overrides: Partial<MedflowCognitoProps> = {}) =>
    listAcknowledgements(synthesize(preset, overrides).stack).filter((a) => a.id === SES_RULE);

  test('is recorded on the pool resource, naming the accepted risk, when prod accepts it with allowCognitoDefaultEmail', () => {
    expect(sesAcknowledgements('prod', { email: undefined, allowCognitoDefaultEmail: true })).toEqual([{
      id: SES_RULE,
      path: expect.stringMatching(/\/Auth\/UserPool\/Resource$/),
      reason: expect.stringMatching(/production environment prod .*allowCognitoDefaultEmail: true.*50 emails a day/),
    }]);
  });

  test('is absent where prod sends through SES, even with allowCognitoDefaultEmail set', () => {
    expect(sesAcknowledgements('prod')).toEqual([]);
    expect(sesAcknowledgements('prod', { allowCognitoDefaultEmail: true })).toEqual([]);
  });

  test('is absent outside production, where the rule does not apply', () => {
    expect(sesAcknowledgements('staging', { email: undefined, allowCognitoDefaultEmail: true })).toEqual([]);
    expect(sesAcknowledgements('dev')).toEqual([]);
  });
});
