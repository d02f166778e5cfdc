/*
 * Cognito PreSignUp trigger: rejects a new user whose healthcare attributes are invalid, with
 * one message listing every problem. The rules live in HealthcareAttributeValidator.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { createPreSignUpHandler, rolesFromEnv } from './pre-sign-up-handler';
import { environmentUserHasher } from '../shared/user-hash';

// The username hash key, derived once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const kms = new KMSClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (KeyId, Message) => (await kms.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac);

export const handler = createPreSignUpHandler({ roles: () => rolesFromEnv(process.env), userHash });
