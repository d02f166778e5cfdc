/*
 * Cognito PreAuthentication trigger: counts the sign-in attempt and rejects it while the account
 * is locked. See lockout-handlers.ts for the semantics.
 */
import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createPreAuthenticationHandler, lockoutConfigFromEnv } from './lockout-handlers';
import { environmentUserHasher } from '../shared/user-hash';

/**
 * The runtime's SDK (kept out of the bundle), with short timeouts: Cognito gives a trigger 5 seconds in all.
 * No SDK retries: the count is an `ADD`, so a retry after a try whose answer was lost (a reset connection,
 * a timeout) though DynamoDB had applied it would count one sign-in attempt twice. A failed try goes to the failure mode instead.
 */
export const PRE_AUTHENTICATION_DYNAMODB_CONFIG = { maxAttempts: 1, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } } as const;
const dynamodb = new DynamoDBClient(PRE_AUTHENTICATION_DYNAMODB_CONFIG);

// The username hash key, read once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const secrets = new SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (secretArn) => (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString);

export const handler = createPreAuthenticationHandler({
  client: {
    updateItem: (input, abortSignal) => dynamodb.send(new UpdateItemCommand(input), { abortSignal }),
    deleteItem: (input, abortSignal) => dynamodb.send(new DeleteItemCommand(input), { abortSignal }),
  },
  config: () => lockoutConfigFromEnv(process.env),
  userHash,
});
