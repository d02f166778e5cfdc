/*
 * No trigger writes an attribute value or a raw username to its logs, on any path: accepted,
 * rejected, locked, store failure, bad event.
 */
import { createHash } from 'node:crypto';
import {
  CUSTOM_MESSAGE_SOURCES, EMAIL, PHYSICIAN_ATTRIBUTES, PRE_SIGN_UP_SOURCES, USERNAME, USER_POOL_ID,
  customMessageEvent, lineCollector, postAuthenticationEvent, preAuthenticationEvent, preSignUpEvent,
} from './events';
import { FakeDynamoDb } from './fake-dynamodb';
import { TEST_HASH_KEY, TEST_USER_HASH, expectedUserHash } from './user-hash-fixture';
import { createCustomMessageHandler } from '../../src/triggers/custom-message/custom-message-handler';
import { FAIL_CLOSED, createPostAuthenticationHandler, createPreAuthenticationHandler } from '../../src/triggers/lockout/lockout-handlers';
import { lockKey } from '../../src/triggers/shared/trigger-log';
import { createPreSignUpHandler } from '../../src/triggers/sign-up/pre-sign-up-handler';
import { HealthcareAttributeValidator } from '../../src/user-pool/healthcare-attribute-validator';

const TABLE = 'privacy-table';
// Values that are long and distinctive enough that finding one in a log can only mean a leak.
const SECRETS = [USERNAME, EMAIL, ...Object.values(PHYSICIAN_ATTRIBUTES).filter((v) => v.length >= 8)];

test('the distinctive values are really distinctive', () => {
  expect(SECRETS).toEqual(expect.arrayContaining([USERNAME, EMAIL, '1234567893', 'MA-LIC-77215', '3b241101-e2bb-4255-8caf-4136c566a962', 'physician']));
});

test('no log line of any trigger contains an attribute value or the raw username', async () => {
  const log = lineCollector();
  const db = new FakeDynamoDb(TABLE);
  const config = () => ({ policy: { tableName: TABLE, maxAttempts: 2, lockoutSeconds: 60 }, failureMode: FAIL_CLOSED, deadlineMs: 1500 });
  const pre = createPreAuthenticationHandler({ client: db, config, write: log.write, userHash: TEST_USER_HASH });
  const post = createPostAuthenticationHandler({ client: db, config, write: log.write, userHash: TEST_USER_HASH });
  const signUp = createPreSignUpHandler({
    roles: () => ({ roles: HealthcareAttributeValidator.defaultRoles(), clinicalRoles: HealthcareAttributeValidator.defaultClinicalRoles() }),
    write: log.write,
    userHash: TEST_USER_HASH,
  });
  const message = createCustomMessageHandler({ write: log.write, userHash: TEST_USER_HASH });
  const swallow = (p: Promise<unknown>) => p.catch(() => undefined);

  for (const userName of [USERNAME, EMAIL]) {
    for (let i = 0; i < 4; i++) await swallow(pre(preAuthenticationEvent(userName)));
    await post(postAuthenticationEvent(userName));
  }
  db.outage = () => Object.assign(new Error(`throttled for ${EMAIL}`), { name: 'ThrottlingException' });
  await swallow(pre(preAuthenticationEvent(EMAIL)));
  await post(postAuthenticationEvent(EMAIL));
  for (const source of PRE_SIGN_UP_SOURCES) {
    await signUp(preSignUpEvent(source, PHYSICIAN_ATTRIBUTES, EMAIL));
    await swallow(signUp(preSignUpEvent(source, { ...PHYSICIAN_ATTRIBUTES, 'custom:npi_number': '1234567890', 'custom:medical_license': 'MA LIC #77215' }, EMAIL)));
  }
  for (const source of CUSTOM_MESSAGE_SOURCES) {
    for (const language of ['ar', 'fr', 'en']) await message(customMessageEvent(source, language));
  }
  await swallow(message({ ...customMessageEvent('CustomMessage_SignUp', 'fr'), triggerSource: 'CustomMessage_Other' }));

  const everything = log.lines.join('\n');
  expect(log.lines.length).toBeGreaterThan(40);
  for (const secret of [...SECRETS, '1234567890', 'MA LIC #77215']) {
    expect(everything).not.toContain(secret);
  }
  expect(everything.toLowerCase()).not.toContain(EMAIL.toLowerCase());
  // Usernames appear only as the keyed hash: never as the unkeyed SHA-256 anyone could recompute from a guess, never with the key.
  const hashes = new Set(log.records().map((r) => r.userHash).filter((h) => h !== undefined));
  expect([...hashes].sort()).toEqual([expectedUserHash(USER_POOL_ID, USERNAME), expectedUserHash(USER_POOL_ID, EMAIL)].sort());
  for (const userName of [USERNAME, EMAIL]) {
    expect(everything).not.toContain(lockKey(USER_POOL_ID, userName));
    expect(everything).not.toContain(createHash('sha256').update(userName.toLowerCase()).digest('hex'));
  }
  for (const encoding of ['hex', 'base64', 'utf8'] as const) expect(everything).not.toContain(TEST_HASH_KEY.toString(encoding));
  // Every line is one JSON object.
  for (const line of log.lines) expect(() => JSON.parse(line)).not.toThrow();
});
