/*
 * Cognito CustomMessage trigger: verification, invitation, password reset, resent code,
 * attribute verification and sign-in code messages in Arabic, French or English.
 */
import { createCustomMessageHandler } from './custom-message-handler';

export const handler = createCustomMessageHandler();
