/*
 * The username in trigger logs: an HMAC-SHA-256 keyed with the deployment's own random key, so that
 * nobody who reads the logs, or knows the pool ID, can confirm a guessed email from them. Only a
 * principal that may read the key (docs/security-triggers.md, "Correlating a user") can compute it.
 *
 * Where the key comes from: a Secrets Manager secret that CloudFormation generates at deploy time
 * (GenerateSecretString), encrypted with the library's key. The template, snapshots and environment
 * hold only its ARN. A function reads it once per execution environment, on its first invocation, and
 * keeps it in memory: one network call per cold start, none on later sign-ins. An encrypted environment
 * variable was not chosen: CloudFormation would need the key's value in the template to set it.
 */
import { createHmac } from 'node:crypto';
import { TriggerConfigurationError } from './trigger-log';

/** Logged in place of the hash when the key could not be read: never the username or an unkeyed hash. */
export const USER_HASH_UNAVAILABLE = 'key-unavailable';
/** The environment variable holding the key secret's ARN (an ARN, never the key). */
export const USER_HASH_SECRET_ARN_VARIABLE = 'USER_HASH_SECRET_ARN';
/** The shortest key accepted; the generated key has 64 characters. */
const MIN_KEY_LENGTH = 32;
/** After a failed read, the next invocations log without a hash for this long instead of retrying on the sign-in path. */
const RETRY_AFTER_MS = 60_000;

/** Computes the logged hash of a user. */
export type UserHashFunction = (userPoolId: string, userName: string) => Promise<string>;

/**
 * HMAC-SHA-256 under `key` of `{userPoolId}:{username}`, the username NFC-normalised and lower-cased
 * (Cognito usernames are case-insensitive here), in hexadecimal.
 */
export function keyedUserHash(key: string | Uint8Array, userPoolId: string, userName: string): string {
  return createHmac('sha256', key).update(`${userPoolId}:${userName.normalize('NFC').toLowerCase()}`, 'utf8').digest('hex');
}

/** A hash function over a key that is already known (tests, the correlation script). */
export function userHasherWithKey(key: string | Uint8Array): UserHashFunction {
  return async (userPoolId, userName) => keyedUserHash(key, userPoolId, userName);
}

/**
 * A hash function that loads its key once with `loadKey` and keeps it. When the load fails it returns
 * `USER_HASH_UNAVAILABLE` (the sign-in goes on; only the log line loses its hash), reports the error name
 * with `warn`, and tries again after a minute.
 */
export function cachedKeyUserHasher(
  loadKey: () => Promise<string>, warn: (errorName: string) => void, now: () => number = Date.now,
): UserHashFunction {
  let key: Promise<string> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  return async (userPoolId, userName) => {
    if (!key) {
      if (now() - failedAt < RETRY_AFTER_MS) return USER_HASH_UNAVAILABLE;
      key = loadKey().then((value) => {
        if (typeof value !== 'string' || value.length < MIN_KEY_LENGTH) {
          throw Object.assign(new Error('The username hash key is shorter than 32 characters.'), { name: 'UserHashKeyTooShort' });
        }
        return value;
      });
    }
    try {
      return keyedUserHash(await key, userPoolId, userName);
    } catch (error) {
      key = undefined;
      failedAt = now();
      warn(error instanceof Error ? error.name : typeof error);
      return USER_HASH_UNAVAILABLE;
    }
  };
}

/** Reads a secret's string value (Secrets Manager GetSecretValue in the *.lambda.ts entry points). */
export type SecretReader = (secretArn: string) => Promise<string | undefined>;

/**
 * The hash function of a deployed trigger: reads the key with `readSecret` from the secret named by
 * `USER_HASH_SECRET_ARN`, on first use. Throws TriggerConfigurationError when the variable is missing or
 * not a secret ARN, which only a function not built by this library can meet.
 */
export function environmentUserHasher(readSecret: SecretReader, env?: Record<string, string | undefined>): UserHashFunction {
  let cached: { arn: string; hash: UserHashFunction } | undefined;
  return (userPoolId, userName) => {
    // process.env is read at call time, as the other trigger settings are.
    const arn = (env ?? process.env)[USER_HASH_SECRET_ARN_VARIABLE];
    if (!arn || !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(arn)) {
      throw new TriggerConfigurationError(`${USER_HASH_SECRET_ARN_VARIABLE} must be the ARN of the username hash key secret `
        + `(arn:aws:secretsmanager:<region>:<account>:secret:<name>); got ${arn ? 'a value of another form' : 'nothing'}. SecurityTriggers and MedflowCognito set it.`);
    }
    if (cached?.arn !== arn) {
      cached = {
        arn,
        hash: cachedKeyUserHasher(
          async () => (await readSecret(arn)) ?? '',
          (errorName) => process.stdout.write(`${JSON.stringify({ level: 'WARN', event: 'user_hash_key_unavailable', errorName })}\n`),
        ),
      };
    }
    return cached.hash(userPoolId, userName);
  };
}
