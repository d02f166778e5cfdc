import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminUserGlobalSignOutCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSender, SmokeTestConfig, runSmokeTest, totp } from '../../../examples/pipeline/smoke-test';
import { HealthcareAttributes } from '../../../src';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const PASSWORD = 'Canary-Passw0rd-not-printed!';
const NOW = 1_700_000_000_000;

/** A fake Cognito: one pool and one canary user, recording every call. */
class FakeCognito implements CognitoSender {
  public readonly calls: { name: string; input: any }[] = [];
  public pool: Record<string, any> = {
    Id: 'eu-west-3_Example',
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    SchemaAttributes: [{ Name: 'email' }, ...HealthcareAttributes.definitions().map((d) => ({ Name: `custom:${d.name}` }))],
    MfaConfiguration: 'ON',
    DeletionProtection: 'ACTIVE',
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    LambdaConfig: { PreAuthentication: 'arn:pre', PostAuthentication: 'arn:post' },
  };
  public mfa = true;
  public firstChallenge?: string;

  public async send(command: any): Promise<any> {
    this.calls.push({ name: command.constructor.name, input: command.input });
    if (command instanceof DescribeUserPoolCommand) return { UserPool: this.pool };
    if (command instanceof AdminInitiateAuthCommand) {
      if (command.input.AuthParameters?.PASSWORD !== PASSWORD) throw Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' });
      if (this.firstChallenge) return { ChallengeName: this.firstChallenge, Session: 'session-1' };
      return this.mfa ? { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'session-1' } : { AuthenticationResult: { AccessToken: 'access-token' } };
    }
    if (command instanceof AdminRespondToAuthChallengeCommand) {
      const ok = command.input.Session === 'session-1' && command.input.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE === totp(RFC_SECRET, NOW);
      if (!ok) throw Object.assign(new Error('Invalid code received for user'), { name: 'CodeMismatchException' });
      return { AuthenticationResult: { AccessToken: 'access-token' } };
    }
    if (command instanceof AdminUserGlobalSignOutCommand) return {};
    throw new Error(`unexpected command ${command.constructor.name}`);
  }
}

function config(overrides: Partial<SmokeTestConfig> = {}): SmokeTestConfig {
  return {
    environmentName: 'prod',
    userPoolId: 'eu-west-3_Example',
    canaryClientId: 'canary-client',
    canary: { username: 'canary@medflow.example', password: PASSWORD, totpSecret: RFC_SECRET },
    now: () => NOW,
    ...overrides,
  };
}

const failed = (results: { name: string; ok: boolean }[]) => results.filter((r) => !r.ok).map((r) => r.name);

describe('TOTP', () => {
  test.each([
    [59_000, '287082'],
    [1_111_111_109_000, '081804'],
    [1_234_567_890_000, '005924'],
    [20_000_000_000_000, '353130'],
  ])('matches RFC 6238 at %d ms', (ms, code) => {
    expect(totp(RFC_SECRET, ms)).toBe(code);
  });

  test('8 digits match the RFC table too', () => {
    expect(totp(RFC_SECRET, 59_000, 8)).toBe('94287082');
  });

  test('a secret with a non-base32 character is refused with the allowed alphabet', () => {
    expect(() => totp('GEZDGNB1', NOW)).toThrow(/invalid base32 character "1"; allowed: A-Z and 2-7/);
  });
});

describe('smoke test', () => {
  test('a prod pool as the preset builds it passes every check; the canary answers the MFA challenge and is signed out', async () => {
    const cognito = new FakeCognito();
    const results = await runSmokeTest(cognito, config());
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual([
      'user pool exists', 'email is the username', 'usernames are case-insensitive', 'healthcare attributes present',
      'MFA as the preset sets it', 'deletion protection active', 'self sign-up off', 'lockout triggers attached', 'canary user signs in',
    ]);
    expect(cognito.calls.map((c) => c.name)).toEqual([
      'DescribeUserPoolCommand', 'AdminInitiateAuthCommand', 'AdminRespondToAuthChallengeCommand', 'AdminUserGlobalSignOutCommand',
    ]);
    expect(cognito.calls[1].input).toMatchObject({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: 'canary-client' });
  });

  test('results never carry the password, the code or a token', async () => {
    const results = await runSmokeTest(new FakeCognito(), config());
    const printed = JSON.stringify(results);
    expect(printed).not.toContain(PASSWORD);
    expect(printed).not.toContain(totp(RFC_SECRET, NOW));
    expect(printed).not.toContain('access-token');
  });

  test('configuration drift fails the matching checks', async () => {
    const cognito = new FakeCognito();
    cognito.pool = {
      ...cognito.pool,
      UsernameConfiguration: { CaseSensitive: true },
      SchemaAttributes: cognito.pool.SchemaAttributes.filter((a: { Name: string }) => a.Name !== 'custom:npi_number'),
      MfaConfiguration: 'OPTIONAL',
      DeletionProtection: 'INACTIVE',
      LambdaConfig: {},
    };
    const results = await runSmokeTest(cognito, config());
    expect(failed(results)).toEqual([
      'usernames are case-insensitive', 'healthcare attributes present', 'MFA as the preset sets it', 'deletion protection active', 'lockout triggers attached',
    ]);
    expect(results.find((r) => r.name === 'healthcare attributes present')!.detail).toBe('missing custom:npi_number');
  });

  test('dev: MFA off, no challenge, deletion protection not checked', async () => {
    const cognito = new FakeCognito();
    cognito.mfa = false;
    cognito.pool = { ...cognito.pool, MfaConfiguration: 'OFF', DeletionProtection: 'INACTIVE' };
    const results = await runSmokeTest(cognito, config({ environmentName: 'dev', canary: { username: 'canary@medflow.example', password: PASSWORD } }));
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.name)).not.toContain('deletion protection active');
    expect(cognito.calls.map((c) => c.name)).not.toContain('AdminRespondToAuthChallengeCommand');
  });

  test('a canary that still needs setup fails with the challenge name and is not signed out', async () => {
    const cognito = new FakeCognito();
    cognito.firstChallenge = 'NEW_PASSWORD_REQUIRED';
    const results = await runSmokeTest(cognito, config());
    expect(results.at(-1)).toEqual({ name: 'canary user signs in', ok: false, detail: expect.stringMatching(/unexpected challenge NEW_PASSWORD_REQUIRED/) });
    expect(cognito.calls.map((c) => c.name)).not.toContain('AdminUserGlobalSignOutCommand');
  });

  test('an MFA challenge without a TOTP secret fails the sign-in check', async () => {
    const results = await runSmokeTest(new FakeCognito(), config({ canary: { username: 'canary@medflow.example', password: PASSWORD } }));
    expect(results.at(-1)).toMatchObject({ ok: false, detail: 'MFA challenge, but the canary secret has no totpSecret' });
  });

  test('a wrong TOTP code (clock off by more than a step) rejects the run', async () => {
    await expect(runSmokeTest(new FakeCognito(), config({ now: () => NOW + 90_000 }))).rejects.toThrow(/Invalid code/);
  });

  test('a wrong password rejects the run with Cognito\'s error, which names no secret', async () => {
    await expect(runSmokeTest(new FakeCognito(), config({ canary: { username: 'canary@medflow.example', password: 'wrong', totpSecret: RFC_SECRET } })))
      .rejects.toThrow(/^Incorrect username or password\.$/);
  });
});
