import { FakeClock, GROUPS, MemoryStorage, StubCognito, makeUsers } from './export-stub';
import { ExportManifest, isExportManifest, parseJsonLines, isExportedUser, isExportedMembership } from '../../src/operations/backup/export-format';
import { LocalHmac, manifestMacMessage, sha256Hex } from '../../src/operations/backup/export-integrity';
import { exportUsers, kmsMacGenerator, parseEvent, readEnvironment, runIdFor } from '../../src/operations/backup/user-export.lambda';
import { DEFAULT_EXPORTER_OPTIONS, ExportCheckpoint, ExporterOptions, newRun, runExport } from '../../src/operations/backup/user-exporter';

const POOL = 'eu-west-3_TestPool1';
const OPTIONS: ExporterOptions = { ...DEFAULT_EXPORTER_OPTIONS, requestsPerSecond: 5, recordsPerFile: 50 };

function setup(userCount: number, stubOptions = {}) {
  const clock = new FakeClock();
  const users = makeUsers(userCount);
  const cognito = new StubCognito(users, clock, stubOptions);
  const storage = new MemoryStorage();
  return { clock, users, cognito, storage };
}

function readJsonl<T>(storage: MemoryStorage, prefix: string, files: string[], check: (v: unknown) => v is T): T[] {
  return files.flatMap((f) => parseJsonLines(storage.objects.get(prefix + f)!, f, check, 'a record'));
}

describe('user exporter', () => {
  test('exports 137 users across three ListUsers pages, every group and membership, and writes the manifest last', async () => {
    const { clock, users, cognito, storage } = setup(137);
    const outcome = await runExport(newRun(POOL, 'run-1', '2026-03-01T03:00:00.000Z'), {
      cognito, storage, clock, remainingMs: () => 900_000, continueWith: async () => { throw new Error('must not continue'); },
    }, OPTIONS);

    expect(outcome.status).toBe('complete');
    const manifest = (outcome as { manifest: ExportManifest }).manifest;
    const prefix = 'exports/2026-03-01/run-1/';
    expect(cognito.calls.filter((c) => c.op === 'ListUsers')).toHaveLength(3); // 60 + 60 + 17
    expect(manifest.counts).toEqual({ users: 137, groups: 3, memberships: users.reduce((n, u) => n + u.groups.length, 0) });
    expect(manifest.files.users).toEqual(['users-00001.jsonl', 'users-00002.jsonl', 'users-00003.jsonl']);
    expect(isExportManifest(JSON.parse(storage.objects.get(prefix + 'manifest.json')!))).toBe(true);
    expect([...storage.objects.keys()].pop()).toBe(prefix + 'manifest.json');

    const exported = readJsonl(storage, prefix, manifest.files.users, isExportedUser);
    expect(exported.map((u) => u.username)).toEqual(users.map((u) => u.username));
    expect(exported[42].attributes).toEqual(users[42].attributes);
    expect(exported[5]).toMatchObject({ enabled: false, sub: users[5].attributes.sub, createdAt: '2025-01-02T03:04:05.000Z' });
    const memberships = readJsonl(storage, prefix, manifest.files.memberships, isExportedMembership);
    expect(memberships.filter((m) => m.group === 'nurse').map((m) => m.username).sort())
      .toEqual(users.filter((u) => u.groups.includes('nurse')).map((u) => u.username).sort());
    expect(manifest.notExported.join(' ')).toMatch(/passwords.*TOTP/s);
  });

  test('never calls Cognito faster than the configured rate, so it stays far below the 30 RPS UserList quota', async () => {
    const { clock, cognito, storage } = setup(300);
    await runExport(newRun(POOL, 'run-rate', '2026-03-01T03:00:00.000Z'), {
      cognito, storage, clock, remainingMs: () => 900_000, continueWith: async () => undefined,
    }, OPTIONS);
    const gaps = cognito.calls.slice(1).map((c, i) => c.at - cognito.calls[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200); // 5 RPS
    // In any one-second window there are at most 5 calls.
    for (const call of cognito.calls) {
      expect(cognito.calls.filter((c) => c.at >= call.at && c.at < call.at + 1000).length).toBeLessThanOrEqual(5);
    }
  });

  test('backs off and retries throttled calls, losing and duplicating no user', async () => {
    const { clock, users, cognito, storage } = setup(75, { throttleCalls: [1, 2, 3, 5] });
    const random = () => 0.5;
    const outcome = await runExport(newRun(POOL, 'run-throttle', '2026-03-01T03:00:00.000Z'), {
      cognito, storage, clock, random, remainingMs: () => 900_000, continueWith: async () => undefined,
    }, OPTIONS);
    const manifest = (outcome as { manifest: ExportManifest }).manifest;
    expect(manifest.throttleRetries).toBe(4);
    expect(cognito.calls.filter((c) => c.throttled).map((c) => c.op)).toEqual(['ListUsers', 'ListUsers', 'ListUsers', 'ListUsers']);
    // Backoff doubles: 0.5 x 200, 0.5 x 400, 0.5 x 800 ms after the first three throttles (at least the 200 ms pace).
    const firstSuccess = cognito.calls.find((c) => !c.throttled)!;
    expect(firstSuccess.at - cognito.calls[0].at).toBeGreaterThanOrEqual(200 + 200 + 400);
    const exported = readJsonl(storage, 'exports/2026-03-01/run-throttle/', manifest.files.users, isExportedUser);
    expect(exported.map((u) => u.username)).toEqual(users.map((u) => u.username));
  });

  test('a throttle that outlasts every attempt fails the run with Cognito\'s error, and no manifest is written', async () => {
    const { clock, cognito, storage } = setup(61, { throttleCalls: [1, 2, 3] });
    await expect(runExport(newRun(POOL, 'run-fail', '2026-03-01T03:00:00.000Z'), {
      cognito, storage, clock, remainingMs: () => 900_000, continueWith: async () => undefined,
    }, { ...OPTIONS, maxAttempts: 3 })).rejects.toThrow(/Rate exceeded/);
    expect([...storage.objects.keys()].filter((k) => k.endsWith('manifest.json'))).toEqual([]);
  });

  test('checkpoints near the timeout and resumes in later invocations to the same result', async () => {
    const { clock, users, cognito, storage } = setup(250);
    // Each invocation may make six calls before its remaining time drops under the safety margin.
    let budget = 0;
    const continued: string[] = [];
    const deps = {
      cognito,
      storage,
      clock,
      remainingMs: () => (budget-- > 0 ? 900_000 : 30_000),
      continueWith: async (_checkpoint: ExportCheckpoint, key: string) => { continued.push(key); },
    };
    let start: ExportCheckpoint = newRun(POOL, 'run-resume', '2026-03-01T03:00:00.000Z');
    let outcome;
    for (let invocation = 0; invocation < 20; invocation++) {
      budget = 6;
      outcome = await runExport(start, deps, OPTIONS);
      if (outcome.status === 'complete') break;
      expect(outcome.checkpointKey).toBe('checkpoints/run-resume.json');
      // The next invocation gets the checkpoint in its event; the bucket keeps an identical copy.
      expect(JSON.parse(storage.objects.get(outcome.checkpointKey)!)).toEqual(outcome.checkpoint);
      start = JSON.parse(JSON.stringify(outcome.checkpoint));
    }
    expect(outcome!.status).toBe('complete');
    const manifest = (outcome as { manifest: ExportManifest }).manifest;
    expect(manifest.invocations).toBeGreaterThan(2);
    // The pace holds across invocation boundaries too.
    const gaps = cognito.calls.slice(1).map((c, i) => c.at - cognito.calls[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    expect(continued).toHaveLength(manifest.invocations - 1);
    const exported = readJsonl(storage, 'exports/2026-03-01/run-resume/', manifest.files.users, isExportedUser);
    expect(exported.map((u) => u.username)).toEqual(users.map((u) => u.username));
    const memberships = readJsonl(storage, 'exports/2026-03-01/run-resume/', manifest.files.memberships, isExportedMembership);
    expect(memberships).toHaveLength(users.reduce((n, u) => n + u.groups.length, 0));
    expect(new Set(memberships.map((m) => `${m.group}/${m.username}`)).size).toBe(memberships.length);
    // A checkpoint holds tokens and counts, never user data.
    const checkpoint = storage.objects.get('checkpoints/run-resume.json')!;
    expect(checkpoint).not.toMatch(/@clinic/i);
  });

  test('refuses a request rate that would crowd the application out of the UserList quota', async () => {
    const { clock, cognito, storage } = setup(1);
    await expect(runExport(newRun(POOL, 'r', '2026-03-01T03:00:00.000Z'), {
      cognito, storage, clock, remainingMs: () => 900_000, continueWith: async () => undefined,
    }, { ...OPTIONS, requestsPerSecond: 30 })).rejects.toThrow(/requestsPerSecond 30 is out of range; allowed: more than 0 and at most 25/);
  });
});

describe('user export handler', () => {
  const environment = { userPoolId: POOL, bucketName: 'backup-bucket', manifestKeyArn: 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001', options: OPTIONS };
  /** A context whose remaining time drops under the safety margin after `calls` checks. */
  const context = (calls: number) => {
    let left = calls;
    return {
      invokedFunctionArn: 'arn:aws:lambda:eu-west-3:111111111111:function:prod-medflow-cognito-user-export',
      getRemainingTimeInMillis: () => (left-- > 0 ? 900_000 : 30_000),
    };
  };

  test('rejects an event that is neither a schedule nor a continuation, saying what it expects', () => {
    expect(() => parseEvent({ hello: 'world' })).toThrow(/expected \{"source":"schedule"\|"manual".*or \{"checkpoint":\{...\}\}/);
    expect(() => parseEvent({ checkpoint: { runId: '../../etc', phase: 'users' } })).toThrow(/Invalid user export continuation: "checkpoint" does not have the shape/);
    expect(() => parseEvent(undefined)).toThrow(/Invalid user export event/);
  });

  test('retries of one scheduled invocation get the same run ID; manual runs get distinct ones', () => {
    const now = new Date('2026-03-01T03:00:07.123Z');
    const a = runIdFor({ source: 'schedule', executionId: 'abc-123/def' }, now);
    expect(a).toBe('20260301T030007Z-abc-123def');
    expect(runIdFor({ source: 'schedule', executionId: 'abc-123/def' }, now)).toBe(a);
    expect(runIdFor({ source: 'manual' }, now, () => 0.1)).not.toBe(runIdFor({ source: 'manual' }, now, () => 0.2));
  });

  test('continues through self-invocation and publishes the export metrics once, with counts only', async () => {
    const { clock, users, cognito, storage } = setup(130);
    const invocations: { arn: string; payload: { checkpoint: ExportCheckpoint } }[] = [];
    const logs: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
    try {
      const first = await exportUsers({ source: 'schedule', executionId: 'exec-1' }, context(2), {
        cognito, storage, clock, invoke: async (arn, payload) => { invocations.push({ arn, payload }); },
      }, environment);
      expect(first.status).toBe('continued');
      expect(invocations).toEqual([{
        arn: expect.stringMatching(/function:prod-medflow-cognito-user-export$/),
        payload: { checkpoint: expect.objectContaining({ runId: first.runId, userPoolId: POOL, phase: 'users', token: 'users-120' }) },
      }]);
      expect(Buffer.byteLength(JSON.stringify(invocations[0].payload))).toBeLessThan(2_000);
      const second = await exportUsers(JSON.parse(JSON.stringify(invocations[0].payload)), context(1_000), {
        cognito, storage, clock, invoke: async () => { throw new Error('must not continue'); },
      }, environment);
      expect(second).toEqual({ status: 'complete', runId: first.runId });
    } finally {
      spy.mockRestore();
    }
    const emf = logs.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      UserPoolId: POOL,
      UsersExported: 130,
      _aws: { CloudWatchMetrics: [{ Namespace: 'MedFlow/Cognito', Dimensions: [['UserPoolId']] }] },
    });
    for (const user of users) expect(logs.join('\n')).not.toContain(user.attributes.email);
  });

  test('fails instead of continuing when an invocation starts without time for a single call', async () => {
    const { clock, cognito, storage } = setup(10);
    const invoked: unknown[] = [];
    await expect(exportUsers({ source: 'manual' }, context(0), {
      cognito, storage, clock, invoke: async (_arn, payload) => { invoked.push(payload); },
    }, environment)).rejects.toThrow(/less than the 60000 ms safety margin; raise the function timeout or lower SAFETY_MARGIN_SECONDS/);
    expect(invoked).toEqual([]);
  });

  test('refuses a checkpoint of another user pool', async () => {
    const { clock, cognito, storage } = setup(1);
    const checkpoint = newRun('eu-west-3_Other', 'other', '2026-03-01T03:00:00.000Z');
    await expect(exportUsers({ checkpoint }, context(1_000), {
      cognito, storage, clock, invoke: async () => undefined,
    }, environment)).rejects.toThrow(/The checkpoint of run other belongs to user pool eu-west-3_Other, not eu-west-3_TestPool1; refusing to continue it/);
  });

  test('reads its settings from the environment and names what is missing or malformed', () => {
    expect(() => readEnvironment({})).toThrow(/USER_POOL_ID and BUCKET_NAME must be set/);
    expect(() => readEnvironment({ USER_POOL_ID: POOL, BUCKET_NAME: 'b' })).toThrow(/MANIFEST_KEY_ARN must be the ARN of the KMS HMAC key that signs export manifests .*got nothing/);
    expect(() => readEnvironment({ USER_POOL_ID: POOL, BUCKET_NAME: 'b', MANIFEST_KEY_ARN: 'alias/x' })).toThrow(/MANIFEST_KEY_ARN must be .*got a value of another form/);
    const keyed = { USER_POOL_ID: POOL, BUCKET_NAME: 'b', MANIFEST_KEY_ARN: 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001' };
    expect(() => readEnvironment({ ...keyed, REQUESTS_PER_SECOND: 'fast' })).toThrow(/REQUESTS_PER_SECOND must be a number; got "fast"/);
    expect(readEnvironment({ ...keyed, REQUESTS_PER_SECOND: '3', SAFETY_MARGIN_SECONDS: '90' }))
      .toMatchObject({ manifestKeyArn: 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001', options: { requestsPerSecond: 3, safetyMarginMs: 90_000 } });
  });

  test('the stub exercises group paging: three groups come back over two ListGroups pages', async () => {
    const { clock, cognito, storage } = setup(3);
    await runExport(newRun(POOL, 'g', '2026-03-01T03:00:00.000Z'), { cognito, storage, clock, remainingMs: () => 900_000, continueWith: async () => undefined }, OPTIONS);
    expect(cognito.calls.filter((c) => c.op === 'ListGroups')).toHaveLength(2);
    expect(JSON.parse(storage.objects.get('exports/2026-03-01/g/manifest.json')!).counts.groups).toBe(GROUPS.length);
  });
});

describe('the signed manifest', () => {
  const key = new LocalHmac(Buffer.alloc(32, 3), 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001');

  test('records the SHA-256 of every file and a MAC over itself that verifies with the export key only', async () => {
    const { clock, cognito, storage } = setup(137);
    const outcome = await runExport(newRun(POOL, 'run-signed', '2026-03-01T03:00:00.000Z'), {
      cognito, storage, clock, signer: key, remainingMs: () => 900_000, continueWith: async () => undefined,
    }, OPTIONS);
    if (outcome.status !== 'complete') throw new Error('expected a complete run');
    const prefix = 'exports/2026-03-01/run-signed/';
    const manifest = JSON.parse(storage.objects.get(prefix + 'manifest.json')!) as ExportManifest;
    const files = [...manifest.files.users, ...manifest.files.groups, ...manifest.files.memberships];
    expect(Object.keys(manifest.digests).sort()).toEqual([...files].sort());
    for (const file of files) expect(manifest.digests[file]).toBe(sha256Hex(storage.objects.get(prefix + file)!));
    expect(manifest.signature).toMatchObject({ algorithm: 'HMAC_SHA_256', keyId: 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001' });
    const mac = Buffer.from(manifest.signature!.mac, 'base64');
    await expect(key.verifyMac(manifestMacMessage(manifest), mac)).resolves.toBe(true);
    await expect(new LocalHmac(Buffer.alloc(32, 4)).verifyMac(manifestMacMessage(manifest), mac)).resolves.toBe(false);
    const changed = { ...manifest, counts: { ...manifest.counts, users: 138 } };
    await expect(key.verifyMac(manifestMacMessage(changed), mac)).resolves.toBe(false);
  });

  test('a run continued over several invocations carries the digests of earlier files in its checkpoint', async () => {
    const { clock, cognito, storage } = setup(250);
    let remaining = 3;
    let outcome = await runExport(newRun(POOL, 'run-split', '2026-03-01T03:00:00.000Z'), {
      cognito, storage, clock, signer: key, remainingMs: () => (remaining-- > 0 ? 900_000 : 0), continueWith: async () => undefined,
    }, OPTIONS);
    expect(outcome.status).toBe('continued');
    if (outcome.status !== 'continued') return;
    expect(Object.keys(outcome.checkpoint.digests ?? {})).toEqual(outcome.checkpoint.files.users);
    outcome = await runExport(JSON.parse(JSON.stringify(outcome.checkpoint)), {
      cognito, storage, clock, signer: key, remainingMs: () => 900_000, continueWith: async () => undefined,
    }, OPTIONS);
    if (outcome.status !== 'complete') throw new Error('expected a complete run');
    expect(Object.keys(outcome.manifest.digests)).toHaveLength(
      outcome.manifest.files.users.length + outcome.manifest.files.groups.length + outcome.manifest.files.memberships.length);
  });

  test('a run resumed from a checkpoint without digests refuses to write an unverifiable manifest', async () => {
    const { clock, cognito, storage } = setup(10);
    const start = { ...newRun(POOL, 'run-old', '2026-03-01T03:00:00.000Z'), phase: 'manifest' as const, files: { users: ['users-00001.jsonl'], groups: [], memberships: [] }, invocations: 1 };
    await expect(runExport(start, { cognito, storage, clock, signer: key, remainingMs: () => 900_000, continueWith: async () => undefined }, OPTIONS))
      .rejects.toThrow(/Run run-old has no digest for users-00001.jsonl; start a new export run/);
  });

  test('the Lambda signs with KMS GenerateMac on the configured key, HMAC_SHA_256', async () => {
    const sent: { input: Record<string, unknown> }[] = [];
    const generator = kmsMacGenerator({ send: async (command: { input: Record<string, unknown> }) => { sent.push(command); return { Mac: new Uint8Array([1, 2]) }; } } as never, 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001');
    await expect(generator.generateMac(Buffer.from('m'))).resolves.toEqual(new Uint8Array([1, 2]));
    expect(sent[0].input).toMatchObject({ KeyId: 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001', MacAlgorithm: 'HMAC_SHA_256' });
  });
});
