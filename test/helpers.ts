import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EmailSender, EnvironmentPreset, MedflowCognito, MedflowCognitoProps } from '../src';

export type PresetName = 'dev' | 'staging' | 'prod';
export const PRESET_NAMES: PresetName[] = ['dev', 'staging', 'prod'];

export function presetFor(name: PresetName): EnvironmentPreset {
  return { dev: EnvironmentPreset.dev, staging: EnvironmentPreset.staging, prod: EnvironmentPreset.prod }[name]();
}

export interface Synthesized {
  readonly stack: Stack;
  readonly auth: MedflowCognito;
  readonly template: Template;
}

/** The SES sender the staging and prod presets require; dev keeps Cognito's own sender. */
export const TEST_EMAIL = EmailSender.ses({ fromAddress: 'no-reply@clinic.example', fromName: 'MedFlow' });

/** The props a preset needs besides `overrides`: an SES sender outside dev. */
export function presetProps(preset: PresetName, overrides: Partial<MedflowCognitoProps> = {}): MedflowCognitoProps {
  return { preset: presetFor(preset), ...(preset === 'dev' ? {} : { email: TEST_EMAIL }), ...overrides };
}

const shared = new Map<PresetName, Synthesized>();

/**
 * One stack holding one MedflowCognito built from `preset` plus `overrides`.
 *
 * Without overrides the stack is built once per test file and shared by every assertion that reads
 * it; it is locked, so a test that adds a construct to it fails instead of changing what the
 * others read. Use `synthesizeFresh` for a stack a test changes.
 */
export function synthesize(preset: PresetName, overrides: Partial<MedflowCognitoProps> = {}): Synthesized {
  if (Object.keys(overrides).length > 0) return synthesizeFresh(preset, overrides);
  let synthesized = shared.get(preset);
  if (!synthesized) {
    synthesized = synthesizeFresh(preset);
    for (const child of synthesized.stack.node.findAll()) child.node.lock();
    shared.set(preset, synthesized);
  }
  return synthesized;
}

/** A new stack holding one MedflowCognito built from `preset` plus `overrides`, for a test that changes it. */
export function synthesizeFresh(preset: PresetName, overrides: Partial<MedflowCognitoProps> = {}): Synthesized {
  const app = new App();
  const stack = new Stack(app, `Test-${preset}`, { env: { region: 'eu-west-1' } });
  const auth = new MedflowCognito(stack, 'Auth', presetProps(preset, overrides));
  return { stack, auth, template: Template.fromStack(stack) };
}

/** Builds the construct only, for props that must fail before synthesis. */
export function construct(preset: PresetName, overrides: Partial<MedflowCognitoProps> = {}): MedflowCognito {
  const stack = new Stack(new App(), 'Props', { env: { region: 'eu-west-1' } });
  return new MedflowCognito(stack, 'Auth', presetProps(preset, overrides));
}
