/*
 * Reads the COGNITO_* variables that `auth.backendConfig.environmentVariables` sets, resolves the SSM
 * parameters under COGNITO_CONFIG_PATH and the client secret at start-up, and validates everything at
 * once: a bad configuration fails with one message that lists every missing or malformed value.
 * No message ever contains the client secret.
 */
import { GetSecretValueCommand, GetSecretValueCommandOutput, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, GetParametersCommandOutput, SSMClient } from '@aws-sdk/client-ssm';

/** The configuration the seed's CognitoService takes, plus where it came from. */
export interface CognitoConfig {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Present when the app client has a secret. */
  readonly clientSecret?: string;
  readonly region: string;
  /** The OIDC issuer URL. */
  readonly authority?: string;
  readonly identityPoolId?: string;
  /** The hosted UI domain host, from SSM. */
  readonly domain?: string;
  /** The ARN of the secret holding the client secret. */
  readonly clientSecretArn?: string;
  /** The SSM path the parameters were read from. */
  readonly configPath?: string;
  /**
   * Where the pool's JWKS is fetched from instead of `{issuer}/.well-known/jwks.json`: the
   * COGNITO_JWKS_URL_OVERRIDE of a non-production run against a local emulator.
   */
  readonly jwksUrlOverride?: string;
}

export const ENV = {
  userPoolId: 'COGNITO_USER_POOL_ID',
  clientId: 'COGNITO_CLIENT_ID',
  clientSecretArn: 'COGNITO_CLIENT_SECRET_ARN',
  region: 'COGNITO_REGION',
  authority: 'COGNITO_AUTHORITY',
  identityPoolId: 'COGNITO_IDENTITY_POOL_ID',
  configPath: 'COGNITO_CONFIG_PATH',
  /** Non-production only: fetch the JWKS from this URL (a local emulator) instead of the pool's issuer. */
  jwksUrlOverride: 'COGNITO_JWKS_URL_OVERRIDE',
} as const;

/** SSM parameter names under COGNITO_CONFIG_PATH. */
export const PARAMETERS = {
  userPoolId: 'user-pool-id',
  clientId: 'client-id',
  region: 'region',
  authority: 'authority',
  identityPoolId: 'identity-pool-id',
  domain: 'domain',
  /** Written by the library whenever the app client has a secret: the secret's ARN, never its value. */
  clientSecretArn: 'client-secret-arn',
} as const;

/** The two AWS calls the loader makes; tests pass stubs. */
export interface CognitoAwsClients {
  readonly ssm: { send(command: GetParametersCommand): Promise<GetParametersCommandOutput> };
  readonly secretsManager: { send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput> };
}

export class CognitoConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid Cognito configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CognitoConfigError';
  }
}

const PATTERNS = {
  userPoolId: /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9a-zA-Z]+$/,
  clientId: /^[\w+]{1,128}$/,
  region: /^[a-z]{2}(?:-[a-z]+)+-\d+$/,
  identityPoolId: /^([a-z]{2}(?:-[a-z]+)+-\d+):[0-9a-f-]+$/,
  secretArn: /^arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$/,
  configPath: /^(\/[A-Za-z0-9_.-]+)+$/,
  clientSecret: /^[\w+]{24,64}$/,
};

export function createAwsClients(region?: string): CognitoAwsClients {
  return { ssm: new SSMClient({ region }), secretsManager: new SecretsManagerClient({ region }) };
}

type Key = keyof typeof PARAMETERS;

export async function loadCognitoConfig(env: Record<string, string | undefined>, clients?: CognitoAwsClients): Promise<CognitoConfig> {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const aws = clients ?? createAwsClients(read(ENV.region));

  const configPath = read(ENV.configPath);
  const fromSsm: Partial<Record<Key, string>> = {};
  if (configPath && !PATTERNS.configPath.test(configPath)) {
    problems.push(`${ENV.configPath} "${configPath}" is not an SSM path such as /prod/medflow/cognito`);
  } else if (configPath) {
    const keys = Object.keys(PARAMETERS) as Key[];
    try {
      const result = await aws.ssm.send(new GetParametersCommand({ Names: keys.map((k) => `${configPath}/${PARAMETERS[k]}`) }));
      for (const p of result.Parameters ?? []) {
        const key = keys.find((k) => p.Name === `${configPath}/${PARAMETERS[k]}`);
        if (key && p.Value) fromSsm[key] = p.Value;
      }
    } catch (error) {
      problems.push(`could not read the SSM parameters under ${configPath}: ${describe(error)}`);
    }
  }

  const pick = (key: Key, envName: string | undefined): string | undefined => {
    const envValue = envName ? read(envName) : undefined;
    const ssmValue = fromSsm[key];
    if (envValue && ssmValue && envValue !== ssmValue) {
      problems.push(`${envName} "${envValue}" differs from ${configPath}/${PARAMETERS[key]} "${ssmValue}"`);
    }
    return envValue ?? ssmValue;
  };
  const missing = (envName: string, key: Key) =>
    `${envName} is missing${configPath ? ` and ${configPath}/${PARAMETERS[key]} does not exist` : ''}`;

  const userPoolId = pick('userPoolId', ENV.userPoolId);
  const clientId = pick('clientId', ENV.clientId);
  const region = pick('region', ENV.region);
  const authority = pick('authority', ENV.authority);
  const identityPoolId = pick('identityPoolId', ENV.identityPoolId);
  const domain = pick('domain', undefined);
  // The library writes client-secret-arn whenever the client has a secret, so a client with a
  // secret never starts without it, even when COGNITO_CLIENT_SECRET_ARN was left out.
  const clientSecretArn = pick('clientSecretArn', ENV.clientSecretArn);
  const jwksUrlOverride = read(ENV.jwksUrlOverride);
  if (jwksUrlOverride && env.NODE_ENV === 'production') {
    problems.push(`${ENV.jwksUrlOverride} is set while NODE_ENV is production; it is for local emulators only: `
      + 'in production the JWKS always comes from the user pool\'s issuer. Unset it.');
  } else if (jwksUrlOverride && !/^https?:\/\/[^\s/]+\/\S*jwks\.json$/.test(jwksUrlOverride)) {
    problems.push(`${ENV.jwksUrlOverride} "${jwksUrlOverride}" is not a JWKS URL such as http://127.0.0.1:5000/eu-west-3_AbC123xyz/.well-known/jwks.json`);
  }

  if (!userPoolId) problems.push(missing(ENV.userPoolId, 'userPoolId'));
  else if (!PATTERNS.userPoolId.test(userPoolId)) problems.push(`${ENV.userPoolId} "${userPoolId}" is not a user pool ID such as eu-west-3_AbC123xyz`);
  if (!clientId) problems.push(missing(ENV.clientId, 'clientId'));
  else if (!PATTERNS.clientId.test(clientId)) problems.push(`${ENV.clientId} "${clientId}" is not an app client ID (1-128 word characters)`);
  if (!region) problems.push(missing(ENV.region, 'region'));
  else if (!PATTERNS.region.test(region)) problems.push(`${ENV.region} "${region}" is not an AWS region such as eu-west-3`);
  else if (userPoolId && PATTERNS.userPoolId.test(userPoolId) && PATTERNS.userPoolId.exec(userPoolId)![1] !== region) {
    problems.push(`${ENV.userPoolId} "${userPoolId}" is not in ${ENV.region} "${region}"`);
  }
  if (authority) {
    const expected = userPoolId && region ? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}` : undefined;
    if (!/^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[\w-]+$/.test(authority)) {
      problems.push(`${ENV.authority} "${authority}" is not a Cognito issuer URL such as https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_AbC123xyz`);
    } else if (expected && !authority.startsWith(expected)) {
      problems.push(`${ENV.authority} "${authority}" is not the issuer of the user pool (${expected})`);
    }
  }
  if (identityPoolId && !PATTERNS.identityPoolId.test(identityPoolId)) {
    problems.push(`${ENV.identityPoolId} "${identityPoolId}" is not an identity pool ID such as eu-west-3:1a2b3c4d-...`);
  }

  let clientSecret: string | undefined;
  // The app client has a secret: without it every Cognito call of the client fails, so the start fails instead.
  const secretSource = read(ENV.clientSecretArn) ? ENV.clientSecretArn : `${configPath}/${PARAMETERS.clientSecretArn}`;
  const noSecret = `; the app client has a secret (${secretSource}) and the application does not start without it: `
    + `${ENV.clientSecretArn} must name it and the application must be allowed to read it (auth.backendConfig.grantRead)`;
  if (clientSecretArn && !PATTERNS.secretArn.test(clientSecretArn)) {
    problems.push(`${ENV.clientSecretArn} "${clientSecretArn}" is not a Secrets Manager secret ARN`);
  } else if (clientSecretArn) {
    try {
      const secret = await aws.secretsManager.send(new GetSecretValueCommand({ SecretId: clientSecretArn }));
      const checked = checkSecret(secret.SecretString, userPoolId, clientId);
      if (typeof checked === 'string') problems.push(`the secret ${clientSecretArn} ${checked}${noSecret}`);
      else clientSecret = checked.clientSecret;
    } catch (error) {
      problems.push(`could not read the client secret ${clientSecretArn}: ${describe(error)}${noSecret}`);
    }
  }

  if (problems.length > 0) throw new CognitoConfigError(problems);
  return {
    userPoolId: userPoolId!,
    clientId: clientId!,
    region: region!,
    ...(clientSecret !== undefined && { clientSecret, clientSecretArn }),
    ...(authority !== undefined && { authority }),
    ...(identityPoolId !== undefined && { identityPoolId }),
    ...(domain !== undefined && { domain }),
    ...(configPath !== undefined && { configPath }),
    ...(jwksUrlOverride !== undefined && { jwksUrlOverride }),
  };
}

/** Re-reads the client secret, for rotation: the previous one stays valid for the grace period. */
export async function readClientSecret(config: CognitoConfig, clients: CognitoAwsClients): Promise<string> {
  if (!config.clientSecretArn) throw new Error('The app client has no secret (COGNITO_CLIENT_SECRET_ARN is not set).');
  const secret = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: config.clientSecretArn }));
  const checked = checkSecret(secret.SecretString, config.userPoolId, config.clientId);
  if (typeof checked === 'string') throw new CognitoConfigError([`the secret ${config.clientSecretArn} ${checked}`]);
  return checked.clientSecret;
}

/** The secret's JSON, or what is wrong with it (never quoting the value). */
function checkSecret(secretString: string | undefined, userPoolId?: string, clientId?: string): { clientSecret: string } | string {
  let value: { userPoolId?: unknown; clientId?: unknown; clientSecret?: unknown };
  try {
    value = JSON.parse(secretString ?? '');
  } catch {
    return 'is not JSON; expected {"userPoolId", "clientId", "clientSecret"}';
  }
  const wrong: string[] = [];
  if (typeof value?.clientSecret !== 'string' || !PATTERNS.clientSecret.test(value.clientSecret)) wrong.push('its clientSecret is missing or malformed');
  if (clientId && value?.clientId !== clientId) wrong.push(`it belongs to client ${JSON.stringify(value?.clientId)}, not ${clientId}`);
  if (userPoolId && value?.userPoolId !== userPoolId) wrong.push(`it belongs to user pool ${JSON.stringify(value?.userPoolId)}, not ${userPoolId}`);
  return wrong.length > 0 ? wrong.join('; ') : { clientSecret: value.clientSecret as string };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
