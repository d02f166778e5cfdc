import { generateKeyPairSync, sign } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import type { Fetcher } from 'aws-jwt-verify/https';
import { CognitoAwsClients } from '../src/cognito-config';

export const REGION = 'eu-west-3';
export const POOL_ID = 'eu-west-3_AbC123xyz';
export const CLIENT_ID = '1example23456789abcdefghij';
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-3:111111111111:secret:prod-medflow-cognito-app-client-secret-AbCdEf';
export const CLIENT_SECRET = 'k3v9q0w8e7r6t5y4u3i2o1p0a9s8d7f6g5h4j3k2l1z0x9c8v7b';
export const CONFIG_PATH = '/prod/medflow/cognito';

/** The variables `auth.backendConfig.environmentVariables` sets in prod. */
export function prodEnv(): Record<string, string> {
  return {
    COGNITO_USER_POOL_ID: POOL_ID,
    COGNITO_CLIENT_ID: CLIENT_ID,
    COGNITO_CLIENT_SECRET_ARN: SECRET_ARN,
    COGNITO_REGION: REGION,
    COGNITO_AUTHORITY: ISSUER,
    COGNITO_IDENTITY_POOL_ID: 'eu-west-3:1a2b3c4d-1111-2222-3333-444455556666',
    COGNITO_CONFIG_PATH: CONFIG_PATH,
  };
}

/** SSM parameters as the construct writes them, and a secret as the rotation stores it. */
export class FakeAws implements CognitoAwsClients {
  public parameters: Record<string, string> = {
    [`${CONFIG_PATH}/user-pool-id`]: POOL_ID,
    [`${CONFIG_PATH}/client-id`]: CLIENT_ID,
    [`${CONFIG_PATH}/region`]: REGION,
    [`${CONFIG_PATH}/authority`]: ISSUER,
    [`${CONFIG_PATH}/identity-pool-id`]: 'eu-west-3:1a2b3c4d-1111-2222-3333-444455556666',
    [`${CONFIG_PATH}/domain`]: 'prod-medflow-auth.auth.eu-west-3.amazoncognito.com',
    [`${CONFIG_PATH}/client-secret-arn`]: SECRET_ARN,
  };
  public secretString = JSON.stringify({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clientSecretId: `${CLIENT_ID}--1` });
  public ssmError?: Error;
  public secretError?: Error;
  public readonly calls: string[] = [];

  public readonly ssm = {
    send: async (command: GetParametersCommand) => {
      this.calls.push('GetParameters');
      if (this.ssmError) throw this.ssmError;
      const names = command.input.Names ?? [];
      return {
        Parameters: names.filter((n) => n in this.parameters).map((n) => ({ Name: n, Value: this.parameters[n], Type: 'String' as const })),
        InvalidParameters: names.filter((n) => !(n in this.parameters)),
        $metadata: {},
      };
    },
  };

  public readonly secretsManager = {
    send: async (command: GetSecretValueCommand) => {
      this.calls.push('GetSecretValue');
      if (this.secretError) throw this.secretError;
      if (command.input.SecretId !== SECRET_ARN) throw Object.assign(new Error('Secrets Manager can\'t find the specified secret.'), { name: 'ResourceNotFoundException' });
      return { SecretString: this.secretString, $metadata: {} };
    },
  };
}

/** A user pool signing key, its JWKS, and tokens signed with it. */
export class FakeUserPool {
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  public readonly kid = 'test-key-1';
  public jwksFetches = 0;
  public jwksUnavailable = false;

  public get jwks(): { keys: object[] } {
    return { keys: [{ ...this.keys.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** Serves the JWKS at the pool's URI, counting fetches. */
  public readonly fetcher: Fetcher = {
    fetch: async (uri: string) => {
      this.jwksFetches++;
      if (this.jwksUnavailable) throw Object.assign(new Error(`connect ETIMEDOUT ${uri}`), { name: 'FetchError' });
      if (uri !== `${ISSUER}/.well-known/jwks.json`) throw new Error(`unexpected JWKS URI ${uri}`);
      return new TextEncoder().encode(JSON.stringify(this.jwks)).buffer as ArrayBuffer;
    },
  };

  public token(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', kid: this.kid };
    const payload = { iss: ISSUER, iat: now, exp: now + 3600, auth_time: now, jti: `jti-${now}`, sub: 'user-1', ...claims };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signingInput = `${encode(header)}.${encode(payload)}`;
    return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), this.keys.privateKey).toString('base64url')}`;
  }
}
