/*
 * The bundled entry points themselves: environment configuration and the AWS SDK client,
 * mocked at send().
 */
import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { USERNAME, USER_POOL_ID, customMessageEvent, postAuthenticationEvent, preAuthenticationEvent, preSignUpEvent } from './events';
import { TEST_HASH_KEY, TEST_HASH_KEY_ARN } from './user-hash-fixture';
import { handler as customMessage } from '../../src/triggers/custom-message/custom-message.lambda';
import { handler as postAuthentication } from '../../src/triggers/lockout/post-authentication.lambda';
import { handler as preAuthentication } from '../../src/triggers/lockout/pre-authentication.lambda';
import { lockKey } from '../../src/triggers/shared/trigger-log';
import { handler as preSignUp } from '../../src/triggers/sign-up/pre-sign-up.lambda';

const ENV = {
  LOCKOUT_TABLE_NAME: 'prod-medflow-cognito-account-lockout',
  LOCKOUT_MAX_ATTEMPTS: '5',
  LOCKOUT_DURATION_SECONDS: '1800',
  LOCKOUT_FAILURE_MODE: 'FAIL_CLOSED',
  HEALTHCARE_ROLES: '["clinic_admin","physician","nurse","receptionist"]',
  CLINICAL_ROLES: '["physician","nurse"]',
  USER_HASH_KEY_ARN: TEST_HASH_KEY_ARN,
};

let send: jest.SpyInstance;
const saved = { ...process.env };

beforeEach(() => {
  Object.assign(process.env, ENV);
  send = jest.spyOn(DynamoDBClient.prototype, 'send');
  jest.spyOn(KMSClient.prototype, 'send').mockResolvedValue({ Mac: TEST_HASH_KEY } as never);
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
});

describe('pre-authentication.lambda', () => {
  test('sends one UpdateItem to the configured table with the hashed key', async () => {
    send.mockResolvedValue({ Attributes: { attempts: { N: '1' } } } as never);
    await expect(preAuthentication(preAuthenticationEvent())).resolves.toMatchObject({ userName: USERNAME });
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0][0];
    expect(command).toBeInstanceOf(UpdateItemCommand);
    expect(command.input).toMatchObject({ TableName: ENV.LOCKOUT_TABLE_NAME, Key: { pk: { S: lockKey(USER_POOL_ID, USERNAME) } } });
    expect(send.mock.calls[0][1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  test('fails closed as configured when the SDK throws', async () => {
    send.mockRejectedValue(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }) as never);
    await expect(preAuthentication(preAuthenticationEvent())).rejects.toThrow(/temporarily unavailable/);
  });

  test('restarts an expired count or ended lock when the SDK reports a failed condition', async () => {
    send
      .mockRejectedValueOnce(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }) as never)
      .mockResolvedValueOnce({} as never);
    await expect(preAuthentication(preAuthenticationEvent())).resolves.toBeDefined();
    expect(send.mock.calls[1][0].input.UpdateExpression).toBe('SET #attempts = :one, #last = :now, #expires = :expiresAt REMOVE #locked');
  });
});

describe('post-authentication.lambda', () => {
  test('sends one DeleteItem for the user', async () => {
    send.mockResolvedValue({} as never);
    await expect(postAuthentication(postAuthenticationEvent())).resolves.toMatchObject({ userName: USERNAME });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0]).toBeInstanceOf(DeleteItemCommand);
    expect(send.mock.calls[0][0].input).toEqual({ TableName: ENV.LOCKOUT_TABLE_NAME, Key: { pk: { S: lockKey(USER_POOL_ID, USERNAME) } } });
  });
});

describe('pre-sign-up.lambda', () => {
  test('reads the roles from HEALTHCARE_ROLES and CLINICAL_ROLES', async () => {
    await expect(preSignUp(preSignUpEvent('PreSignUp_AdminCreateUser'))).resolves.toBeDefined();
    process.env.HEALTHCARE_ROLES = '["clinic_admin"]';
    await expect(preSignUp(preSignUpEvent('PreSignUp_AdminCreateUser'))).rejects.toThrow(/custom:user_role must be one of: clinic_admin\./);
    process.env.HEALTHCARE_ROLES = 'physician';
    await expect(preSignUp(preSignUpEvent('PreSignUp_AdminCreateUser'))).rejects.toThrow(/HEALTHCARE_ROLES must be a JSON array of role names/);
  });
});

describe('custom-message.lambda', () => {
  test('renders the message', async () => {
    const result = await customMessage(customMessageEvent('CustomMessage_SignUp', 'ar')) as { response: { emailMessage: string } };
    expect(result.response.emailMessage).toContain('dir="rtl"');
  });
});
