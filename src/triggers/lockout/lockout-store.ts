/*
 * The account lockout's DynamoDB logic, independent of the Lambda runtime so that tests drive it
 * with an in-memory table.
 *
 * One item per user: { pk: lockKey, attempts: N, lastAttemptAt: N (epoch ms), expiresAt: N (epoch s, TTL) }.
 * A record whose lastAttemptAt is lockoutDuration or more in the past is expired and counts as
 * absent, whatever TTL has or has not deleted yet.
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
  /** Whether this attempt is rejected: more than maxAttempts in the window. */
  readonly locked: boolean;
  /** Whether this is the first rejected attempt of the window: the account has just become locked. */
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
 * Common case, one request: `UpdateItem` that ADDs 1 to `attempts` under the condition that
 * the record is absent or still inside the window, returning the new count.
 * An expired record fails that condition; a second `UpdateItem` then restarts the window at 1,
 * under the condition that the record is still expired (or absent).
 */
export async function recordAttempt(
  client: LockoutTableClient, policy: LockoutPolicy, key: string, nowMs: number, abortSignal?: AbortSignal,
): Promise<AttemptOutcome> {
  const windowStart = nowMs - policy.lockoutSeconds * 1000;
  const values = {
    ':one': { N: '1' },
    ':now': { N: String(nowMs) },
    ':expiresAt': { N: String(Math.ceil(nowMs / 1000) + policy.lockoutSeconds) },
    ':windowStart': { N: String(windowStart) },
  };
  // Names are aliased so that no attribute can ever collide with a DynamoDB reserved word.
  const names = { '#pk': 'pk', '#attempts': 'attempts', '#last': 'lastAttemptAt', '#expires': 'expiresAt' };
  let calls = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    try {
      calls++;
      const output = await client.updateItem({
        TableName: policy.tableName,
        Key: { pk: { S: key } },
        UpdateExpression: 'ADD #attempts :one SET #last = :now, #expires = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#pk) OR #last > :windowStart',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      }, abortSignal);
      const attempts = Number(output.Attributes?.attempts?.N);
      if (!Number.isInteger(attempts) || attempts < 1) {
        throw new Error('UpdateItem returned no attempts count.');
      }
      return outcome(attempts, policy.maxAttempts, calls);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // The record exists and its last attempt is outside the window: the lock has expired.
    }
    try {
      calls++;
      await client.updateItem({
        TableName: policy.tableName,
        Key: { pk: { S: key } },
        UpdateExpression: 'SET #attempts = :one, #last = :now, #expires = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#last) OR #last <= :windowStart',
        ExpressionAttributeNames: { '#attempts': 'attempts', '#last': 'lastAttemptAt', '#expires': 'expiresAt' },
        ExpressionAttributeValues: values,
      }, abortSignal);
      return outcome(1, policy.maxAttempts, calls);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Another attempt restarted the window first: count this one on top of it.
    }
  }
  throw new LockoutContentionError(MAX_ROUNDS * 2);
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
