/*
 * Cognito PostAuthentication trigger: a successful sign-in resets the attempt count.
 */
import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createPostAuthenticationHandler, lockoutConfigFromEnv } from './lockout-handlers';

// The runtime's SDK (kept out of the bundle), with short timeouts: Cognito gives a trigger 5 seconds in all.
const dynamodb = new DynamoDBClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });

export const handler = createPostAuthenticationHandler({
  client: {
    updateItem: (input, abortSignal) => dynamodb.send(new UpdateItemCommand(input), { abortSignal }),
    deleteItem: (input, abortSignal) => dynamodb.send(new DeleteItemCommand(input), { abortSignal }),
  },
  config: () => lockoutConfigFromEnv(process.env),
});
