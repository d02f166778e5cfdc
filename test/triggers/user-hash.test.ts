/*
 * The keyed username hash of the trigger logs: an HMAC under a key derived once per execution environment
 * from the deployment's KMS HMAC key.
 */
import { createHash } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { USERNAME, USER_POOL_ID, customMessageEvent } from './events';
import { TEST_HASH_KEY, TEST_HASH_KEY_ARN } from './user-hash-fixture';
import { handler as customMessage } from '../../src/triggers/custom-message/custom-message.lambda';
import { lockKey } from '../../src/triggers/shared/trigger-log';
import {
  USER_HASH_KEY_LABEL, USER_HASH_UNAVAILABLE, cachedKeyUserHasher, environmentUserHasher, keyedUserHash,
} from '../../src/triggers/shared/user-hash';

const POOL = 'eu-west-3_Tr1ggErs9';
const EMAIL = 'dr.benali@clinic-one.example';
const OTHER_KEY = Buffer.from('another-deployment-hash-key-9876', 'utf8');

describe('keyedUserHash', () => {
  test('the same username gives different hashes under different keys, and the same hash under the same key', () => {
    expect(keyedUserHash(TEST_HASH_KEY, POOL, EMAIL)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedUserHash(TEST_HASH_KEY, POOL, EMAIL)).toBe(keyedUserHash(Buffer.from(TEST_HASH_KEY), POOL, EMAIL));
    expect(keyedUserHash(OTHER_KEY, POOL, EMAIL)).not.toBe(keyedUserHash(TEST_HASH_KEY, POOL, EMAIL));
  });

  test('it is not the unkeyed SHA-256 anyone could compute from the pool ID and a guessed email', () => {
    const hash = keyedUserHash(TEST_HASH_KEY, POOL, EMAIL);
    expect(hash).not.toBe(lockKey(POOL, EMAIL));
    expect(hash).not.toBe(createHash('sha256').update(`${POOL}:${EMAIL}`).digest('hex'));
    expect(hash).not.toBe(createHash('sha256').update(EMAIL).digest('hex'));
  });

  test('usernames compare as Cognito compares them here: case-insensitively, NFC-normalised', () => {
    expect(keyedUserHash(TEST_HASH_KEY, POOL, 'Dr.Benali@Clinic-One.example')).toBe(keyedUserHash(TEST_HASH_KEY, POOL, EMAIL));
    expect(keyedUserHash(TEST_HASH_KEY, POOL, 'e\u0301lodie@clinic.example')).toBe(keyedUserHash(TEST_HASH_KEY, POOL, '\u00e9lodie@clinic.example'));
    expect(keyedUserHash(TEST_HASH_KEY, 'eu-west-3_Other', EMAIL)).not.toBe(keyedUserHash(TEST_HASH_KEY, POOL, EMAIL));
  });
});

describe('cachedKeyUserHasher', () => {
  test('derives the key once for any number of sign-ins', async () => {
    const load = jest.fn(async () => TEST_HASH_KEY);
    const hash = cachedKeyUserHasher(load, () => undefined);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => hash(POOL, `user${i}@clinic.example`)));
    expect(results[7]).toBe(keyedUserHash(TEST_HASH_KEY, POOL, 'user7@clinic.example'));
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('when the key cannot be derived it logs no hash at all, reports the error by name, and tries again a minute later', async () => {
    let clock = 0;
    const warnings: string[] = [];
    const load = jest.fn<Promise<Uint8Array>, []>()
      .mockRejectedValueOnce(Object.assign(new Error(`denied for ${EMAIL}`), { name: 'AccessDeniedException' }))
      .mockResolvedValue(TEST_HASH_KEY);
    const hash = cachedKeyUserHasher(load, (name) => warnings.push(name), () => clock);
    await expect(hash(POOL, EMAIL)).resolves.toBe(USER_HASH_UNAVAILABLE);
    clock = 59_000;
    await expect(hash(POOL, EMAIL)).resolves.toBe(USER_HASH_UNAVAILABLE);
    expect(load).toHaveBeenCalledTimes(1);
    clock = 61_000;
    await expect(hash(POOL, EMAIL)).resolves.toBe(keyedUserHash(TEST_HASH_KEY, POOL, EMAIL));
    expect(warnings).toEqual(['AccessDeniedException']);
  });

  test('a key shorter than 32 bytes is refused, not used', async () => {
    const warnings: string[] = [];
    const hash = cachedKeyUserHasher(async () => new Uint8Array(8), (name) => warnings.push(name));
    await expect(hash(POOL, EMAIL)).resolves.toBe(USER_HASH_UNAVAILABLE);
    expect(warnings).toEqual(['UserHashKeyTooShort']);
  });
});

describe('environmentUserHasher', () => {
  afterEach(() => jest.restoreAllMocks());

  test('names the variable and the expected form when USER_HASH_KEY_ARN is missing or not a KMS key ARN', () => {
    const generateMac = jest.fn(async () => TEST_HASH_KEY);
    expect(() => environmentUserHasher(generateMac, {})(POOL, EMAIL)).toThrow(/USER_HASH_KEY_ARN must be the ARN of the username hash KMS key .*got nothing/);
    expect(() => environmentUserHasher(generateMac, { USER_HASH_KEY_ARN: 'alias/my-key' })(POOL, EMAIL))
      .toThrow(/USER_HASH_KEY_ARN must be .*got a value of another form/);
    expect(generateMac).not.toHaveBeenCalled();
  });

  test('a deployed trigger derives the key with one GenerateMac on the key named by USER_HASH_KEY_ARN per execution environment', async () => {
    const send = jest.spyOn(KMSClient.prototype, 'send').mockResolvedValue({ Mac: TEST_HASH_KEY } as never);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.env.USER_HASH_KEY_ARN = TEST_HASH_KEY_ARN;
    try {
      for (let i = 0; i < 5; i++) await customMessage(customMessageEvent('CustomMessage_SignUp', 'fr'));
      expect(send).toHaveBeenCalledTimes(1);
      const command = send.mock.calls[0][0] as GenerateMacCommand;
      expect(command).toBeInstanceOf(GenerateMacCommand);
      expect(command.input).toEqual({ KeyId: TEST_HASH_KEY_ARN, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(USER_HASH_KEY_LABEL) });
      const lines = write.mock.calls.map((c) => JSON.parse(String(c[0])));
      expect(lines.map((l) => l.userHash)).toEqual(Array(5).fill(keyedUserHash(TEST_HASH_KEY, USER_POOL_ID, USERNAME)));
    } finally {
      delete process.env.USER_HASH_KEY_ARN;
    }
  });
});
