/* The username hash key of the trigger tests: a fixed test key, never a deployment's. */
import { keyedUserHash, userHasherWithKey } from '../../src/triggers/shared/user-hash';

export const TEST_HASH_KEY = 'test-only-username-hash-key-0123456789abcdefghij';
export const TEST_USER_HASH = userHasherWithKey(TEST_HASH_KEY);
/** A placeholder ARN in the documentation account. */
export const TEST_HASH_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-3:111111111111:secret:test-username-hash-key-AbCdEf';

export function expectedUserHash(userPoolId: string, userName: string): string {
  return keyedUserHash(TEST_HASH_KEY, userPoolId, userName);
}
