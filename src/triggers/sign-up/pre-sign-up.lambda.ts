/*
 * Cognito PreSignUp trigger: rejects a new user whose healthcare attributes are invalid, with
 * one message listing every problem. The rules live in HealthcareAttributeValidator.
 */
import { createPreSignUpHandler, rolesFromEnv } from './pre-sign-up-handler';

export const handler = createPreSignUpHandler({ roles: () => rolesFromEnv(process.env) });
