import { refuseMfaChange } from '../../examples/backend/passkey-mfa-guard';

const PROD = { mfaRequired: true };

describe('passkey MFA keeps one other MFA method (prod: MFA required, TOTP the other method)', () => {
  test('turning passkey MFA on needs TOTP already active', () => {
    expect(refuseMfaChange({ ...PROD, activeMethods: [], passkeyMfaEnabled: false }, { passkeyMfa: true }))
      .toMatch(/Set up an authenticator app \(TOTP\) before turning on passkey MFA/);
    expect(refuseMfaChange({ ...PROD, activeMethods: ['SOFTWARE_TOKEN_MFA'], passkeyMfaEnabled: false }, { passkeyMfa: true })).toBeUndefined();
  });

  test('turning passkey MFA on while turning TOTP off in the same request is refused', () => {
    expect(refuseMfaChange({ ...PROD, activeMethods: ['SOFTWARE_TOKEN_MFA'], passkeyMfaEnabled: false }, { passkeyMfa: true, totp: false }))
      .toMatch(/before turning on passkey MFA/);
  });

  test('TOTP cannot be turned off while passkey MFA is on, unless another method stays', () => {
    expect(refuseMfaChange({ ...PROD, activeMethods: ['SOFTWARE_TOKEN_MFA'], passkeyMfaEnabled: true }, { totp: false }))
      .toMatch(/Passkey MFA is on: keep your authenticator app \(TOTP\)/);
    expect(refuseMfaChange({ ...PROD, activeMethods: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'], passkeyMfaEnabled: true }, { totp: false })).toBeUndefined();
  });

  test('an unknown passkey MFA state counts as on', () => {
    expect(refuseMfaChange({ ...PROD, activeMethods: ['SOFTWARE_TOKEN_MFA'] }, { totp: false })).toMatch(/Passkey MFA is on/);
  });

  test('turning passkey MFA off is always allowed while TOTP stays', () => {
    expect(refuseMfaChange({ ...PROD, activeMethods: ['SOFTWARE_TOKEN_MFA'], passkeyMfaEnabled: true }, { passkeyMfa: false })).toBeUndefined();
  });

  test('with MFA required, the last method cannot go even without passkey MFA', () => {
    expect(refuseMfaChange({ ...PROD, activeMethods: ['SOFTWARE_TOKEN_MFA'], passkeyMfaEnabled: false }, { totp: false }))
      .toBe('MFA is required: keep at least one MFA method active.');
    expect(refuseMfaChange({ mfaRequired: false, activeMethods: ['SOFTWARE_TOKEN_MFA'], passkeyMfaEnabled: false }, { totp: false })).toBeUndefined();
  });

  test('turning TOTP on together with passkey MFA is accepted; unknown list entries do not count as a method', () => {
    expect(refuseMfaChange({ ...PROD, activeMethods: [], passkeyMfaEnabled: false }, { passkeyMfa: true, totp: true })).toBeUndefined();
    expect(refuseMfaChange({ ...PROD, activeMethods: ['WEB_AUTHN'], passkeyMfaEnabled: false }, { passkeyMfa: true })).toMatch(/before turning on passkey MFA/);
  });
});
