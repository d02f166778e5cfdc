/*
 * Cognito PostAuthentication trigger: a successful sign-in resets the attempt count.
 */
import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { createPostAuthenticationHandler, lockoutConfigFromEnv } from './lockout-handlers';
import { environmentUserHasher } from '../shared/user-hash';

// The runtime's SDK (kept out of the bundle), with short timeouts: Cognito gives a trigger 5 seconds in all.
const dynamodb = new DynamoDBClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });

// The username hash key, derived once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const kms = new KMSClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (KeyId, Message) => (await kms.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac);

export const handler = createPostAuthenticationHandler({
  client: {
    updateItem: (input, abortSignal) => dynamodb.send(new UpdateItemCommand(input), { abortSignal }),
    deleteItem: (input, abortSignal) => dynamodb.send(new DeleteItemCommand(input), { abortSignal }),
  },
  config: () => lockoutConfigFromEnv(process.env),
  userHash,
});
