import { Duration, RemovalPolicy, aws_cognito as cognito, aws_logs as logs } from 'aws-cdk-lib';
import { DataClassification, EnvironmentPreset, PresetOverrides, PresetSettings } from '../../src';

// PresetOverrides repeats PresetSettings member for member, all optional (jsii has no Partial<>). This does
// not compile when a member is added to one and not the other.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const overridesMirrorSettings: SameKeys<Required<PresetOverrides>, Required<PresetSettings>> = true;

describe('EnvironmentPreset', () => {
  test('PresetOverrides names every setting of PresetSettings', () => {
    expect(overridesMirrorSettings).toBe(true);
  });

  test.each([
    ['dev', EnvironmentPreset.dev(), cognito.Mfa.OFF, 8, 0, 8, false, cognito.FeaturePlan.ESSENTIALS, 10, 5, false, RemovalPolicy.DESTROY, logs.RetentionDays.ONE_MONTH],
    ['staging', EnvironmentPreset.staging(), cognito.Mfa.OPTIONAL, 12, 5, 1, true, cognito.FeaturePlan.PLUS, 5, 30, true, RemovalPolicy.RETAIN, logs.RetentionDays.ONE_YEAR],
    ['prod', EnvironmentPreset.prod(), cognito.Mfa.REQUIRED, 12, 10, 1, true, cognito.FeaturePlan.PLUS, 5, 30, true, RemovalPolicy.RETAIN, logs.RetentionDays.SIX_YEARS],
  ])('%s matches the preset table', (name, preset, mfa, minLength, history, tokenHours, secret, plan, attempts, lockMinutes, identityPool, removal, retention) => {
    const s = preset.settings;
    expect(preset.environmentName).toBe(name);
    expect(s.mfa).toBe(mfa);
    expect(s.passwordMinimumLength).toBe(minLength);
    expect(s.passwordHistorySize).toBe(history);
    expect(s.accessTokenValidity.toHours()).toBe(tokenHours);
    expect(s.idTokenValidity.toHours()).toBe(tokenHours);
    expect(s.refreshTokenValidity.toDays()).toBe(30);
    expect(s.generateClientSecret).toBe(secret);
    expect(s.featurePlan).toBe(plan);
    expect(s.lockoutMaxAttempts).toBe(attempts);
    expect(s.lockoutDuration.toMinutes()).toBe(lockMinutes);
    expect(s.enableIdentityPool).toBe(identityPool);
    expect(s.deletionProtection).toBe(identityPool);
    expect(s.removalPolicy).toBe(removal);
    expect(s.logRetention).toBe(retention);
    expect(s.enableHostedUi).toBe(true);
    expect(s.selfSignUpEnabled).toBe(false);
  });

  test('threat protection: off in dev, audit in staging, enforced in prod', () => {
    expect(EnvironmentPreset.dev().settings.threatProtectionMode).toBe(cognito.StandardThreatProtectionMode.NO_ENFORCEMENT);
    expect(EnvironmentPreset.staging().settings.threatProtectionMode).toBe(cognito.StandardThreatProtectionMode.AUDIT_ONLY);
    expect(EnvironmentPreset.prod().settings.threatProtectionMode).toBe(cognito.StandardThreatProtectionMode.FULL_FUNCTION);
  });

  test('USER_PASSWORD_AUTH only outside prod; alarms and backup only outside dev', () => {
    expect([EnvironmentPreset.dev(), EnvironmentPreset.staging(), EnvironmentPreset.prod()].map((p) => [
      p.settings.allowUserPasswordAuth, p.settings.enableAlarms, p.settings.enableBackup, p.isProduction,
    ])).toEqual([[true, false, false, false], [true, true, true, false], [false, true, true, true]]);
  });

  test('passkeys: off in dev, on in staging and prod', () => {
    expect([EnvironmentPreset.dev(), EnvironmentPreset.staging(), EnvironmentPreset.prod()].map((p) => p.settings.enablePasskeys))
      .toEqual([false, true, true]);
  });

  test('each call returns independent settings', () => {
    expect(EnvironmentPreset.prod()).not.toBe(EnvironmentPreset.prod());
    expect(EnvironmentPreset.prod().settings).toEqual(EnvironmentPreset.prod().settings);
  });

  test('production is explicit: true for prod, false for dev and staging, whatever the name', () => {
    expect([EnvironmentPreset.dev(), EnvironmentPreset.staging(), EnvironmentPreset.prod()].map((p) => p.settings.production))
      .toEqual([false, false, true]);
    expect(EnvironmentPreset.staging().withOverrides({ environmentName: 'prod' }).isProduction).toBe(false);
    expect(EnvironmentPreset.prod().withOverrides({ environmentName: 'prodeu' }).isProduction).toBe(true);
  });

  test('data classification: synthetic in dev, PHI in staging and prod', () => {
    expect([EnvironmentPreset.dev(), EnvironmentPreset.staging(), EnvironmentPreset.prod()].map((p) => p.settings.dataClassification))
      .toEqual([DataClassification.SYNTHETIC, DataClassification.PHI, DataClassification.PHI]);
  });

  test('withOverrides changes only the members it sets and leaves the base preset alone', () => {
    const base = EnvironmentPreset.prod();
    const derived = base.withOverrides({ environmentName: 'prodeu', accessTokenValidity: Duration.minutes(30), mfa: undefined });
    expect(derived.environmentName).toBe('prodeu');
    expect(derived.settings.accessTokenValidity.toMinutes()).toBe(30);
    expect(derived.settings.mfa).toBe(cognito.Mfa.REQUIRED);
    expect({ ...derived.settings, environmentName: 'prod', accessTokenValidity: base.settings.accessTokenValidity }).toEqual(base.settings);
    expect(base.environmentName).toBe('prod');
    expect(base.settings.accessTokenValidity.toHours()).toBe(1);
  });

  test('settings are frozen', () => {
    const settings = EnvironmentPreset.prod().settings as { environmentName: string };
    expect(() => { settings.environmentName = 'changed'; }).toThrow(TypeError);
  });

  test('custom() keeps the given settings and fills the optional ones from prod or staging by production', () => {
    const { enableReplacementGuard, dataClassification, reserveTriggerConcurrency, ...required } = EnvironmentPreset.dev().settings;
    expect([enableReplacementGuard, dataClassification, reserveTriggerConcurrency]).toEqual([false, DataClassification.SYNTHETIC, false]);
    const qa = EnvironmentPreset.custom({ ...required, environmentName: 'qa', accessTokenValidity: Duration.minutes(30) });
    expect(qa.environmentName).toBe('qa');
    expect(qa.isProduction).toBe(false);
    expect(qa.settings.accessTokenValidity.toMinutes()).toBe(30);
    expect(qa.settings.mfa).toBe(cognito.Mfa.OFF);
    // Left out: taken from staging, the non-production base, not from dev.
    expect([qa.settings.enableReplacementGuard, qa.settings.dataClassification, qa.settings.reserveTriggerConcurrency])
      .toEqual([true, DataClassification.PHI, true]);
    const live = EnvironmentPreset.custom({ ...required, production: true, mfa: cognito.Mfa.REQUIRED });
    expect(live.isProduction).toBe(true);
    expect(live.settings.dataClassification).toBe(DataClassification.PHI);
  });

  test('refresh-token rotation: off in dev, on in staging and prod; custom() takes it from its base', () => {
    expect([EnvironmentPreset.dev(), EnvironmentPreset.staging(), EnvironmentPreset.prod()].map((p) => p.settings.refreshTokenRotation))
      .toEqual([false, true, true]);
    const { refreshTokenRotation: _rotation, ...withoutRotation } = EnvironmentPreset.dev().settings;
    expect(EnvironmentPreset.custom({ ...withoutRotation, environmentName: 'qa' }).settings.refreshTokenRotation).toBe(true);
    expect(EnvironmentPreset.staging().withOverrides({ refreshTokenRotation: false }).settings.refreshTokenRotation).toBe(false);
  });

  test('custom() without production names the setting and what is allowed', () => {
    const { production: _production, ...withoutProduction } = EnvironmentPreset.prod().settings;
    expect(() => EnvironmentPreset.custom(withoutProduction as PresetSettings))
      .toThrow(/EnvironmentPreset\.custom: invalid settings\.production null; allowed: true or false/);
  });
});
