/*
 * The account lockout's DynamoDB logic, independent of the Lambda runtime so that tests drive it
 * with an in-memory table.
 *
 * One item per user: { pk: lockKey, attempts: N, lastAttemptAt: N (epoch ms), expiresAt: N (epoch s, TTL),
 * lockedUntil?: N (epoch ms) }.
 * - Before a lock, the count is live while its last attempt is less than lockoutDuration old.
 * - The attempt that uses up the allowance (the maxAttempts-th) sets `lockedUntil` to its own time plus
 *   lockoutDuration. While locked, the record is live until `lockedUntil`, whatever attempts come in:
 *   they are counted (for the metric) but never move `lockedUntil`. A lock therefore ends lockoutDuration
 *   after it was set, and a victim is locked out for at most lockoutDuration after an attacker stops.
 * A record that is no longer live counts as absent, whatever TTL has or has not deleted yet.
 */
import type { DeleteItemCommandInput, UpdateItemCommandInput, UpdateItemCommandOutput } from '@aws-sdk/client-dynamodb';

/** The two DynamoDB operations the lockout needs; the Lambda passes the SDK client, tests a fake. */
export interface LockoutTableClient {
  updateItem(input: UpdateItemCommandInput, abortSignal?: AbortSignal): Promise<Pick<UpdateItemCommandOutput, 'Attributes'>>;
  deleteItem(input: DeleteItemCommandInput, abortSignal?: AbortSignal): Promise<unknown>;
}

export interface LockoutPolicy {
  readonly tableName: string;
  /** Attempts allowed since the last success; the next one inside the window is rejected. */
  readonly maxAttempts: number;
  readonly lockoutSeconds: number;
}

export interface AttemptOutcome {
  /** Attempts counted in the current window, this one included. */
  readonly attempts: number;
  /** Whether this attempt is rejected: more than maxAttempts since the count started (a lock is in force). */
  readonly locked: boolean;
  /** Whether this is the first rejected attempt of the lock: report the lock once. */
  readonly newlyLocked: boolean;
  /** DynamoDB requests this attempt took. */
  readonly calls: number;
}

/** The lock item could not be updated after repeated races with concurrent attempts. */
export class LockoutContentionError extends Error {
  constructor(rounds: number) {
    super(`The lock record changed under ${rounds} consecutive updates.`);
    this.name = 'LockoutContentionError';
  }
}

// A window restart can lose its race only to another attempt that restarted the window first,
// after which the counting update succeeds; two rounds cover every interleaving but a
// pathological one, which is reported as a store failure.
const MAX_ROUNDS = 2;

/**
 * Counts one sign-in attempt atomically and says whether it is allowed.
 *
 * Common case, one request: `UpdateItem` that ADDs 1 to `attempts` under the condition that the record
 * is absent or live (locked and `lockedUntil` still ahead, or unlocked and its last attempt inside the
 * window), returning the item. It never touches `lockedUntil`.
 * - When the count reaches maxAttempts (or maxAttempts + 1 and still no lock is set), a second `UpdateItem`
 *   sets `lockedUntil`, on condition that none is set yet: concurrent attempts cannot move it.
 * - A record that is not live fails the first condition; a second `UpdateItem` then restarts the count
 *   at 1 and removes the lock, under the condition that the record is still not live (or absent).
 */
export async function recordAttempt(
  client: LockoutTableClient, policy: LockoutPolicy, key: string, nowMs: number, abortSignal?: AbortSignal,
): Promise<AttemptOutcome> {
  const windowStart = nowMs - policy.lockoutSeconds * 1000;
  const expiresAt = { N: String(Math.ceil(nowMs / 1000) + policy.lockoutSeconds) };
  let calls = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    try {
      calls++;
      // Names are aliased so that no attribute can ever collide with a DynamoDB reserved word.
      const output = await client.updateItem({
        TableName: policy.tableName,
        Key: { pk: { S: key } },
        UpdateExpression: 'ADD #attempts :one SET #last = :now, #expires = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#pk) OR #locked > :now OR (attribute_not_exists(#locked) AND #last > :windowStart)',
        ExpressionAttributeNames: { '#pk': 'pk', '#attempts': 'attempts', '#last': 'lastAttemptAt', '#expires': 'expiresAt', '#locked': 'lockedUntil' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(nowMs) }, ':expiresAt': expiresAt, ':windowStart': { N: String(windowStart) } },
        ReturnValues: 'ALL_NEW',
      }, abortSignal);
      const attempts = Number(output.Attributes?.attempts?.N);
      if (!Number.isInteger(attempts) || attempts < 1) {
        throw new Error('UpdateItem returned no attempts count.');
      }
      // The attempt that reaches maxAttempts sets the lock. The next one also does if it still finds none
      // (the first was cut short), so a burst costs at most two extra requests per lock.
      if ((attempts === policy.maxAttempts || attempts === policy.maxAttempts + 1) && output.Attributes?.lockedUntil === undefined) {
        calls++;
        await setLock(client, policy, key, nowMs, abortSignal);
      }
      return outcome(attempts, policy.maxAttempts, calls);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // The record exists and is no longer live: its lock ended, or its count went stale.
    }
    try {
      calls++;
      await client.updateItem({
        TableName: policy.tableName,
        Key: { pk: { S: key } },
        UpdateExpression: 'SET #attempts = :one, #last = :now, #expires = :expiresAt REMOVE #locked',
        ConditionExpression: 'attribute_not_exists(#pk) OR #locked <= :now '
          + 'OR (attribute_not_exists(#locked) AND (attribute_not_exists(#last) OR #last <= :windowStart))',
        ExpressionAttributeNames: { '#pk': 'pk', '#attempts': 'attempts', '#last': 'lastAttemptAt', '#expires': 'expiresAt', '#locked': 'lockedUntil' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(nowMs) }, ':expiresAt': expiresAt, ':windowStart': { N: String(windowStart) } },
      }, abortSignal);
      return outcome(1, policy.maxAttempts, calls);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Another attempt restarted the count first: count this one on top of it.
    }
  }
  throw new LockoutContentionError(MAX_ROUNDS * 2);
}

/**
 * Sets the lock: `lockedUntil` = now + lockoutDuration, only if no lock is set and the count still
 * stands at maxAttempts or more (a success may have reset it in between, and a concurrent attempt may
 * have set it first; either way there is nothing to do).
 */
async function setLock(client: LockoutTableClient, policy: LockoutPolicy, key: string, nowMs: number, abortSignal?: AbortSignal): Promise<void> {
  const lockedUntil = nowMs + policy.lockoutSeconds * 1000;
  try {
    await client.updateItem({
      TableName: policy.tableName,
      Key: { pk: { S: key } },
      UpdateExpression: 'SET #locked = :lockedUntil',
      ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#locked) AND #attempts >= :max',
      ExpressionAttributeNames: { '#pk': 'pk', '#locked': 'lockedUntil', '#attempts': 'attempts' },
      ExpressionAttributeValues: { ':lockedUntil': { N: String(lockedUntil) }, ':max': { N: String(policy.maxAttempts) } },
    }, abortSignal);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** Deletes the user's record: the count restarts after a successful sign-in or an admin unlock. */
export async function resetAttempts(client: LockoutTableClient, tableName: string, key: string, abortSignal?: AbortSignal): Promise<void> {
  await client.deleteItem({ TableName: tableName, Key: { pk: { S: key } } }, abortSignal);
}

function outcome(attempts: number, maxAttempts: number, calls: number): AttemptOutcome {
  return { attempts, locked: attempts > maxAttempts, newlyLocked: attempts === maxAttempts + 1, calls };
}

function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
