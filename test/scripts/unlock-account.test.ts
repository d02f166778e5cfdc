import { parseArgs, unlockAccount } from '../../scripts/unlock-account';
import { SecurityTriggers } from '../../src';
import { FAIL_OPEN, LOCKED_MESSAGE, createPreAuthenticationHandler } from '../../src/triggers/lockout/lockout-handlers';
import { EMAIL, USERNAME, USER_POOL_ID, preAuthenticationEvent } from '../triggers/events';
import { FakeDynamoDb } from '../triggers/fake-dynamodb';
import { TEST_USER_HASH } from '../triggers/user-hash-fixture';

const TABLE = 'prod-medflow-cognito-account-lockout';

function lockedUser() {
  const db = new FakeDynamoDb(TABLE);
  const pre = createPreAuthenticationHandler({
    client: db,
    write: () => undefined,
    userHash: TEST_USER_HASH,
    config: () => ({ policy: { tableName: TABLE, maxAttempts: 5, lockoutSeconds: 1800 }, failureMode: FAIL_OPEN, deadlineMs: 1500 }),
  });
  return { db, pre };
}

const cognito = (users: Record<string, string>) => ({
  adminGetUser: async ({ Username }: { UserPoolId: string; Username: string }) => {
    const found = users[Username.toLowerCase()];
    if (!found) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    return { Username: found };
  },
});

describe('admin unlock', () => {
  test('unlocking by email deletes the lock of the pool username, and the next attempt is allowed', async () => {
    const { db, pre } = lockedUser();
    for (let i = 0; i < 6; i++) await pre(preAuthenticationEvent()).catch(() => undefined);
    await expect(pre(preAuthenticationEvent())).rejects.toThrow(LOCKED_MESSAGE);

    const result = await unlockAccount({ ...cognito({ [EMAIL]: USERNAME }), deleteItem: (input) => db.deleteItem(input) },
      { userPoolId: USER_POOL_ID, tableName: TABLE, user: EMAIL });
    const keys = [SecurityTriggers.lockKey(USER_POOL_ID, USERNAME), SecurityTriggers.lockKey(USER_POOL_ID, EMAIL)];
    expect(result).toEqual({ keys, removed: 1, userExists: true });
    expect(db.peek(SecurityTriggers.lockKey(USER_POOL_ID, USERNAME))).toBeUndefined();
    await expect(pre(preAuthenticationEvent())).resolves.toBeDefined();
  });

  test('a name that is not a user (locked as typed) is unlocked by that name', async () => {
    const typed = 'Someone.Else@clinic-one.example';
    const { db, pre } = lockedUser();
    for (let i = 0; i < 6; i++) await pre(preAuthenticationEvent(typed, true)).catch(() => undefined);
    const result = await unlockAccount({ ...cognito({}), deleteItem: (input) => db.deleteItem(input) },
      { userPoolId: USER_POOL_ID, tableName: TABLE, user: typed.toLowerCase() });
    expect(result).toEqual({ keys: [SecurityTriggers.lockKey(USER_POOL_ID, typed)], removed: 1, userExists: false });
    await expect(pre(preAuthenticationEvent(typed, true))).resolves.toBeDefined();
  });

  test('nothing to unlock is reported, and other errors propagate', async () => {
    const db = new FakeDynamoDb(TABLE);
    await expect(unlockAccount({ ...cognito({ [EMAIL]: USERNAME }), deleteItem: (input) => db.deleteItem(input) },
      { userPoolId: USER_POOL_ID, tableName: TABLE, user: EMAIL })).resolves.toMatchObject({ removed: 0 });
    const denied = { adminGetUser: async () => { throw Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }); }, deleteItem: (input: never) => db.deleteItem(input) };
    await expect(unlockAccount(denied, { userPoolId: USER_POOL_ID, tableName: TABLE, user: EMAIL })).rejects.toThrow('not allowed');
  });

  test('arguments are checked', () => {
    expect(parseArgs(['--user-pool-id', USER_POOL_ID, '--table', TABLE, '--user', EMAIL, '--region', 'eu-west-3']))
      .toEqual({ userPoolId: USER_POOL_ID, tableName: TABLE, user: EMAIL, region: 'eu-west-3' });
    expect(() => parseArgs(['--table', TABLE, '--user', EMAIL])).toThrow(/--user-pool-id is required\. Usage: unlock-account/);
    expect(() => parseArgs(['--user-pool-id', 'pool', '--table', TABLE, '--user', EMAIL])).toThrow(/--user-pool-id must look like/);
    expect(() => parseArgs(['--user-pool-id', USER_POOL_ID, '--table'])).toThrow(/--table needs a value/);
    expect(() => parseArgs(['--force'])).toThrow(/Unknown argument "--force"/);
  });
});
