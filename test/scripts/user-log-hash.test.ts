import { parseArgs, userLogHashes } from '../../scripts/user-log-hash';
import { USER_HASH_KEY_LABEL, keyedUserHash } from '../../src/triggers/shared/user-hash';
import { TEST_HASH_KEY, TEST_HASH_KEY_ARN } from '../triggers/user-hash-fixture';

const POOL = 'eu-west-3_Tr1ggErs9';
const EMAIL = 'dr.benali@clinic-one.example';
const POOL_USERNAME = '7c1f9a52-3b1e-4d0a-9f5e-2a4b6c8d0e1f';

describe('user-log-hash: the userHash an operator searches the trigger logs for', () => {
  test('computes the keyed hash of the email as typed and of the pool username, with the key derived by GenerateMac', async () => {
    const calls: [string, string][] = [];
    const hashes = await userLogHashes({ userPoolId: POOL, keyArn: TEST_HASH_KEY_ARN, user: EMAIL }, {
      generateMac: async (arn, message) => { calls.push([arn, Buffer.from(message).toString()]); return TEST_HASH_KEY; },
      adminGetUser: async () => ({ Username: POOL_USERNAME }),
    });
    expect(calls).toEqual([[TEST_HASH_KEY_ARN, USER_HASH_KEY_LABEL]]);
    expect(hashes).toEqual([
      { of: 'as typed', userHash: keyedUserHash(TEST_HASH_KEY, POOL, EMAIL) },
      { of: 'pool username', userHash: keyedUserHash(TEST_HASH_KEY, POOL, POOL_USERNAME) },
    ]);
  });

  test('an unknown user gets the hash of the name as typed only; a key that gives no MAC is refused', async () => {
    const notFound = Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    await expect(userLogHashes({ userPoolId: POOL, keyArn: TEST_HASH_KEY_ARN, user: EMAIL }, {
      generateMac: async () => TEST_HASH_KEY, adminGetUser: async () => { throw notFound; },
    })).resolves.toEqual([{ of: 'as typed', userHash: keyedUserHash(TEST_HASH_KEY, POOL, EMAIL) }]);
    await expect(userLogHashes({ userPoolId: POOL, keyArn: TEST_HASH_KEY_ARN, user: EMAIL }, {
      generateMac: async () => undefined, adminGetUser: async () => ({}),
    })).rejects.toThrow(/returned no 32-byte MAC; it is not the username hash key/);
  });

  test('names a bad or missing argument', () => {
    expect(() => parseArgs(['--user-pool-id', POOL, '--user', EMAIL])).toThrow(/--key-arn is required/);
    expect(() => parseArgs(['--user-pool-id', POOL, '--user', EMAIL, '--key-arn', 'alias/key'])).toThrow(/--key-arn must be a KMS key ARN/);
    expect(parseArgs(['--user-pool-id', POOL, '--user', EMAIL, '--key-arn', TEST_HASH_KEY_ARN])).toEqual({
      userPoolId: POOL, keyArn: TEST_HASH_KEY_ARN, user: EMAIL, region: undefined,
    });
  });
});
