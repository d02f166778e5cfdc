/*
 * Cognito PreAuthentication trigger: counts the sign-in attempt and rejects it while the account
 * is locked. See lockout-handlers.ts for the semantics.
 */
import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { createPreAuthenticationHandler, lockoutConfigFromEnv } from './lockout-handlers';
import { environmentUserHasher } from '../shared/user-hash';

/**
 * The runtime's SDK (kept out of the bundle), with short timeouts: Cognito gives a trigger 5 seconds in all.
 * No SDK retries: the count is an `ADD`, so a retry after a try whose answer was lost (a reset connection,
 * a timeout) though DynamoDB had applied it would count one sign-in attempt twice. A failed try goes to the failure mode instead.
 */
export const PRE_AUTHENTICATION_DYNAMODB_CONFIG = { maxAttempts: 1, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } } as const;
const dynamodb = new DynamoDBClient(PRE_AUTHENTICATION_DYNAMODB_CONFIG);

// The username hash key, derived once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const kms = new KMSClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (KeyId, Message) => (await kms.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac);

export const handler = createPreAuthenticationHandler({
  client: {
    updateItem: (input, abortSignal) => dynamodb.send(new UpdateItemCommand(input), { abortSignal }),
    deleteItem: (input, abortSignal) => dynamodb.send(new DeleteItemCommand(input), { abortSignal }),
  },
  config: () => lockoutConfigFromEnv(process.env),
  userHash,
});
