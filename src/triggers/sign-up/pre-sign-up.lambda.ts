/*
 * Cognito PreSignUp trigger: rejects a new user whose healthcare attributes are invalid, with
 * one message listing every problem. The rules live in HealthcareAttributeValidator.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createPreSignUpHandler, rolesFromEnv } from './pre-sign-up-handler';
import { environmentUserHasher } from '../shared/user-hash';

// The username hash key, read once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const secrets = new SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (secretArn) => (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString);

export const handler = createPreSignUpHandler({ roles: () => rolesFromEnv(process.env), userHash });
