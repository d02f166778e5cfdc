/*
 * Post-deploy smoke test of one environment: checks the user pool's configuration and that the
 * canary user can sign in (password, then the TOTP code where MFA applies), then signs the canary
 * out everywhere. It prints check names and outcomes only: never a password, code or token.
 *
 * Run by the pipeline after each stage:
 *   USER_POOL_ID=... CANARY_CLIENT_ID=... ENVIRONMENT_NAME=staging CANARY_SECRET_ID=/staging/medflow/cognito/canary \
 *   npx ts-node --project tsconfig.dev.json examples/pipeline/smoke-test.ts
 * The secret holds JSON: {"username": "...", "password": "...", "totpSecret": "<base32, where MFA is on>"}.
 */
import { createHmac } from 'node:crypto';
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HealthcareAttributes } from '../../src';

/** The part of the Cognito client the smoke test uses; tests pass a fake. */
export interface CognitoSender {
  send(
    command: DescribeUserPoolCommand | AdminInitiateAuthCommand | AdminRespondToAuthChallengeCommand | AdminUserGlobalSignOutCommand,
  ): Promise<any>;
}

export interface CanaryCredentials {
  readonly username: string;
  readonly password: string;
  /** Base32 TOTP secret of the canary's authenticator, where MFA is on. */
  readonly totpSecret?: string;
}

export interface SmokeTestConfig {
  readonly environmentName: string;
  readonly userPoolId: string;
  /** The canary app client: ADMIN_USER_PASSWORD_AUTH only, usable only with IAM credentials. */
  readonly canaryClientId: string;
  readonly canary: CanaryCredentials;
  /** Current time in milliseconds, for the TOTP code. */
  readonly now?: () => number;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** MFA mode each environment's preset sets. */
const EXPECTED_MFA: Record<string, string> = { dev: 'OFF', staging: 'OPTIONAL', prod: 'ON' };

export async function runSmokeTest(cognito: CognitoSender, config: SmokeTestConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });

  const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: config.userPoolId }));
  if (!pool) {
    check('user pool exists', false, `DescribeUserPool returned no pool for ${config.userPoolId}`);
    return results;
  }
  check('user pool exists', true, String(pool.Id));
  const usernames = JSON.stringify(pool.UsernameAttributes ?? []);
  check('email is the username', usernames === '["email"]', `UsernameAttributes ${usernames}`);
  check('usernames are case-insensitive', pool.UsernameConfiguration?.CaseSensitive === false,
    `CaseSensitive ${String(pool.UsernameConfiguration?.CaseSensitive)}`);
  const present = new Set((pool.SchemaAttributes ?? []).map((a: { Name?: string }) => a.Name));
  const missing = HealthcareAttributes.definitions().map((d) => `custom:${d.name}`).filter((n) => !present.has(n));
  check('healthcare attributes present', missing.length === 0, missing.length === 0 ? 'all 7' : `missing ${missing.join(', ')}`);
  const expectedMfa = EXPECTED_MFA[config.environmentName];
  if (expectedMfa) check('MFA as the preset sets it', pool.MfaConfiguration === expectedMfa, `MfaConfiguration ${String(pool.MfaConfiguration)}, expected ${expectedMfa}`);
  if (config.environmentName !== 'dev') {
    check('deletion protection active', pool.DeletionProtection === 'ACTIVE', `DeletionProtection ${String(pool.DeletionProtection)}`);
  }
  check('self sign-up off', pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly === true,
    `AllowAdminCreateUserOnly ${String(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly)}`);
  const lambdaConfig = pool.LambdaConfig ?? {};
  check('lockout triggers attached', Boolean(lambdaConfig.PreAuthentication && lambdaConfig.PostAuthentication),
    `PreAuthentication ${lambdaConfig.PreAuthentication ? 'set' : 'missing'}, PostAuthentication ${lambdaConfig.PostAuthentication ? 'set' : 'missing'}`);

  results.push(await canarySignIn(cognito, config));
  return results;
}

async function canarySignIn(cognito: CognitoSender, config: SmokeTestConfig): Promise<CheckResult> {
  const name = 'canary user signs in';
  const { username, password, totpSecret } = config.canary;
  const base = { UserPoolId: config.userPoolId, ClientId: config.canaryClientId };
  let response = await cognito.send(new AdminInitiateAuthCommand({
    ...base, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
  if (response.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
    if (!totpSecret) return { name, ok: false, detail: 'MFA challenge, but the canary secret has no totpSecret' };
    response = await cognito.send(new AdminRespondToAuthChallengeCommand({
      ...base,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: response.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(totpSecret, (config.now ?? Date.now)()) },
    }));
  }
  if (response.ChallengeName) {
    return { name, ok: false, detail: `unexpected challenge ${String(response.ChallengeName)}: finish the canary's setup (docs/deployment.md)` };
  }
  if (!response.AuthenticationResult?.AccessToken) return { name, ok: false, detail: 'no tokens in the response' };
  // The canary's refresh token is revoked at once, so no session outlives the check.
  await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: config.userPoolId, Username: username }));
  return { name, ok: true, detail: 'tokens issued, then revoked' };
}

/* eslint-disable no-bitwise -- RFC 4226 dynamic truncation and base32 decoding are defined on bits. */
/** RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits), as Cognito's software token MFA uses. */
export function totp(base32Secret: string, nowMs: number, digits = 6): string {
  const key = base32Decode(base32Secret);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 1000 / 30)));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0x0f;
  const code = (hmac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = input.toUpperCase().replace(/=+$/, '').replace(/\s/g, '');
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`totpSecret: invalid base32 character ${JSON.stringify(char)}; allowed: A-Z and 2-7`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
/* eslint-enable no-bitwise */

/** Reads a required environment variable, naming it when it is missing. */
function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`smoke test: environment variable ${name} is not set; the pipeline step sets it from the stage's outputs.`);
  return value;
}

async function main(): Promise<void> {
  const secretId = requiredEnv('CANARY_SECRET_ID');
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  const canary = JSON.parse(secret.SecretString ?? '{}') as CanaryCredentials;
  if (!canary.username || !canary.password) throw new Error(`smoke test: secret ${secretId} needs "username" and "password".`);
  const results = await runSmokeTest(new CognitoIdentityProviderClient({}), {
    environmentName: requiredEnv('ENVIRONMENT_NAME'),
    userPoolId: requiredEnv('USER_POOL_ID'),
    canaryClientId: requiredEnv('CANARY_CLIENT_ID'),
    canary,
  });
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}: ${r.detail}`);
  if (results.some((r) => !r.ok)) process.exit(1);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`FAIL  smoke test: ${error.name}: ${error.message}`);
    process.exit(1);
  });
}
