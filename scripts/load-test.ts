/*
 * Sign-in load test through the trigger handlers against a local moto server: 50 users, 500
 * attempts, some with wrong passwords, all users concurrently. Bounded in count and time, loopback only.
 * Prints throughput, the latency the triggers add (p50/p95/p99), DynamoDB calls per attempt, and
 * the correctness checks (no lost counts, locks exactly where expected); exits 1 if a check fails.
 *
 *   npx projen load-test            (starts moto from .venv-e2e/, deploys cdk.out/MedflowAuthStaging)
 *
 * Users, in three groups, each user's attempts run concurrently with every other user's:
 *   A (30 users) 10 correct sign-ins one after the other: never locked, the record is reset each time.
 *   B (10 users) 10 wrong passwords one after the other: all 10 counted, attempts 6-10 refused by
 *                the lockout, 1-5 by the password check.
 *   C (10 users) 3 wrong, 1 correct (resets the count), 6 wrong in sequence: the last one is refused by the lockout.
 * Attempts of one user run in sequence because moto serves requests on threads and applies an
 * UpdateItem as an unlocked read-modify-write: concurrent updates of one item lose counts there,
 * where DynamoDB applies ADD atomically. A separate probe measures that and reports it as moto's.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startMoto } from '../test/e2e/moto-server';
import { PHYSICIAN_ATTRIBUTES } from '../test/e2e/physician';
import { REGION } from '../test/e2e/template';

const USERS = { A: 30, B: 10, C: 10 };
const ATTEMPTS_PER_USER = 10;
const TIME_LIMIT_MS = 180_000;
const PASSWORD = 'Load-Test-Passw0rd!';
const WRONG = 'Wrong-Passw0rd!';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const moto = await startMoto();
  const guard = setTimeout(() => {
    console.error(`Load test exceeded ${TIME_LIMIT_MS / 1000} s; stopping.`);
    void moto.stop().finally(() => process.exit(1));
  }, TIME_LIMIT_MS);
  try {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing',
    });
    // Loaded after the environment points the SDK at moto.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { deployStack } = require('../test/e2e/deploy') as typeof import('../test/e2e/deploy');
    const { CognitoRehearsal, TriggerFailedError } = require('../test/e2e/cognito-rehearsal') as typeof import('../test/e2e/cognito-rehearsal');
    const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
    const { lockKey } = require('../src/triggers/shared/trigger-log') as typeof import('../src/triggers/shared/trigger-log');
    const { LOCKED_MESSAGE } = require('../src/triggers/lockout/lockout-handlers') as typeof import('../src/triggers/lockout/lockout-handlers');
    /* eslint-enable @typescript-eslint/no-require-imports */

    const d = await deployStack('MedflowAuthStaging');
    const maxAttempts = Number(d.triggerEnvironment.PreAuthentication!.LOCKOUT_MAX_ATTEMPTS);
    const rehearsal = new CognitoRehearsal(d);
    const users: { email: string; username: string; group: 'A' | 'B' | 'C' }[] = [];
    for (const group of ['A', 'B', 'C'] as const) {
      for (let i = 0; i < USERS[group]; i++) {
        const email = `load-${group.toLowerCase()}${i}@clinic-one.example`;
        const username = await rehearsal.adminCreateUser(email, PHYSICIAN_ATTRIBUTES, PASSWORD);
        users.push({ email, username, group });
      }
    }
    rehearsal.dynamoDbCalls.updateItem = 0;
    rehearsal.dynamoDbCalls.deleteItem = 0;

    type Outcome = 'success' | 'wrong-password' | 'locked' | 'other';
    const samples: { triggersMs: number; cognitoMs: number; outcome: Outcome; group: string }[] = [];
    const otherErrors: string[] = [];
    const attempt = async (user: typeof users[number], password: string) => {
      const timing = { triggersMs: 0, cognitoMs: 0 };
      let outcome: Outcome;
      try {
        await rehearsal.signIn(user.email, password, timing);
        outcome = 'success';
      } catch (error) {
        const e = error as Error;
        if (e instanceof TriggerFailedError && e.triggerMessage === LOCKED_MESSAGE) {outcome = 'locked';} else if (!(e instanceof TriggerFailedError) && e.name === 'NotAuthorizedException') {outcome = 'wrong-password';} else {
          outcome = 'other';
          otherErrors.push(`${e.name}: ${e.message}`);
        }
      }
      samples.push({ ...timing, outcome, group: user.group });
    };
    const plan = (user: typeof users[number]): Promise<void> => {
      if (user.group === 'A') {
        return Array.from({ length: ATTEMPTS_PER_USER }).reduce<Promise<void>>((p) => p.then(() => attempt(user, PASSWORD)), Promise.resolve());
      }
      if (user.group === 'B') {
        return Array.from({ length: ATTEMPTS_PER_USER }).reduce<Promise<void>>((p) => p.then(() => attempt(user, WRONG)), Promise.resolve());
      }
      const sequence = [WRONG, WRONG, WRONG, PASSWORD, WRONG, WRONG, WRONG, WRONG, WRONG, WRONG];
      return sequence.reduce<Promise<void>>((p, pw) => p.then(() => attempt(user, pw)), Promise.resolve());
    };

    const started = performance.now();
    await Promise.all(users.map(plan));
    const wallMs = performance.now() - started;

    // Correctness.
    const dynamodb = new DynamoDBClient({});
    const checks: [string, boolean, string][] = [];
    const count = (group: string, outcome: Outcome) => samples.filter((s) => s.group === group && s.outcome === outcome).length;
    const recorded = async (username: string) => {
      const key = { pk: { S: lockKey(d.userPoolId, username) } };
      const item = await dynamodb.send(new GetItemCommand({ TableName: d.tableName, Key: key, ConsistentRead: true }));
      return item.Item ? Number(item.Item.attempts.N) : 0;
    };
    const finalCounts: Record<string, number[]> = { A: [], B: [], C: [] };
    for (const user of users) finalCounts[user.group].push(await recorded(user.username));
    const expectB = ATTEMPTS_PER_USER - maxAttempts;
    checks.push(['A: every sign-in succeeds, no record left', count('A', 'success') === USERS.A * ATTEMPTS_PER_USER && finalCounts.A.every((n) => n === 0),
      `${count('A', 'success')} successes, records ${JSON.stringify([...new Set(finalCounts.A)])}`]);
    checks.push([`B: ${ATTEMPTS_PER_USER} wrong attempts all counted`, finalCounts.B.every((n) => n === ATTEMPTS_PER_USER),
      `final counts ${JSON.stringify([...new Set(finalCounts.B)])}`]);
    checks.push([`B: exactly ${expectB} per user refused by the lockout, ${maxAttempts} by the password`,
      count('B', 'locked') === USERS.B * expectB && count('B', 'wrong-password') === USERS.B * maxAttempts,
      `${count('B', 'locked')} locked, ${count('B', 'wrong-password')} wrong password`]);
    checks.push(['C: reset by the success, locked on the 6th wrong attempt after it',
      count('C', 'success') === USERS.C && count('C', 'locked') === USERS.C && finalCounts.C.every((n) => n === maxAttempts + 1),
      `${count('C', 'success')} successes, ${count('C', 'locked')} locked, final counts ${JSON.stringify([...new Set(finalCounts.C)])}`]);
    checks.push(['no other error (timeouts, store unavailable)', otherErrors.length === 0, otherErrors.slice(0, 3).join('; ') || 'none']);

    // moto probe: concurrent UpdateItem ADD on one item (not a check of the library; DynamoDB's ADD is atomic).
    const { recordAttempt } = require('../src/triggers/lockout/lockout-store') as typeof import('../src/triggers/lockout/lockout-store'); // eslint-disable-line @typescript-eslint/no-require-imports
    const { UpdateItemCommand, DeleteItemCommand } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb'); // eslint-disable-line @typescript-eslint/no-require-imports
    const probeClient = {
      updateItem: (input: any) => dynamodb.send(new UpdateItemCommand(input)),
      deleteItem: (input: any) => dynamodb.send(new DeleteItemCommand(input)),
    };
    const policy = { tableName: d.tableName, maxAttempts: 1000, lockoutSeconds: 1800 };
    await recordAttempt(probeClient, policy, 'moto-atomicity-probe', Date.now());
    const PROBE = 50;
    await Promise.all(Array.from({ length: PROBE }, () => recordAttempt(probeClient, policy, 'moto-atomicity-probe', Date.now())));
    const probed = await dynamodb.send(new GetItemCommand({ TableName: d.tableName, Key: { pk: { S: 'moto-atomicity-probe' } }, ConsistentRead: true }));
    const probeCount = Number(probed.Item!.attempts.N);

    const triggers = samples.map((s) => s.triggersMs).sort((a, b) => a - b);
    const cognito = samples.map((s) => s.cognitoMs).filter((ms) => ms > 0).sort((a, b) => a - b);
    const calls = rehearsal.dynamoDbCalls.updateItem + rehearsal.dynamoDbCalls.deleteItem;
    // Successful sign-ins, with and without their triggers: the same attempts, so the ratio is measured in one run.
    const successful = samples.filter((s) => s.outcome === 'success' && s.cognitoMs > 0);
    const withTriggers = successful.map((s) => s.cognitoMs + s.triggersMs).sort((a, b) => a - b);
    const withoutTriggers = successful.map((s) => s.cognitoMs).sort((a, b) => a - b);
    const byOutcome = (['success', 'wrong-password', 'locked'] as const).map((o) => `${o} ${samples.filter((s) => s.outcome === o).length}`).join(', ');
    const rows: [string, string][] = [
      ['users / attempts', `${users.length} / ${samples.length} (${byOutcome})`],
      ['wall time', `${(wallMs / 1000).toFixed(2)} s`],
      ['throughput', `${(samples.length / (wallMs / 1000)).toFixed(1)} attempts/s`],
      ['latency added by the triggers, p50 / p95 / p99', `${percentile(triggers, 50).toFixed(1)} / ${percentile(triggers, 95).toFixed(1)} / ${percentile(triggers, 99).toFixed(1)} ms`],
      ['moto InitiateAuth, p50 / p95 / p99 (for scale)', `${percentile(cognito, 50).toFixed(1)} / ${percentile(cognito, 95).toFixed(1)} / ${percentile(cognito, 99).toFixed(1)} ms`],
      ['successful sign-in with triggers ÷ without, p50 / p95', `${(percentile(withTriggers, 50) / percentile(withoutTriggers, 50)).toFixed(2)} / ${(percentile(withTriggers, 95) / percentile(withoutTriggers, 95)).toFixed(2)}`],
      [`moto probe: ${PROBE} concurrent ADDs on one existing item`, `${probeCount - 1} counted (${PROBE + 1 - probeCount} lost by moto)`],
      ['DynamoDB calls per attempt', `${(calls / samples.length).toFixed(2)} (${rehearsal.dynamoDbCalls.updateItem} UpdateItem, ${rehearsal.dynamoDbCalls.deleteItem} DeleteItem)`],
    ];
    console.log(`Sign-in load test: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}, moto on ${moto.endpoint}\n`);
    console.log('| measure | value |\n| --- | --- |');
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
    console.log('\n| correctness check | result | detail |\n| --- | --- | --- |');
    for (const [k, ok, detail] of checks) console.log(`| ${k} | ${ok ? 'pass' : 'FAIL'} | ${detail} |`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    clearTimeout(guard);
    await moto.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
