import * as fc from 'fast-check';
import { EMAIL, USERNAME, USER_POOL_ID, lineCollector, postAuthenticationEvent, preAuthenticationEvent } from './events';
import { FakeDynamoDb, DynamoDbError } from './fake-dynamodb';
import { TEST_USER_HASH, expectedUserHash } from './user-hash-fixture';
import {
  FAIL_CLOSED, FAIL_OPEN, LOCKED_MESSAGE, LockoutConfig, UNAVAILABLE_MESSAGE,
  createPostAuthenticationHandler, createPreAuthenticationHandler, lockoutConfigFromEnv,
} from '../../src/triggers/lockout/lockout-handlers';
import { recordAttempt } from '../../src/triggers/lockout/lockout-store';
import { lockKey } from '../../src/triggers/shared/trigger-log';

const TABLE = 'test-medflow-cognito-account-lockout';
const MAX = 5;
const WINDOW_S = 30 * 60;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
const KEY = lockKey(USER_POOL_ID, USERNAME);

function config(overrides: Partial<LockoutConfig> = {}, maxAttempts = MAX): () => LockoutConfig {
  return () => ({ policy: { tableName: TABLE, maxAttempts, lockoutSeconds: WINDOW_S }, failureMode: FAIL_OPEN, deadlineMs: 1500, ...overrides });
}

function setup(overrides: Partial<LockoutConfig> = {}, maxAttempts = MAX) {
  const db = new FakeDynamoDb(TABLE);
  const clock = { now: T0 };
  const log = lineCollector();
  const deps = { client: db, config: config(overrides, maxAttempts), now: () => clock.now, write: log.write, userHash: TEST_USER_HASH };
  return { db, clock, log, pre: createPreAuthenticationHandler(deps), post: createPostAuthenticationHandler(deps) };
}

function attempts(db: FakeDynamoDb, key = KEY): number | undefined {
  const n = db.peek(key)?.attempts?.N;
  return n === undefined ? undefined : Number(n);
}

describe('account lockout semantics', () => {
  test('maxAttempts attempts without a success are allowed; the next one inside the window is rejected with a generic message', async () => {
    const { pre, db } = setup();
    for (let i = 1; i <= MAX; i++) {
      await expect(pre(preAuthenticationEvent())).resolves.toMatchObject({ triggerSource: 'PreAuthentication_Authentication' });
    }
    expect(attempts(db)).toBe(MAX);
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    expect(LOCKED_MESSAGE).not.toMatch(/exist|unknown|not found|password/i);
  });

  test('an unknown username is counted and locked exactly like an existing one, so the answer reveals nothing', async () => {
    const { pre } = setup();
    const unknown = preAuthenticationEvent('nobody@clinic-one.example', true);
    for (let i = 0; i < MAX; i++) await pre(unknown);
    await expect(pre(unknown)).rejects.toThrow(LOCKED_MESSAGE);
  });

  test('PostAuthentication resets the count: attempts are counted since the last success', async () => {
    const { pre, post, db } = setup();
    for (let i = 0; i < MAX; i++) await pre(preAuthenticationEvent());
    await expect(post(postAuthenticationEvent())).resolves.toMatchObject({ triggerSource: 'PostAuthentication_Authentication' });
    expect(db.peek(KEY)).toBeUndefined();
    for (let i = 0; i < MAX; i++) await pre(preAuthenticationEvent());
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
  });

  test('a lock lasts lockoutDuration from the moment it is set: rejected attempts during it do not extend it', async () => {
    const { pre, clock, db } = setup();
    for (let i = 0; i < MAX; i++) await pre(preAuthenticationEvent()); // the fifth attempt sets the lock at T0
    clock.now = T0 + 20 * 60_000;
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    clock.now = T0 + 29 * 60_000;
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    clock.now = T0 + WINDOW_S * 1000 - 1;
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    // Rejected attempts still count (for the metric) ...
    expect(attempts(db)).toBe(MAX + 3);
    // ... but the lock ends lockoutDuration after it was set, not after the last attempt.
    clock.now = T0 + WINDOW_S * 1000;
    await expect(pre(preAuthenticationEvent())).resolves.toBeDefined();
    expect(attempts(db)).toBe(1);
  });

  test('an attacker trying every 29 minutes cannot keep the owner locked out: the owner signs in when each lock ends', async () => {
    const { pre, post, clock, log } = setup();
    for (let i = 0; i < MAX; i++) await pre(preAuthenticationEvent()); // lock set at T0
    const ownerAllowedAt: number[] = [];
    for (let minute = 29; minute <= 12 * 60; minute += 29) {
      clock.now = T0 + minute * 60_000;
      await pre(preAuthenticationEvent()).catch(() => undefined); // the attacker
      clock.now += 60_000; // the owner, one minute later
      const owner = await pre(preAuthenticationEvent()).then(() => true, () => false);
      if (owner) {
        ownerAllowedAt.push(minute + 1);
        await post(postAuthenticationEvent());
      }
    }
    // The only lock the attacker achieved ended 30 minutes after it was set; the owner got in at minute 30.
    // Afterwards the owner's own successful sign-ins reset the attacker's count each time.
    expect(ownerAllowedAt).toEqual(Array.from({ length: 24 }, (_, k) => 29 * (k + 1) + 1));
    expect(log.records().filter((r) => r.AccountLocked === 1)).toHaveLength(1);
  });

  test('each lock is reported once: a second lock after the first ended emits a second AccountLocked', async () => {
    const { pre, clock, log } = setup();
    for (let i = 0; i < MAX + 3; i++) await pre(preAuthenticationEvent()).catch(() => undefined);
    clock.now = T0 + WINDOW_S * 1000;
    for (let i = 0; i < MAX + 3; i++) await pre(preAuthenticationEvent()).catch(() => undefined);
    expect(log.records().filter((r) => r.AccountLocked === 1)).toHaveLength(2);
    expect(log.records().filter((r) => r.event === 'attempt_rejected_locked')).toHaveLength(6);
  });

  test('property: for any attack schedule, the owner is let through lockoutDuration after the attacker stops', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 40 * 60_000 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 3 * WINDOW_S * 1000 }),
      async (gaps, after) => {
        const { pre, clock, db } = setup();
        db.latencyMs = () => 0;
        for (const gap of gaps) {
          clock.now += gap;
          await pre(preAuthenticationEvent()).catch(() => undefined);
        }
        clock.now += WINDOW_S * 1000 + after;
        await expect(pre(preAuthenticationEvent())).resolves.toBeDefined();
      },
    ), { numRuns: 200 });
  });

  test('property: for any attack schedule, every answer matches the reference model, and no rejection comes lockoutDuration or more after the lock was set', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 40 * 60_000 }), { minLength: 1, maxLength: 60 }),
      async (gaps) => {
        const { pre, clock, db } = setup();
        db.latencyMs = () => 0;
        // Reference model: attempts count since the count started; the MAXth sets a lock of WINDOW_S.
        let count = 0;
        let last = -Infinity;
        let lockSetAt: number | undefined;
        for (const gap of gaps) {
          clock.now += gap;
          const live = lockSetAt !== undefined ? clock.now < lockSetAt + WINDOW_S * 1000 : count > 0 && clock.now - last < WINDOW_S * 1000;
          if (!live) {
            count = 0;
            lockSetAt = undefined;
          }
          count++;
          last = clock.now;
          if (count === MAX && lockSetAt === undefined) lockSetAt = clock.now;
          const allowed = await pre(preAuthenticationEvent()).then(() => true, () => false);
          expect(allowed).toBe(count <= MAX);
          if (!allowed) expect(clock.now - lockSetAt!).toBeLessThan(WINDOW_S * 1000);
        }
        expect(attempts(db)).toBe(count);
      },
    ), { numRuns: 200 });
  });

  test('the lock expires by itself once lockoutDuration has passed since the last attempt', async () => {
    const { pre, clock, db } = setup();
    for (let i = 0; i <= MAX; i++) await pre(preAuthenticationEvent()).catch(() => undefined);
    clock.now += WINDOW_S * 1000 - 1;
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    clock.now += WINDOW_S * 1000;
    await expect(pre(preAuthenticationEvent())).resolves.toBeDefined();
    expect(attempts(db)).toBe(1);
  });

  test('a record DynamoDB still holds after its TTL reads as expired', async () => {
    const { pre, db } = setup();
    // Locked long ago: TTL passed two days ago, but DynamoDB has not deleted the item yet.
    const lastAttempt = T0 - 3 * 24 * 3600_000;
    db.seed(KEY, { attempts: { N: '40' }, lastAttemptAt: { N: String(lastAttempt) }, expiresAt: { N: String(lastAttempt / 1000 + WINDOW_S) } });
    await expect(pre(preAuthenticationEvent())).resolves.toBeDefined();
    expect(db.peek(KEY)).toEqual({
      pk: { S: KEY },
      attempts: { N: '1' },
      lastAttemptAt: { N: String(T0) },
      expiresAt: { N: String(T0 / 1000 + WINDOW_S) },
    });
  });

  test('the item stores only the hash of the username, and its TTL is lockoutDuration after the last attempt', async () => {
    const { pre, db } = setup();
    await pre(preAuthenticationEvent());
    expect(db.peek(KEY)).toEqual({
      pk: { S: KEY },
      attempts: { N: '1' },
      lastAttemptAt: { N: String(T0) },
      expiresAt: { N: String(T0 / 1000 + WINDOW_S) },
    });
    expect(JSON.stringify(db.peek(KEY))).not.toContain(USERNAME);
  });

  test('the key is case-insensitive and scoped to the user pool', () => {
    expect(lockKey(USER_POOL_ID, EMAIL.toUpperCase())).toBe(lockKey(USER_POOL_ID, EMAIL));
    expect(lockKey('eu-west-3_Other0000', EMAIL)).not.toBe(lockKey(USER_POOL_ID, EMAIL));
    expect(lockKey(USER_POOL_ID, EMAIL)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the dev preset thresholds (10 attempts, 5 minutes) apply as configured', async () => {
    const db = new FakeDynamoDb(TABLE);
    const clock = { now: T0 };
    const pre = createPreAuthenticationHandler({
      client: db,
      now: () => clock.now,
      write: () => undefined,
      userHash: TEST_USER_HASH,
      config: () => ({ policy: { tableName: TABLE, maxAttempts: 10, lockoutSeconds: 300 }, failureMode: FAIL_OPEN, deadlineMs: 1500 }),
    });
    for (let i = 0; i < 10; i++) await pre(preAuthenticationEvent());
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    clock.now += 300_000;
    await expect(pre(preAuthenticationEvent())).resolves.toBeDefined();
  });
});

describe('atomic counting', () => {
  test('20 concurrent attempts on one user produce exactly 20 counts', async () => {
    const { pre, db } = setup({}, 100);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => pre(preAuthenticationEvent())));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(attempts(db)).toBe(20);
    expect(db.callsFor(KEY)).toHaveLength(20);
  });

  test('20 concurrent attempts against a limit of 5 admit exactly 5 and reject 15', async () => {
    const { pre, db, log } = setup();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => pre(preAuthenticationEvent())));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(15);
    expect(attempts(db)).toBe(20);
    // Exactly one attempt saw the transition to locked.
    expect(log.records().filter((r) => r.AccountLocked === 1)).toHaveLength(1);
  });

  test('20 concurrent attempts on an expired record restart the window once and count all 20', async () => {
    const { pre, db } = setup({}, 100);
    db.seed(KEY, { attempts: { N: '9' }, lastAttemptAt: { N: String(T0 - WINDOW_S * 1000) }, expiresAt: { N: '1' } });
    await Promise.all(Array.from({ length: 20 }, () => pre(preAuthenticationEvent())));
    expect(attempts(db)).toBe(20);
  });

  test('the fake table exposes lost updates: a read-then-write counter loses counts under the same load', async () => {
    const db = new FakeDynamoDb(TABLE);
    const naive = async () => {
      const { Item } = await db.getItem({ TableName: TABLE, Key: { pk: { S: KEY } } });
      await db.updateItem({
        TableName: TABLE,
        Key: { pk: { S: KEY } },
        UpdateExpression: 'SET attempts = :n',
        ExpressionAttributeValues: { ':n': { N: String(Number(Item?.attempts?.N ?? 0) + 1) } },
      });
    };
    await Promise.all(Array.from({ length: 20 }, naive));
    expect(attempts(db)).toBeLessThan(20);
  });
});

describe('DynamoDB round trips', () => {
  test('a successful sign-in takes 2 requests: one UpdateItem in PreAuthentication, one DeleteItem in PostAuthentication', async () => {
    const { pre, post, db } = setup();
    await pre(preAuthenticationEvent());
    await post(postAuthenticationEvent());
    expect(db.calls.map((c) => c.operation)).toEqual(['UpdateItem', 'DeleteItem']);
  });

  test('a locked attempt takes 1 request', async () => {
    const { pre, db } = setup();
    for (let i = 0; i < MAX; i++) await pre(preAuthenticationEvent());
    const before = db.calls.length;
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    expect(db.calls.length - before).toBe(1);
  });

  test('the attempt that uses up the allowance takes 2 requests: the second sets the lock, which concurrent attempts never move', async () => {
    const { pre, db, clock } = setup();
    for (let i = 1; i < MAX; i++) await pre(preAuthenticationEvent());
    const before = db.calls.length;
    await pre(preAuthenticationEvent());
    expect(db.calls.length - before).toBe(2);
    expect(db.peek(KEY)?.lockedUntil).toEqual({ N: String(T0 + WINDOW_S * 1000) });
    clock.now += 60_000;
    await Promise.allSettled(Array.from({ length: 20 }, () => pre(preAuthenticationEvent())));
    expect(db.peek(KEY)?.lockedUntil).toEqual({ N: String(T0 + WINDOW_S * 1000) });
    expect(attempts(db)).toBe(MAX + 20);
  });

  test('20 concurrent attempts against a limit of 5 take at most 22 requests: one each, plus the lock set at most twice', async () => {
    const { pre, db } = setup();
    await Promise.allSettled(Array.from({ length: 20 }, () => pre(preAuthenticationEvent())));
    expect(db.callsFor(KEY).length).toBeGreaterThanOrEqual(21);
    expect(db.callsFor(KEY).length).toBeLessThanOrEqual(22);
    expect(db.peek(KEY)?.lockedUntil).toEqual({ N: String(T0 + WINDOW_S * 1000) });
  });

  test('an attempt past the limit that finds no lock (the attempt that reached the limit was cut short) sets it', async () => {
    const { pre, db } = setup();
    db.seed(KEY, { attempts: { N: String(MAX) }, lastAttemptAt: { N: String(T0 - 60_000) }, expiresAt: { N: String(T0 / 1000 + WINDOW_S) } });
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);
    expect(db.peek(KEY)?.lockedUntil).toEqual({ N: String(T0 + WINDOW_S * 1000) });
  });

  test('the first attempt after a window expired takes 2 requests (the worst case without contention)', async () => {
    const { pre, db, clock } = setup();
    await pre(preAuthenticationEvent());
    clock.now += WINDOW_S * 1000;
    const before = db.calls.length;
    await pre(preAuthenticationEvent());
    expect(db.calls.length - before).toBe(2);
  });

  test('a window restart that loses its race counts on top of the winner in a third request', async () => {
    const db = new FakeDynamoDb(TABLE);
    db.seed(KEY, { attempts: { N: '3' }, lastAttemptAt: { N: String(T0 - WINDOW_S * 1000) }, expiresAt: { N: '1' } });
    const policy = { tableName: TABLE, maxAttempts: MAX, lockoutSeconds: WINDOW_S };
    // Request order: A1 and B1 fail (expired); A2 restarts the window; B2 fails (no longer expired); B3 counts.
    const delays = [1, 2, 5, 10, 1];
    db.latencyMs = () => delays.shift() ?? 1;
    const [a, b] = await Promise.all([recordAttempt(db, policy, KEY, T0), recordAttempt(db, policy, KEY, T0)]);
    expect([a.calls, b.calls].sort()).toEqual([2, 3]);
    expect([a.attempts, b.attempts].sort()).toEqual([1, 2]);
    expect(attempts(db)).toBe(2);
  });
});

describe('failure modes', () => {
  const throttled = () => new DynamoDbError('ProvisionedThroughputExceededException', 'Rate of requests exceeds the allowed throughput.');

  test('FAIL_OPEN (the default) lets the attempt through when DynamoDB throttles, and emits LockoutStoreUnavailable', async () => {
    const { pre, db, log } = setup();
    db.outage = throttled;
    await expect(pre(preAuthenticationEvent())).resolves.toMatchObject({ userName: USERNAME });
    const metric = log.records().find((r) => r.LockoutStoreUnavailable === 1);
    expect(metric).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'MedFlow/Cognito', Dimensions: [['UserPoolId']], Metrics: [{ Name: 'LockoutStoreUnavailable', Unit: 'Count' }] }] },
      UserPoolId: USER_POOL_ID,
      failureMode: FAIL_OPEN,
    });
    expect(log.records()).toContainEqual(expect.objectContaining({ level: 'WARN', event: 'lockout_store_unavailable', errorName: 'ProvisionedThroughputExceededException' }));
  });

  test('FAIL_CLOSED rejects the attempt with a generic message when DynamoDB throttles, and emits the metric', async () => {
    const { pre, db, log } = setup({ failureMode: FAIL_CLOSED });
    db.outage = throttled;
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(UNAVAILABLE_MESSAGE);
    expect(log.records().filter((r) => r.LockoutStoreUnavailable === 1)).toHaveLength(1);
  });

  test('an answer slower than the deadline is a failure: FAIL_OPEN allows, FAIL_CLOSED rejects, both well inside 5 seconds', async () => {
    for (const [failureMode, expectation] of [[FAIL_OPEN, 'resolves'], [FAIL_CLOSED, 'rejects']] as const) {
      const { pre, db, log } = setup({ failureMode, deadlineMs: 50 });
      db.latencyMs = () => 10_000;
      const started = Date.now();
      const outcome = pre(preAuthenticationEvent());
      if (expectation === 'resolves') await expect(outcome).resolves.toBeDefined();
      else await expect(outcome).rejects.toThrow(UNAVAILABLE_MESSAGE);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(log.records()).toContainEqual(expect.objectContaining({ event: 'lockout_store_unavailable', errorName: 'AbortError' }));
    }
  });

  test('the deadline also respects the time Lambda has left', async () => {
    const { pre, db } = setup({ failureMode: FAIL_CLOSED });
    db.latencyMs = () => 10_000;
    const started = Date.now();
    await expect(pre(preAuthenticationEvent(), { getRemainingTimeInMillis: () => 500 })).rejects.toThrow(UNAVAILABLE_MESSAGE);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test.each([FAIL_OPEN, FAIL_CLOSED])('PostAuthentication never blocks a completed sign-in (%s), but reports the failed reset', async (failureMode) => {
    const { post, db, log } = setup({ failureMode });
    db.outage = throttled;
    await expect(post(postAuthenticationEvent())).resolves.toMatchObject({ userName: USERNAME });
    expect(log.records()).toContainEqual(expect.objectContaining({ level: 'WARN', event: 'lockout_reset_failed' }));
    expect(log.records().filter((r) => r.LockoutStoreUnavailable === 1)).toHaveLength(1);
  });
});

describe('metrics and logs', () => {
  test('the lock emits one AccountLocked EMF record and a WARN line, both with the hashed username only', async () => {
    const { pre, log } = setup();
    for (let i = 0; i < MAX + 3; i++) await pre(preAuthenticationEvent()).catch(() => undefined);
    const locked = log.records().filter((r) => r.AccountLocked === 1);
    expect(locked).toEqual([expect.objectContaining({
      _aws: expect.objectContaining({ CloudWatchMetrics: [{ Namespace: 'MedFlow/Cognito', Dimensions: [['UserPoolId']], Metrics: [{ Name: 'AccountLocked', Unit: 'Count' }] }] }),
      UserPoolId: USER_POOL_ID,
      userHash: expectedUserHash(USER_POOL_ID, USERNAME),
    })]);
    expect(log.records().filter((r) => r.event === 'account_locked')).toEqual([
      { level: 'WARN', trigger: 'PreAuthentication', event: 'account_locked', userHash: expectedUserHash(USER_POOL_ID, USERNAME), attempts: MAX + 1, maxAttempts: MAX },
    ]);
    expect(log.records().filter((r) => r.event === 'attempt_rejected_locked')).toHaveLength(3);
    expect(log.lines.join('\n')).not.toContain(USERNAME);
    // The table key is the unkeyed SHA-256; it never reaches a log line.
    expect(log.lines.join('\n')).not.toContain(KEY);
  });
});

describe('bad events and configuration', () => {
  test.each([
    ['a non-object event', null, /PreAuthentication trigger received an invalid event: the event is not an object/],
    ['an unknown triggerSource', { ...preAuthenticationEvent(), triggerSource: 'PreAuthentication_Bogus' }, /triggerSource "PreAuthentication_Bogus" is not handled\. Expected a Cognito PreAuthentication event with triggerSource PreAuthentication_Authentication/],
    ['a PostAuthentication event', postAuthenticationEvent(), /triggerSource "PostAuthentication_Authentication" is not handled/],
    ['a missing userName', { ...preAuthenticationEvent(), userName: undefined }, /userName is missing or empty/],
    ['a missing userPoolId', { ...preAuthenticationEvent(), userPoolId: '' }, /userPoolId is missing or empty/],
    ['a missing request', { ...preAuthenticationEvent(), request: undefined }, /request is missing or not an object/],
  ])('PreAuthentication rejects %s with a clear error, logs it, and touches no table', async (_name, event, message) => {
    const { pre, db, log } = setup();
    await expect(pre(event)).rejects.toThrow(message);
    expect(db.calls).toEqual([]);
    expect(log.records()).toEqual([expect.objectContaining({ level: 'ERROR', trigger: 'PreAuthentication', event: 'invalid_event', errorName: 'InvalidTriggerEventError', reason: expect.stringMatching(message) })]);
  });

  test('PostAuthentication rejects an unknown triggerSource with a clear error', async () => {
    const { post } = setup();
    await expect(post({ ...postAuthenticationEvent(), triggerSource: 'PostAuthentication_Other' }))
      .rejects.toThrow(/PostAuthentication trigger received an invalid event: triggerSource "PostAuthentication_Other" is not handled/);
  });

  test('configuration comes from the environment and a bad value is a clear, logged error', async () => {
    expect(lockoutConfigFromEnv({ LOCKOUT_TABLE_NAME: TABLE, LOCKOUT_MAX_ATTEMPTS: '5', LOCKOUT_DURATION_SECONDS: '1800' }))
      .toEqual({ policy: { tableName: TABLE, maxAttempts: 5, lockoutSeconds: 1800 }, failureMode: FAIL_OPEN, deadlineMs: 1500 });
    expect(() => lockoutConfigFromEnv({ LOCKOUT_MAX_ATTEMPTS: '5', LOCKOUT_DURATION_SECONDS: '1800' })).toThrow(/LOCKOUT_TABLE_NAME is not set/);
    expect(() => lockoutConfigFromEnv({ LOCKOUT_TABLE_NAME: TABLE, LOCKOUT_MAX_ATTEMPTS: 'five', LOCKOUT_DURATION_SECONDS: '1800' })).toThrow(/LOCKOUT_MAX_ATTEMPTS must be a whole number of at least 1/);
    expect(() => lockoutConfigFromEnv({ LOCKOUT_TABLE_NAME: TABLE, LOCKOUT_MAX_ATTEMPTS: '5', LOCKOUT_DURATION_SECONDS: '0' })).toThrow(/LOCKOUT_DURATION_SECONDS must be a whole number/);
    expect(() => lockoutConfigFromEnv({ LOCKOUT_TABLE_NAME: TABLE, LOCKOUT_MAX_ATTEMPTS: '5', LOCKOUT_DURATION_SECONDS: '60', LOCKOUT_FAILURE_MODE: 'MAYBE' })).toThrow(/LOCKOUT_FAILURE_MODE must be FAIL_OPEN or FAIL_CLOSED/);

    const log = lineCollector();
    const pre = createPreAuthenticationHandler({
      client: new FakeDynamoDb(TABLE), config: () => lockoutConfigFromEnv({}), write: log.write, userHash: TEST_USER_HASH,
    });
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(/LOCKOUT_TABLE_NAME is not set/);
    expect(log.records()).toEqual([expect.objectContaining({ level: 'ERROR', event: 'trigger_failed', errorName: 'TriggerConfigurationError' })]);
  });
});
