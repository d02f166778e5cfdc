/*
 * The username in trigger logs: an HMAC-SHA-256 keyed with the deployment's own key, so that nobody who
 * reads the logs, or knows the pool ID, can confirm a guessed email from them. Only a principal allowed to
 * derive the key (docs/security-triggers.md, "Keyed username hashes") can compute it.
 *
 * Where the key comes from: a KMS HMAC key per deployment (username-hash-key.ts). A function derives its
 * hashing key once per execution environment, on its first invocation, as KMS GenerateMac of a fixed label,
 * and keeps it in memory: one KMS call per cold start, none on later sign-ins. The KMS API Reference for
 * GenerateMac names this use: "You can also use the raw result to implement HMAC-based algorithms such as key
 * derivation functions" (https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html). The derived key is the same
 * for every function and every cold start, because an HMAC of the same message under the same key is the
 * same. A Secrets Manager secret would work as well, but needs a rotation exemption; an encrypted environment
 * variable would need the key's value in the template.
 */
import { createHmac } from 'node:crypto';
import { TriggerConfigurationError } from './trigger-log';

/** Logged in place of the hash when the key could not be read: never the username or an unkeyed hash. */
export const USER_HASH_UNAVAILABLE = 'key-unavailable';
/** The environment variable holding the KMS key's ARN (an ARN, never key material). */
export const USER_HASH_KEY_ARN_VARIABLE = 'USER_HASH_KEY_ARN';
/** The message whose MAC under the KMS key is the hashing key. Changing it changes every hash. */
export const USER_HASH_KEY_LABEL = 'medflow-cognito-trigger-log-username-hash-key-v1';
/** The MacAlgorithm of the derivation (HMAC_256 keys support HMAC_SHA_256). */
export const USER_HASH_KEY_LABEL_ALGORITHM = 'HMAC_SHA_256';
/** The shortest key accepted, in bytes; an HMAC_SHA_256 MAC has 32. */
const MIN_KEY_BYTES = 32;
/** After a failed read, the next invocations log without a hash for this long instead of retrying on the sign-in path. */
const RETRY_AFTER_MS = 60_000;

/** Computes the logged hash of a user. */
export type UserHashFunction = (userPoolId: string, userName: string) => Promise<string>;

/**
 * HMAC-SHA-256 under `key` of `{userPoolId}:{username}`, the username NFC-normalised and lower-cased
 * (Cognito usernames are case-insensitive here), in hexadecimal.
 */
export function keyedUserHash(key: Uint8Array | string, userPoolId: string, userName: string): string {
  return createHmac('sha256', key).update(`${userPoolId}:${userName.normalize('NFC').toLowerCase()}`, 'utf8').digest('hex');
}

/** A hash function over a key that is already known (tests, the correlation script). */
export function userHasherWithKey(key: Uint8Array | string): UserHashFunction {
  return async (userPoolId, userName) => keyedUserHash(key, userPoolId, userName);
}

/**
 * A hash function that loads its key once with `loadKey` and keeps it. When the load fails it returns
 * `USER_HASH_UNAVAILABLE` (the sign-in goes on; only the log line loses its hash), reports the error name
 * with `warn`, and tries again after a minute.
 */
export function cachedKeyUserHasher(
  loadKey: () => Promise<Uint8Array>, warn: (errorName: string) => void, now: () => number = Date.now,
): UserHashFunction {
  let key: Promise<Uint8Array> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  return async (userPoolId, userName) => {
    if (!key) {
      if (now() - failedAt < RETRY_AFTER_MS) return USER_HASH_UNAVAILABLE;
      key = loadKey().then((value) => {
        if (!(value instanceof Uint8Array) || value.length < MIN_KEY_BYTES) {
          throw Object.assign(new Error('The derived username hash key is shorter than 32 bytes.'), { name: 'UserHashKeyTooShort' });
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

/** KMS GenerateMac with the deployment's HMAC key (in the *.lambda.ts entry points and the correlation script). */
export type MacGenerator = (keyArn: string, message: Uint8Array) => Promise<Uint8Array | undefined>;

/** The hashing key: the KMS key's MAC of `USER_HASH_KEY_LABEL`. */
export async function deriveUserHashKey(generateMac: MacGenerator, keyArn: string): Promise<Uint8Array> {
  return (await generateMac(keyArn, Buffer.from(USER_HASH_KEY_LABEL, 'utf8'))) ?? new Uint8Array();
}

/**
 * The hash function of a deployed trigger: derives the key with `generateMac` from the KMS key named by
 * `USER_HASH_KEY_ARN`, on first use. Throws TriggerConfigurationError when the variable is missing or not a
 * KMS key ARN, which only a function not built by this library can meet.
 */
export function environmentUserHasher(generateMac: MacGenerator, env?: Record<string, string | undefined>): UserHashFunction {
  let cached: { arn: string; hash: UserHashFunction } | undefined;
  return (userPoolId, userName) => {
    // process.env is read at call time, as the other trigger settings are.
    const arn = (env ?? process.env)[USER_HASH_KEY_ARN_VARIABLE];
    if (!arn || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(arn)) {
      throw new TriggerConfigurationError(`${USER_HASH_KEY_ARN_VARIABLE} must be the ARN of the username hash KMS key `
        + `(arn:aws:kms:<region>:<account>:key/<id>); got ${arn ? 'a value of another form' : 'nothing'}. SecurityTriggers and MedflowCognito set it.`);
    }
    if (cached?.arn !== arn) {
      cached = {
        arn,
        hash: cachedKeyUserHasher(
          () => deriveUserHashKey(generateMac, arn),
          (errorName) => process.stdout.write(`${JSON.stringify({ level: 'WARN', event: 'user_hash_key_unavailable', errorName })}\n`),
        ),
      };
    }
    return cached.hash(userPoolId, userName);
  };
}
