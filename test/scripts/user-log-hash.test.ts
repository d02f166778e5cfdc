import { parseArgs, userLogHashes } from '../../scripts/user-log-hash';
import { keyedUserHash } from '../../src/triggers/shared/user-hash';
import { TEST_HASH_KEY, TEST_HASH_SECRET_ARN } from '../triggers/user-hash-fixture';

const POOL = 'eu-west-3_Tr1ggErs9';
const EMAIL = 'dr.benali@clinic-one.example';
const POOL_USERNAME = '7c1f9a52-3b1e-4d0a-9f5e-2a4b6c8d0e1f';

describe('user-log-hash: the userHash an operator searches the trigger logs for', () => {
  test('computes the keyed hash of the email as typed and of the pool username, with the key read from the secret', async () => {
    const reads: string[] = [];
    const hashes = await userLogHashes({ userPoolId: POOL, secretArn: TEST_HASH_SECRET_ARN, user: EMAIL }, {
      getSecretValue: async (arn) => { reads.push(arn); return TEST_HASH_KEY; },
      adminGetUser: async () => ({ Username: POOL_USERNAME }),
    });
    expect(reads).toEqual([TEST_HASH_SECRET_ARN]);
    expect(hashes).toEqual([
      { of: 'as typed', userHash: keyedUserHash(TEST_HASH_KEY, POOL, EMAIL) },
      { of: 'pool username', userHash: keyedUserHash(TEST_HASH_KEY, POOL, POOL_USERNAME) },
    ]);
  });

  test('an unknown user gets the hash of the name as typed only; an empty secret is refused', async () => {
    const notFound = Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    await expect(userLogHashes({ userPoolId: POOL, secretArn: TEST_HASH_SECRET_ARN, user: EMAIL }, {
      getSecretValue: async () => TEST_HASH_KEY, adminGetUser: async () => { throw notFound; },
    })).resolves.toEqual([{ of: 'as typed', userHash: keyedUserHash(TEST_HASH_KEY, POOL, EMAIL) }]);
    await expect(userLogHashes({ userPoolId: POOL, secretArn: TEST_HASH_SECRET_ARN, user: EMAIL }, {
      getSecretValue: async () => undefined, adminGetUser: async () => ({}),
    })).rejects.toThrow(/holds no string value; it is not a username hash key/);
  });

  test('names a bad or missing argument', () => {
    expect(() => parseArgs(['--user-pool-id', POOL, '--user', EMAIL])).toThrow(/--secret-arn is required/);
    expect(() => parseArgs(['--user-pool-id', POOL, '--user', EMAIL, '--secret-arn', 'key'])).toThrow(/--secret-arn must be a Secrets Manager secret ARN/);
    expect(parseArgs(['--user-pool-id', POOL, '--user', EMAIL, '--secret-arn', TEST_HASH_SECRET_ARN])).toEqual({
      userPoolId: POOL, secretArn: TEST_HASH_SECRET_ARN, user: EMAIL, region: undefined,
    });
  });
});
