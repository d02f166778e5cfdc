/*
 * The lockout's concurrency and failure behaviour on dynalite, a real DynamoDB implementation,
 * started by this file on 127.0.0.1 (port 0) and closed in afterAll. The in-memory fake in
 * fake-dynamodb.ts models DynamoDB's atomicity; these tests check it on an engine we did not write.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  FAIL_CLOSED, FAIL_OPEN, LOCKED_MESSAGE, LockoutConfig, LockoutHandlerDeps, UNAVAILABLE_MESSAGE,
  createPostAuthenticationHandler, createPreAuthenticationHandler,
} from '../../src/triggers/lockout/lockout-handlers';
import { PRE_AUTHENTICATION_DYNAMODB_CONFIG } from '../../src/triggers/lockout/pre-authentication.lambda';
import { lockKey } from '../../src/triggers/shared/trigger-log';
import { DynaliteServer, lockoutTableClient, startDynalite } from '../triggers/dynalite-server';
import { USER_POOL_ID, USERNAME, lineCollector, postAuthenticationEvent, preAuthenticationEvent } from '../triggers/events';
import { TEST_USER_HASH } from '../triggers/user-hash-fixture';

jest.setTimeout(30_000);

const TABLE = 'test-medflow-cognito-account-lockout';
const WINDOW_S = 30 * 60;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

let server: DynaliteServer;
let counter = 0;

beforeAll(async () => {
  server = await startDynalite();
  await server.createTable(TABLE);
});

afterAll(async () => {
  await server?.close();
});

/** Each test locks out its own user, so that tests never share a record. */
function user(): { event: ReturnType<typeof preAuthenticationEvent>; key: string; userName: string } {
  const userName = `dynalite-user-${++counter}@clinic-one.example`;
  return { event: preAuthenticationEvent(userName), key: lockKey(USER_POOL_ID, userName), userName };
}

function handlers(maxAttempts: number, overrides: Partial<LockoutConfig> = {}, deps: Partial<LockoutHandlerDeps> = {}) {
  const log = lineCollector();
  const clock = { now: T0 };
  // No SDK retries here: a retried UpdateItem whose first try was applied would count twice, and these
  // tests count exactly. The deadline is generous because 200 requests share two CPU cores with dynalite.
  const full: LockoutHandlerDeps = {
    client: lockoutTableClient(server.client({ requestHandler: { connectionTimeout: 5000, requestTimeout: 15_000 } })),
    config: () => ({ policy: { tableName: TABLE, maxAttempts, lockoutSeconds: WINDOW_S }, failureMode: FAIL_OPEN, deadlineMs: 15_000, ...overrides }),
    now: () => clock.now,
    write: log.write,
    userHash: TEST_USER_HASH,
    ...deps,
  };
  return { pre: createPreAuthenticationHandler(full), post: createPostAuthenticationHandler(full), log, clock };
}

async function stored(key: string) {
  const { Item } = await server.client().send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } }, ConsistentRead: true }));
  return Item;
}

describe('dynalite itself: conditional updates are atomic', () => {
  test.each([20, 200])('%i concurrent ADDs on one item count exactly that many', async (n) => {
    const dynamodb = server.client();
    const pk = `raw-add-${n}`;
    await Promise.all(Array.from({ length: n }, () => dynamodb.send(new UpdateItemCommand({
      TableName: TABLE,
      Key: { pk: { S: pk } },
      UpdateExpression: 'ADD #n :one',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }))));
    expect((await stored(pk))?.n).toEqual({ N: String(n) });
  });

  test.each([20, 200])('a conditional gate lets exactly 5 of %i concurrent updates through', async (n) => {
    const dynamodb = server.client();
    const pk = `raw-gate-${n}`;
    const results = await Promise.allSettled(Array.from({ length: n }, () => dynamodb.send(new UpdateItemCommand({
      TableName: TABLE,
      Key: { pk: { S: pk } },
      UpdateExpression: 'ADD #g :one',
      ConditionExpression: 'attribute_not_exists(#g) OR #g < :max',
      ExpressionAttributeNames: { '#g': 'g' },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '5' } },
    }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(n - 5);
    expect(new Set(rejected.map((r) => (r.reason as Error).name))).toEqual(new Set(['ConditionalCheckFailedException']));
    expect((await stored(pk))?.g).toEqual({ N: '5' });
  });
});

describe('lockout on dynalite: concurrency', () => {
  test.each([20, 200])('%i concurrent attempts on one user produce exactly that many counts', async (n) => {
    const { pre } = handlers(10_000);
    const { event, key } = user();
    const results = await Promise.allSettled(Array.from({ length: n }, () => pre(event)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(n);
    expect((await stored(key))?.attempts).toEqual({ N: String(n) });
  });

  test.each([20, 200])('%i concurrent attempts against a limit of 5 admit exactly 5, lock once and count all', async (n) => {
    const { pre, log } = handlers(5);
    const { event, key } = user();
    const results = await Promise.allSettled(Array.from({ length: n }, () => pre(event)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(n - 5);
    expect(rejected.every((r) => (r.reason as Error).message === LOCKED_MESSAGE)).toBe(true);
    const item = await stored(key);
    expect(item?.attempts).toEqual({ N: String(n) });
    expect(item?.lockedUntil).toEqual({ N: String(T0 + WINDOW_S * 1000) });
    expect(log.records().filter((r) => r.AccountLocked === 1)).toHaveLength(1);
    expect(log.records().filter((r) => r.event === 'lockout_store_unavailable')).toEqual([]);
  });

  test('20 concurrent attempts on a record whose lock has ended restart it once, admit exactly 5 and lock again once', async () => {
    const { pre, clock, log } = handlers(5);
    const { event, key } = user();
    for (let i = 0; i < 8; i++) await pre(event).catch(() => undefined); // locked at T0, with 8 counted
    clock.now = T0 + WINDOW_S * 1000;
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => pre(event)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const item = await stored(key);
    expect(item?.attempts).toEqual({ N: '20' });
    expect(item?.lockedUntil).toEqual({ N: String(T0 + 2 * WINDOW_S * 1000) });
    expect(log.records().filter((r) => r.AccountLocked === 1)).toHaveLength(2);
  });

  test('the lock ends lockoutDuration after it was set, however many attempts come during it', async () => {
    const { pre, post, clock } = handlers(5);
    const { event, userName } = user();
    for (let i = 0; i < 5; i++) await pre(event);
    for (const minute of [1, 10, 20, 29]) {
      clock.now = T0 + minute * 60_000;
      await Promise.allSettled(Array.from({ length: 20 }, () => pre(event)));
      await expect(pre(event)).rejects.toThrow(LOCKED_MESSAGE);
    }
    clock.now = T0 + WINDOW_S * 1000;
    await expect(pre(event)).resolves.toBeDefined();
    await expect(post(postAuthenticationEvent(userName))).resolves.toBeDefined();
    expect(await stored(lockKey(USER_POOL_ID, userName))).toBeUndefined();
  });
});

describe('lockout on dynalite: an outage mid-run follows the failure mode', () => {
  // The entry points' own SDK settings (pre-authentication.lambda.ts), against a server stopped mid-run.
  const lambdaSdk = PRE_AUTHENTICATION_DYNAMODB_CONFIG;

  test.each([
    [FAIL_OPEN, 'resolves'],
    [FAIL_CLOSED, 'rejects'],
  ] as const)('%s: attempts before the outage are counted; after it, the failure mode applies and LockoutStoreUnavailable is emitted', async (failureMode, expectation) => {
    const own = await startDynalite();
    try {
      await own.createTable(TABLE);
      const log = lineCollector();
      const deps: LockoutHandlerDeps = {
        client: lockoutTableClient(own.client(lambdaSdk)),
        config: () => ({ policy: { tableName: TABLE, maxAttempts: 5, lockoutSeconds: WINDOW_S }, failureMode, deadlineMs: 1500 }),
        now: () => T0,
        write: log.write,
        userHash: TEST_USER_HASH,
      };
      const pre = createPreAuthenticationHandler(deps);
      const post = createPostAuthenticationHandler(deps);
      for (let i = 0; i < 3; i++) await expect(pre(preAuthenticationEvent())).resolves.toBeDefined();
      expect(log.records().filter((r) => r.event === 'attempt_counted').map((r) => r.attempts)).toEqual([1, 2, 3]);

      await own.close(); // the store goes away mid-run: its port now refuses connections
      const started = Date.now();
      const outcome = pre(preAuthenticationEvent());
      if (expectation === 'resolves') await expect(outcome).resolves.toMatchObject({ userName: USERNAME });
      else await expect(outcome).rejects.toThrow(UNAVAILABLE_MESSAGE);
      expect(Date.now() - started).toBeLessThan(2000); // well inside Cognito's 5-second budget
      // A completed sign-in is never blocked, in either mode.
      await expect(post(postAuthenticationEvent())).resolves.toMatchObject({ userName: USERNAME });
      const unavailable = log.records().filter((r) => r.LockoutStoreUnavailable === 1);
      expect(unavailable).toHaveLength(2);
      expect(unavailable[0]).toMatchObject({ UserPoolId: USER_POOL_ID, failureMode });
      expect(log.records()).toContainEqual(expect.objectContaining({ level: 'WARN', event: 'lockout_store_unavailable', failureMode }));
      expect(log.lines.join('\n')).not.toContain(USERNAME);
    } finally {
      await own.close();
    }
  });
});

describe('SDK retries never count one attempt twice', () => {
  /**
   * Forwards every request to dynalite, but drops the connection instead of passing on the first answer:
   * DynamoDB has applied the UpdateItem and the client sees a reset connection, as when a response is lost,
   * which the SDK treats as transient and retries.
   */
  async function lostFirstResponseProxy(target: DynaliteServer): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
    let requests = 0;
    const proxy = http.createServer((req, res) => {
      const lose = requests++ === 0;
      const upstream = http.request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          if (lose) {
            res.socket?.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    const port = (proxy.address() as AddressInfo).port;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      requests: () => requests,
      close: () => new Promise<void>((resolve) => { proxy.closeAllConnections(); proxy.close(() => resolve()); }),
    };
  }

  test('PreAuthentication\'s client (as deployed) does not retry an UpdateItem whose answer was lost: one attempt is counted once', async () => {
    const proxy = await lostFirstResponseProxy(server);
    try {
      const { userName, key } = user();
      const log = lineCollector();
      const pre = createPreAuthenticationHandler({
        client: lockoutTableClient(server.client({ ...PRE_AUTHENTICATION_DYNAMODB_CONFIG, endpoint: proxy.endpoint })),
        config: () => ({ policy: { tableName: TABLE, maxAttempts: 5, lockoutSeconds: WINDOW_S }, failureMode: FAIL_OPEN, deadlineMs: 1500 }),
        now: () => T0,
        write: log.write,
        userHash: TEST_USER_HASH,
      });
      // The failed try goes to FAIL_OPEN; DynamoDB applied it once.
      await expect(pre(preAuthenticationEvent(userName))).resolves.toBeDefined();
      expect(proxy.requests()).toBe(1);
      expect((await stored(key))?.attempts).toEqual({ N: '1' });
      expect(log.records()).toContainEqual(expect.objectContaining({ event: 'lockout_store_unavailable', failureMode: FAIL_OPEN }));
      // The next attempt goes through and counts 2: nothing was counted twice.
      await expect(pre(preAuthenticationEvent(userName))).resolves.toBeDefined();
      expect((await stored(key))?.attempts).toEqual({ N: '2' });
    } finally {
      await proxy.close();
    }
  });

  test('the same outage with SDK retries (maxAttempts 2) counts the one attempt twice, which is why they are off', async () => {
    const proxy = await lostFirstResponseProxy(server);
    try {
      const { userName, key } = user();
      const pre = createPreAuthenticationHandler({
        client: lockoutTableClient(server.client({ ...PRE_AUTHENTICATION_DYNAMODB_CONFIG, maxAttempts: 2, endpoint: proxy.endpoint })),
        config: () => ({ policy: { tableName: TABLE, maxAttempts: 5, lockoutSeconds: WINDOW_S }, failureMode: FAIL_OPEN, deadlineMs: 1500 }),
        now: () => T0,
        write: () => undefined,
        userHash: TEST_USER_HASH,
      });
      await expect(pre(preAuthenticationEvent(userName))).resolves.toBeDefined();
      expect(proxy.requests()).toBe(2);
      expect((await stored(key))?.attempts).toEqual({ N: '2' });
    } finally {
      await proxy.close();
    }
  });
});
