/*
 * Trigger benchmark: for each Cognito trigger, its bundle size as deployed (assets/) and minified
 * with the runtime's AWS SDK external, its cold `require` time in a fresh node process against
 * requiring an empty module in the same run, and the DynamoDB requests the lockout makes per
 * sign-in, counted through the in-memory table; and each lockout handler's latency (p50, p99) against
 * an in-process dynalite server, with a bare DynamoDB request to the same server measured in the same
 * run as the baseline. Prints tables; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { buildSync } from 'esbuild';
import { FAIL_OPEN, createPostAuthenticationHandler, createPreAuthenticationHandler } from '../src/triggers/lockout/lockout-handlers';
import { recordAttempt } from '../src/triggers/lockout/lockout-store';
import { PRE_AUTHENTICATION_DYNAMODB_CONFIG } from '../src/triggers/lockout/pre-authentication.lambda';
import { lockKey } from '../src/triggers/shared/trigger-log';
import { userHasherWithKey } from '../src/triggers/shared/user-hash';
import { lockoutTableClient, startDynalite } from '../test/triggers/dynalite-server';
import { postAuthenticationEvent, preAuthenticationEvent, USERNAME, USER_POOL_ID } from '../test/triggers/events';
import { FakeDynamoDb } from '../test/triggers/fake-dynamodb';

/** A fixed key for the benchmark; a deployment's key is read from its secret once per cold start. */
const BENCH_USER_HASH = userHasherWithKey('benchmark-only-username-hash-key-0123456789abcdef');

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const HANDLERS = [
  'triggers/lockout/pre-authentication',
  'triggers/lockout/post-authentication',
  'triggers/sign-up/pre-sign-up',
  'triggers/custom-message/custom-message',
];
const TARGET_KB = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function bundleSizes(): void {
  console.log(`\n### Bundle sizes (AWS SDK external; target <= ${TARGET_KB} KB minified)\n`);
  console.log('| handler | assets/ KB (as deployed) | minified KB | within target |\n| --- | ---: | ---: | --- |');
  for (const handler of HANDLERS) {
    const deployed = fs.statSync(path.join(ROOT, 'assets', `${handler}.lambda`, 'index.js')).size;
    const minified = buildSync({
      entryPoints: [path.join(ROOT, 'src', `${handler}.lambda.ts`)],
      bundle: true,
      minify: true,
      write: false,
      platform: 'node',
      target: 'node24',
      external: ['@aws-sdk/*'],
      tsconfig: path.join(ROOT, 'tsconfig.dev.json'),
    }).outputFiles[0].contents.length;
    console.log(`| ${path.basename(handler)} | ${kb(deployed)} | ${kb(minified)} | ${minified <= TARGET_KB * 1024 ? 'yes' : 'NO'} |`);
  }
}

/** Milliseconds to require `file` in a fresh node process, measured inside that process. */
function coldRequire(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_REGION: 'eu-west-3' } });
  if (result.status !== 0) throw new Error(`requiring ${file} failed: ${result.stderr}`);
  return Number(result.stdout);
}

function coldRequireTimes(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-bench-triggers-'));
  const empty = path.join(scratch, 'empty.js');
  fs.writeFileSync(empty, 'module.exports = {};\n');
  const samples: Record<string, number[]> = { empty: [] };
  coldRequire(empty); // warm the file-system cache
  for (const handler of HANDLERS) {
    samples[handler] = [];
    coldRequire(path.join(ROOT, 'assets', `${handler}.lambda`, 'index.js'));
  }
  for (let i = 0; i < RUNS; i++) {
    samples.empty.push(coldRequire(empty));
    for (const handler of HANDLERS) samples[handler].push(coldRequire(path.join(ROOT, 'assets', `${handler}.lambda`, 'index.js')));
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  const baseline = median(samples.empty);
  console.log(`\n### Cold require (fresh node ${process.version} process each time, median of ${RUNS}; the lockout bundles load @aws-sdk/client-dynamodb)\n`);
  console.log('| module | median ms | ratio to empty module |\n| --- | ---: | ---: |');
  console.log(`| empty module | ${baseline.toFixed(2)} | 1.0 |`);
  for (const handler of HANDLERS) {
    const ms = median(samples[handler]);
    console.log(`| ${path.basename(handler)} | ${ms.toFixed(2)} | ${(ms / baseline).toFixed(1)} |`);
  }
}

async function dynamoDbCalls(): Promise<void> {
  const TABLE = 'bench-lockout';
  const KEY = lockKey(USER_POOL_ID, USERNAME);
  const t0 = Date.UTC(2025, 0, 1);
  const setup = () => {
    const db = new FakeDynamoDb(TABLE);
    db.latencyMs = () => 0;
    const clock = { now: t0 };
    const deps = {
      client: db,
      now: () => clock.now,
      write: () => undefined,
      userHash: BENCH_USER_HASH,
      config: () => ({ policy: { tableName: TABLE, maxAttempts: 5, lockoutSeconds: 1800 }, failureMode: FAIL_OPEN, deadlineMs: 1500 }),
    };
    return { db, clock, pre: createPreAuthenticationHandler(deps), post: createPostAuthenticationHandler(deps) };
  };
  const count = async (db: FakeDynamoDb, action: () => Promise<unknown>) => {
    const before = db.calls.length;
    await action().catch(() => undefined);
    return db.calls.length - before;
  };
  const rows: [string, number, string][] = [];

  let s = setup();
  rows.push(['successful sign-in (PreAuthentication + PostAuthentication)', await count(s.db, async () => { await s.pre(preAuthenticationEvent()); await s.post(postAuthenticationEvent()); }), '2']);
  s = setup();
  rows.push(['failed attempt below the limit', await count(s.db, () => s.pre(preAuthenticationEvent())), '1']);
  for (let i = 0; i < 3; i++) await s.pre(preAuthenticationEvent());
  rows.push(['the attempt that uses up the allowance (sets the lock, once per lock)', await count(s.db, () => s.pre(preAuthenticationEvent())), '2']);
  rows.push(['locked attempt (rejected)', await count(s.db, () => s.pre(preAuthenticationEvent())), '1']);
  s.clock.now += 1800 * 1000;
  rows.push(['first attempt after the lock ended (worst case, no contention)', await count(s.db, () => s.pre(preAuthenticationEvent())), '-']);

  const race = new FakeDynamoDb(TABLE);
  race.seed(KEY, { attempts: { N: '3' }, lastAttemptAt: { N: String(t0 - 1800 * 1000) }, expiresAt: { N: '1' } });
  const delays = [1, 2, 5, 10, 1];
  race.latencyMs = () => delays.shift() ?? 1;
  const policy = { tableName: TABLE, maxAttempts: 5, lockoutSeconds: 1800 };
  const raced = await Promise.all([recordAttempt(race, policy, KEY, t0), recordAttempt(race, policy, KEY, t0)]);
  rows.push(['window restart that loses a race (worst case)', Math.max(...raced.map((r) => r.calls)), '-']);

  s = setup();
  s.db.latencyMs = () => Math.random() * 3;
  await Promise.all(Array.from({ length: 20 }, () => s.pre(preAuthenticationEvent()).catch(() => undefined)));
  rows.push([`20 concurrent attempts on one user, limit 5: requests per attempt (final count ${s.db.peek(KEY)?.attempts?.N}; one or two more set the lock)`, s.db.calls.length / 20, '<= 1.1']);

  console.log('\n### DynamoDB requests per sign-in (counted through the in-memory table)\n');
  console.log('| scenario | requests | target |\n| --- | ---: | ---: |');
  for (const [name, calls, target] of rows) console.log(`| ${name} | ${calls} | ${target} |`);
}

/** Nearest-rank percentile of `values` (0 < p <= 100). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Latency of each lockout handler against dynalite (in-process, 127.0.0.1, closed at the end), with the
 * entry points' SDK settings. Baseline: one bare UpdateItem (ADD) to the same server through the same
 * client. Samples are taken round-robin, so every scenario and the baseline share the machine's load.
 */
async function handlerLatency(): Promise<void> {
  const samples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300);
  const TABLE = 'bench-lockout';
  const server = await startDynalite();
  try {
    await server.createTable(TABLE);
    // The deployed PreAuthentication client's settings (no SDK retries, short timeouts).
    const dynamodb = server.client(PRE_AUTHENTICATION_DYNAMODB_CONFIG);
    const deps = {
      client: lockoutTableClient(dynamodb),
      write: () => undefined,
      userHash: BENCH_USER_HASH,
      config: () => ({ policy: { tableName: TABLE, maxAttempts: 5, lockoutSeconds: 1800 }, failureMode: FAIL_OPEN, deadlineMs: 1500 }),
    };
    const pre = createPreAuthenticationHandler(deps);
    const post = createPostAuthenticationHandler(deps);
    const lockedUser = 'bench-locked@clinic-one.example';
    for (let i = 0; i < 6; i++) await pre(preAuthenticationEvent(lockedUser)).catch(() => undefined);
    let n = 0;
    const scenarios: [string, () => Promise<unknown>][] = [
      ['baseline: bare UpdateItem (ADD) to the same server', () => dynamodb.send(new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'bench-baseline' } },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }))],
      ['PreAuthentication: attempt counted (below the limit, 1 request)', () => pre(preAuthenticationEvent(`bench-${++n}@clinic-one.example`))],
      ['PreAuthentication: locked attempt rejected (1 request)', () => pre(preAuthenticationEvent(lockedUser)).catch(() => undefined)],
      ['PostAuthentication: count reset (1 request)', () => post(postAuthenticationEvent(`bench-${n}@clinic-one.example`))],
    ];
    const times: number[][] = scenarios.map(() => []);
    for (let warm = 0; warm < 20; warm++) for (const [, run] of scenarios) await run();
    for (let i = 0; i < samples; i++) {
      for (const [index, [, run]] of scenarios.entries()) {
        const started = process.hrtime.bigint();
        await run();
        times[index].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const base50 = percentile(times[0], 50);
    const base99 = percentile(times[0], 99);
    console.log(`\n### Lockout handler latency on dynalite 4.0.0 (in-process, 127.0.0.1; ${samples} sequential samples each, round-robin)\n`);
    console.log('| scenario | p50 ms | p99 ms | p50 ratio to baseline | p99 ratio to baseline |\n| --- | ---: | ---: | ---: | ---: |');
    for (const [index, [name]] of scenarios.entries()) {
      const p50 = percentile(times[index], 50);
      const p99 = percentile(times[index], 99);
      console.log(`| ${name} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${(p50 / base50).toFixed(2)} | ${(p99 / base99).toFixed(2)} |`);
    }
    console.log('\nCognito allows a trigger 5 s; the handlers give DynamoDB at most 1.5 s before applying the failure mode.');
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}`);
  bundleSizes();
  coldRequireTimes();
  await dynamoDbCalls();
  if (process.env.BENCH_SKIP_LATENCY !== '1') await handlerLatency();
}

void main();
