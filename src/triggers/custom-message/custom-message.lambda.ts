/*
 * Cognito CustomMessage trigger: verification, invitation, password reset, resent code,
 * attribute verification and sign-in code messages in Arabic, French or English.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { createCustomMessageHandler } from './custom-message-handler';
import { environmentUserHasher } from '../shared/user-hash';

// The username hash key, derived once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const kms = new KMSClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (KeyId, Message) => (await kms.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac);

export const handler = createCustomMessageHandler({ userHash });
