/* The username hash key of the trigger tests: fixed test bytes, never a deployment's. */
import { keyedUserHash, userHasherWithKey } from '../../src/triggers/shared/user-hash';

/** What KMS GenerateMac answers in these tests: 32 bytes, as an HMAC_SHA_256 MAC has. */
export const TEST_HASH_KEY = Buffer.from('test-only-username-hash-key-0123', 'utf8');
export const TEST_USER_HASH = userHasherWithKey(TEST_HASH_KEY);
/** A placeholder ARN in the documentation account. */
export const TEST_HASH_KEY_ARN = 'arn:aws:kms:eu-west-3:111111111111:key/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

export function expectedUserHash(userPoolId: string, userName: string): string {
  return keyedUserHash(TEST_HASH_KEY, userPoolId, userName);
}
