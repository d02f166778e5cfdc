/*
 * Cognito CustomMessage trigger: verification, invitation, password reset, resent code,
 * attribute verification and sign-in code messages in Arabic, French or English.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createCustomMessageHandler } from './custom-message-handler';
import { environmentUserHasher } from '../shared/user-hash';

// The username hash key, read once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const secrets = new SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (secretArn) => (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString);

export const handler = createCustomMessageHandler({ userHash });
