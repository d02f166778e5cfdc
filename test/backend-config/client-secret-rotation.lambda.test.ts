import { CLIENT_ID, Clock, FakeCognito, FakeSecretsManager, POOL_ID, SECRET_ARN, installFakes } from './fake-aws';
import { CLEANUP_ACTION, CleanupResult, ClientSecretValue, ORPHAN_MINIMUM_AGE_MS, RotationStep, handler } from '../../src/backend-config/client-secret-rotation.lambda';

const HOUR = 3600 * 1000;
const GRACE_MS = 24 * HOUR;

let clock: Clock;
let cognito: FakeCognito;
let secrets: FakeSecretsManager;
let logged: string[];
let initialSecretId: string;

function value(stage: string): ClientSecretValue {
  return JSON.parse(secrets.valueAt(stage)!);
}

function step(Step: RotationStep, token: string) {
  return handler({ Step, SecretId: SECRET_ARN, ClientRequestToken: token });
}

async function rotate(token: string): Promise<void> {
  secrets.startRotation(token);
  for (const s of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) await step(s, token);
}

async function cleanup(): Promise<CleanupResult> {
  return (await handler({ action: CLEANUP_ACTION }))!;
}

beforeEach(() => {
  process.env.USER_POOL_ID = POOL_ID;
  process.env.CLIENT_ID = CLIENT_ID;
  process.env.SECRET_ARN = SECRET_ARN;
  process.env.GRACE_PERIOD_SECONDS = String(GRACE_MS / 1000);
  clock = new Clock();
  cognito = new FakeCognito(clock);
  secrets = new FakeSecretsManager(clock);
  installFakes(clock, cognito, secrets);
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logged.push(String(line)); });
  jest.spyOn(console, 'error').mockImplementation((line: string) => { logged.push(String(line)); });

  // The client as deployed: one secret, copied into Secrets Manager by the sync (without its identifier).
  const initial = cognito.createClientSecret();
  initialSecretId = initial.id;
  clock.advance(60_000);
  secrets.putCurrent(JSON.stringify({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: initial.value }));
  clock.advance(HOUR);
});

afterEach(() => {
  jest.restoreAllMocks();
  // Whatever happened, no secret value reached a log line.
  const output = logged.join('\n');
  for (const secretValue of cognito.everGenerated) expect(output).not.toContain(secretValue);
});

describe('a full rotation', () => {
  test('adds a second secret, makes it AWSCURRENT with its identifier, and keeps the old one valid', async () => {
    const before = value('AWSCURRENT');
    await rotate('token-1');

    const current = value('AWSCURRENT');
    expect(current).toEqual({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: expect.stringMatching(/^[a-z0-9]{51}$/), clientSecretId: expect.any(String) });
    expect(current.clientSecret).not.toEqual(before.clientSecret);
    expect(secrets.versionAt('AWSCURRENT')).toBe('token-1');
    expect(value('AWSPREVIOUS').clientSecret).toBe(before.clientSecret);
    // Both secrets are active: the backend still using the old one keeps working.
    expect(cognito.ids()).toEqual([initialSecretId, current.clientSecretId]);
    expect(cognito.calls.filter((c) => c === 'DeleteUserPoolClientSecretCommand')).toEqual([]);
  });

  test('the old secret is deleted by the cleanup only after the grace period', async () => {
    await rotate('token-1');
    const newId = value('AWSCURRENT').clientSecretId!;

    clock.advance(GRACE_MS - 60_000);
    expect(await cleanup()).toEqual({ deleted: [], kept: [initialSecretId, newId] });
    expect(cognito.ids()).toEqual([initialSecretId, newId]);

    clock.advance(60_000);
    expect(await cleanup()).toEqual({ deleted: [initialSecretId], kept: [newId] });
    expect(cognito.ids()).toEqual([newId]);

    // Rerunning the cleanup changes nothing.
    expect(await cleanup()).toEqual({ deleted: [], kept: [newId] });
  });

  test('a second rotation inside the grace period is refused with the time it may run; after it, it replaces the oldest', async () => {
    await rotate('token-1');
    const firstId = value('AWSCURRENT').clientSecretId!;
    clock.advance(HOUR);
    secrets.startRotation('token-2');
    await expect(step('createSecret', 'token-2')).rejects.toThrow(
      new RegExp(`already has two active secrets; the previous one \\(${initialSecretId}\\) stays valid until 2026-01-02T13:0`));
    expect(cognito.ids()).toEqual([initialSecretId, firstId]);

    clock.advance(GRACE_MS);
    await step('createSecret', 'token-2');
    const pendingId = (JSON.parse(secrets.valueAt('AWSPENDING')!) as ClientSecretValue).clientSecretId;
    expect(cognito.ids()).toEqual([firstId, pendingId]);
    for (const s of ['setSecret', 'testSecret', 'finishSecret'] as const) await step(s, 'token-2');
    expect(value('AWSCURRENT').clientSecretId).toBe(pendingId);
    expect(value('AWSPREVIOUS').clientSecretId).toBe(firstId);
  });
});

describe('each step can be rerun after a failure', () => {
  test('createSecret rerun after success adds nothing and keeps the pending value', async () => {
    secrets.startRotation('token-1');
    await step('createSecret', 'token-1');
    const pending = secrets.valueAt('AWSPENDING');
    await step('createSecret', 'token-1');
    expect(secrets.valueAt('AWSPENDING')).toBe(pending);
    expect(cognito.calls.filter((c) => c === 'AddUserPoolClientSecretCommand')).toHaveLength(1);
    expect(cognito.secrets).toHaveLength(2);
  });

  test('createSecret that failed after Cognito added the secret deletes that orphan on the rerun', async () => {
    secrets.startRotation('token-1');
    secrets.failNext('PutSecretValueCommand', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(step('createSecret', 'token-1')).rejects.toThrow(/ThrottlingException: Rate exceeded/);
    const [, orphan] = cognito.ids();
    expect(cognito.secrets).toHaveLength(2);

    clock.advance(1000);
    await step('createSecret', 'token-1');
    const pending = JSON.parse(secrets.valueAt('AWSPENDING')!) as ClientSecretValue;
    expect(cognito.ids()).toEqual([initialSecretId, pending.clientSecretId]);
    expect(pending.clientSecretId).not.toBe(orphan);
  });

  test('createSecret that failed before adding anything succeeds on the rerun', async () => {
    secrets.startRotation('token-1');
    cognito.failNext('AddUserPoolClientSecretCommand', Object.assign(new Error('Internal error'), { name: 'InternalErrorException' }));
    await expect(step('createSecret', 'token-1')).rejects.toThrow(/InternalErrorException/);
    expect(cognito.secrets).toHaveLength(1);
    await step('createSecret', 'token-1');
    expect(cognito.secrets).toHaveLength(2);
  });

  test('setSecret and testSecret reruns succeed and change nothing', async () => {
    secrets.startRotation('token-1');
    await step('createSecret', 'token-1');
    cognito.failNext('ListUserPoolClientSecretsCommand', Object.assign(new Error('Too many requests'), { name: 'TooManyRequestsException' }));
    await expect(step('setSecret', 'token-1')).rejects.toThrow(/TooManyRequestsException/);
    await step('setSecret', 'token-1');
    await step('setSecret', 'token-1');
    await step('testSecret', 'token-1');
    await step('testSecret', 'token-1');
    expect(cognito.secrets).toHaveLength(2);
    expect(secrets.versionAt('AWSCURRENT')).not.toBe('token-1');
  });

  test('finishSecret that failed is completed by the rerun, and a further rerun is a no-op', async () => {
    secrets.startRotation('token-1');
    for (const s of ['createSecret', 'setSecret', 'testSecret'] as const) await step(s, 'token-1');
    const previousVersion = secrets.versionAt('AWSCURRENT');
    secrets.failNext('UpdateSecretVersionStageCommand', Object.assign(new Error('Service unavailable'), { name: 'InternalServiceError' }));
    await expect(step('finishSecret', 'token-1')).rejects.toThrow(/InternalServiceError/);
    expect(secrets.versionAt('AWSCURRENT')).toBe(previousVersion);

    await step('finishSecret', 'token-1');
    expect(secrets.versionAt('AWSCURRENT')).toBe('token-1');
    await step('finishSecret', 'token-1');
    expect(secrets.versionAt('AWSCURRENT')).toBe('token-1');
    expect(secrets.versionAt('AWSPREVIOUS')).toBe(previousVersion);
  });
});

describe('refusals name what is wrong', () => {
  test('testSecret fails when the pending secret was deleted outside the rotation', async () => {
    secrets.startRotation('token-1');
    await step('createSecret', 'token-1');
    const pendingId = (JSON.parse(secrets.valueAt('AWSPENDING')!) as ClientSecretValue).clientSecretId!;
    cognito.secrets = cognito.secrets.filter((s) => s.id !== pendingId);
    await expect(step('testSecret', 'token-1')).rejects.toThrow(new RegExp(`pending client secret ${pendingId} \\(version token-1\\) is not active on client ${CLIENT_ID}`));
  });

  test('testSecret accepts a pending copy of the current value (Secrets Manager\'s configuration test) and rejects any other value without identifier', async () => {
    secrets.startRotation('token-1');
    secrets.versions.get('token-1')!.value = secrets.valueAt('AWSCURRENT');
    await step('testSecret', 'token-1');

    secrets.startRotation('token-2');
    secrets.versions.get('token-2')!.value = JSON.stringify({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: 'x'.repeat(40) });
    await expect(step('testSecret', 'token-2')).rejects.toThrow(/has no clientSecretId and is not the current value/);
  });

  test('a pending value of another client is rejected', async () => {
    secrets.startRotation('token-1');
    secrets.versions.get('token-1')!.value = JSON.stringify({ userPoolId: POOL_ID, clientId: 'someotherclient', clientSecret: 'y'.repeat(40), clientSecretId: 'x--1' });
    await expect(step('testSecret', 'token-1')).rejects.toThrow(/malformed: clientId "someotherclient" is not testclient/);
  });

  test('a secret created after the current value is an orphan, even when the current value carries no identifier', async () => {
    const orphan = cognito.createClientSecret();
    secrets.startRotation('token-1');
    await step('createSecret', 'token-1');
    expect(cognito.secrets.map((x) => x.value)).not.toContain(orphan.value);
    expect(cognito.calls).toContain('DeleteUserPoolClientSecretCommand');
    expect(cognito.ids()[0]).toBe(initialSecretId);
    expect(cognito.secrets).toHaveLength(2);
  });

  test('two secrets older than a current value without identifier stop createSecret instead of guessing', async () => {
    cognito.createClientSecret();
    clock.advance(1000);
    secrets.putCurrent(secrets.valueAt('AWSCURRENT')!);
    secrets.startRotation('token-1');
    await expect(step('createSecret', 'token-1')).rejects.toThrow(/Cannot tell which of the 2 active secrets .* delete the one not in use/);
    expect(cognito.secrets).toHaveLength(2);
    expect(await cleanup()).toEqual(expect.objectContaining({ deleted: [], note: expect.stringMatching(/cannot tell/) }));
  });

  test('rotation disabled, an unknown version, a version not pending', async () => {
    secrets.startRotation('token-1');
    secrets.rotationEnabled = false;
    await expect(step('createSecret', 'token-1')).rejects.toThrow(/Rotation is not enabled on secret/);
    secrets.rotationEnabled = true;
    await expect(step('createSecret', 'token-9')).rejects.toThrow(/Version token-9 is not a version of secret/);
    secrets.versions.set('token-3', { stages: ['CUSTOM'], createdAt: clock.now });
    await expect(step('createSecret', 'token-3')).rejects.toThrow(/is not staged AWSPENDING \(stages: CUSTOM\)/);
  });

  test('malformed events and configuration list every problem', async () => {
    await expect(handler({ Step: 'deleteEverything', SecretId: 'arn:other', ClientRequestToken: '' } as never)).rejects.toThrow(
      /Invalid rotation event: Step "deleteEverything" \(expected one of createSecret, setSecret, testSecret, finishSecret\); ClientRequestToken \(expected a non-empty string\); SecretId "arn:other" \(this function rotates only arn:aws:secretsmanager/);
    delete process.env.CLIENT_ID;
    process.env.GRACE_PERIOD_SECONDS = 'soon';
    await expect(cleanup()).rejects.toThrow(/Missing environment variables: CLIENT_ID/);
    process.env.CLIENT_ID = CLIENT_ID;
    await expect(cleanup()).rejects.toThrow(/GRACE_PERIOD_SECONDS must be a whole number of seconds, got "soon"/);
  });
});

describe('cleanup', () => {
  test('an orphan is kept while a createSecret could still be storing it, then deleted', async () => {
    await rotate('token-1');
    clock.advance(GRACE_MS);
    await cleanup();
    const currentId = value('AWSCURRENT').clientSecretId!;
    const orphan = cognito.createClientSecret();
    clock.advance(ORPHAN_MINIMUM_AGE_MS - 1000);
    expect(await cleanup()).toEqual({ deleted: [], kept: [currentId, orphan.id] });
    clock.advance(1000);
    expect(await cleanup()).toEqual({ deleted: [orphan.id], kept: [currentId] });
  });

  test('a rotation in progress keeps its pending secret', async () => {
    await rotate('token-1');
    clock.advance(GRACE_MS);
    await cleanup();
    secrets.startRotation('token-2');
    await step('createSecret', 'token-2');
    clock.advance(GRACE_MS);
    const result = await cleanup();
    expect(result.deleted).toEqual([]);
    expect(result.kept).toHaveLength(2);
  });

  test('before any rotation there is nothing to delete', async () => {
    expect(await cleanup()).toEqual({ deleted: [], kept: [initialSecretId] });
  });
});

describe('no secret value in logs or errors', () => {
  test('an SDK error that quotes the secret is redacted before it is logged or thrown', async () => {
    const currentSecret = value('AWSCURRENT').clientSecret;
    secrets.startRotation('token-1');
    await step('createSecret', 'token-1');
    const pendingSecret = (JSON.parse(secrets.valueAt('AWSPENDING')!) as ClientSecretValue).clientSecret;
    cognito.failNext('ListUserPoolClientSecretsCommand',
      Object.assign(new Error(`Secret ${pendingSecret} rejected; previous ${currentSecret}`), { name: 'InvalidParameterException' }));

    const failure = step('setSecret', 'token-1');
    await expect(failure).rejects.toThrow(/InvalidParameterException: Secret \[REDACTED\] rejected; previous \[REDACTED\]/);
    const error = await failure.catch((e: Error) => e);
    expect(`${(error as Error).message}\n${(error as Error).stack}`).not.toContain(pendingSecret);
    expect(logged.join('\n')).toContain('[REDACTED]');
  });

  test('a whole rotation and cleanup log identifiers, never a value', async () => {
    await rotate('token-1');
    clock.advance(GRACE_MS);
    await cleanup();
    const output = logged.join('\n');
    for (const v of [...cognito.everGenerated, ...secrets.allValues()]) expect(output).not.toContain(v);
    expect(output).toContain(value('AWSCURRENT').clientSecretId!);
    expect(logged.map((l) => JSON.parse(l).level)).not.toContain('ERROR');
  });
});
