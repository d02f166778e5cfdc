import { Duration, RemovalPolicy, aws_cognito as cognito, aws_logs as logs } from 'aws-cdk-lib';
import { EnvironmentPreset } from '../src';

describe('EnvironmentPreset', () => {
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

  test('custom() keeps the given settings', () => {
    const custom = EnvironmentPreset.custom({ ...EnvironmentPreset.prod().settings, environmentName: 'qa', accessTokenValidity: Duration.minutes(30) });
    expect(custom.environmentName).toBe('qa');
    expect(custom.isProduction).toBe(false);
    expect(custom.settings.accessTokenValidity.toMinutes()).toBe(30);
  });
});
