/*
 * Cognito PreAuthentication trigger: counts the sign-in attempt and rejects it while the account
 * is locked. See lockout-handlers.ts for the semantics.
 */
import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createPreAuthenticationHandler, lockoutConfigFromEnv } from './lockout-handlers';

// The runtime's SDK (kept out of the bundle), with short timeouts: Cognito gives a trigger 5 seconds in all.
const dynamodb = new DynamoDBClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });

export const handler = createPreAuthenticationHandler({
  client: {
    updateItem: (input, abortSignal) => dynamodb.send(new UpdateItemCommand(input), { abortSignal }),
    deleteItem: (input, abortSignal) => dynamodb.send(new DeleteItemCommand(input), { abortSignal }),
  },
  config: () => lockoutConfigFromEnv(process.env),
});
