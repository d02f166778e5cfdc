/*
 * Flow 7 with the NestJS application: CognitoConfigModule from examples/nestjs-backend starts against
 * moto's SSM and Secrets Manager (staging stack), validates, verifies a token moto issued, reports
 * JWKS health, and refuses to start, naming the parameter, when one is missing. Then the built
 * application runs with `npm start` (health 200 from moto's JWKS through COGNITO_JWKS_URL_OVERRIDE),
 * refreshes through POST /auth/refresh keeping the rotated token (GetTokensFromRefreshToken is a
 * labelled fake: moto has no such operation), and updates attributes through the validated admin endpoint.
 *
 * The example has its own package.json and tsconfig (decorator metadata): `npx projen e2e` installs and
 * builds it (dist/) first. Its compiled modules are loaded with require so that the library's lint and
 * type-check never depend on that install.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  AdminGetUserCommand, CognitoIdentityProviderClient, DescribeUserPoolClientCommand, GetTokensFromRefreshTokenCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CognitoRehearsal, secretHash } from './cognito-rehearsal';
import { Deployment, deployStack } from './deploy';
import { resetMoto } from './moto-server';
import { PHYSICIAN_ATTRIBUTES, REHEARSAL_PASSWORD } from './physician';

const NEST_DIR = path.resolve(__dirname, '..', '..', 'examples', 'nestjs-backend');
const CONFIG_PATH = '/staging/medflow/cognito';
const PHYSICIAN = PHYSICIAN_ATTRIBUTES;
/** The client secret a rotation would have set, stored in Secrets Manager below (moto's own is a UUID, which the module refuses). */
const REHEARSAL_CLIENT_SECRET = 'n3st' + 'y'.repeat(47);

/* eslint-disable @typescript-eslint/no-require-imports */
type AnyModule = Record<string, any>;
function loadNest(): { Test: AnyModule; app: AnyModule } {
  const built = path.join(NEST_DIR, 'dist', 'examples', 'nestjs-backend', 'src', 'index.js');
  if (!fs.existsSync(built) || !fs.existsSync(path.join(NEST_DIR, 'node_modules', '@nestjs', 'testing'))) {
    throw new Error(`${built} or ${NEST_DIR}/node_modules is missing: run \`npx projen e2e\`, which installs and builds the example.`);
  }
  require(path.join(NEST_DIR, 'node_modules', 'reflect-metadata'));
  return { Test: require(path.join(NEST_DIR, 'node_modules', '@nestjs', 'testing')).Test, app: require(built) };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Fetches the pool's JWKS from moto: the module asks for Cognito's real URL, which is rewritten to the local server. */
const motoFetcher = {
  requested: [] as string[],
  async fetch(uri: string): Promise<ArrayBuffer> {
    this.requested.push(uri);
    const local = uri.replace(/^https:\/\/cognito-idp\.eu-west-3\.amazonaws\.com/, process.env.MOTO_E2E_ENDPOINT!);
    const response = await fetch(local);
    if (!response.ok) throw new Error(`GET ${local} answered HTTP ${response.status}`);
    return response.arrayBuffer();
  },
};

let d: Deployment;
let idToken: string;
let accessToken: string;

beforeAll(async () => {
  await resetMoto();
  d = await deployStack('MedflowAuthStaging');
  const rehearsal = new CognitoRehearsal(d);
  await rehearsal.adminCreateUser('dr.benali@clinic-one.example', PHYSICIAN, REHEARSAL_PASSWORD);
  const { tokens } = await rehearsal.signIn('dr.benali@clinic-one.example', REHEARSAL_PASSWORD);
  idToken = tokens.IdToken!;
  accessToken = tokens.AccessToken!;
  // moto's client secret is a UUID, which the module rightly refuses (docs/e2e.md); store the value a rotation would.
  await new SecretsManagerClient({}).send(new PutSecretValueCommand({
    SecretId: d.secretArn,
    SecretString: JSON.stringify({ userPoolId: d.userPoolId, clientId: d.clientId, clientSecret: REHEARSAL_CLIENT_SECRET, clientSecretId: 'rehearsal' }),
  }));
});

async function start(env: Record<string, string | undefined>) {
  const { Test, app } = loadNest();
  return Test.createTestingModule({
    imports: [app.CognitoConfigModule.forRoot({ env, fetcher: motoFetcher, secretRefreshIntervalMs: 0, healthCacheMs: 0 })],
  }).compile();
}

const ENV = () => ({ COGNITO_CONFIG_PATH: CONFIG_PATH, COGNITO_CLIENT_SECRET_ARN: d.secretArn, COGNITO_REGION: 'eu-west-3' });

test('7. CognitoConfigModule starts against moto, validates, verifies tokens from the pool and reports JWKS health', async () => {
  const { app } = loadNest();
  const moduleRef = await start(ENV());
  try {
    const { config } = moduleRef.get(app.CognitoConfigService);
    expect(config).toMatchObject({ userPoolId: d.userPoolId, clientId: d.clientId, identityPoolId: d.identityPoolId, configPath: CONFIG_PATH });
    const verifier = moduleRef.get(app.CognitoTokenVerifier);
    expect((await verifier.verifyIdToken(idToken))['custom:user_role']).toBe('physician');
    expect((await verifier.verifyAccessToken(accessToken)).client_id).toBe(d.clientId);
    await expect(verifier.verifyIdToken(accessToken)).rejects.toThrow('Token use not allowed: access. Expected: id');
    expect(motoFetcher.requested[0]).toBe(`https://cognito-idp.eu-west-3.amazonaws.com/${d.userPoolId}/.well-known/jwks.json`);
    const health = await moduleRef.get(app.CognitoHealthService).check();
    expect(health.status).toBe('up');
  } finally {
    await moduleRef.close();
  }
});

test('7. CognitoConfigModule refuses to start, naming the parameter, when one is missing', async () => {
  const ssm = new SSMClient({});
  const name = `${CONFIG_PATH}/user-pool-id`;
  await ssm.send(new DeleteParameterCommand({ Name: name }));
  try {
    await expect(start(ENV())).rejects.toThrow(`COGNITO_USER_POOL_ID is missing and ${name} does not exist`);
  } finally {
    await ssm.send(new PutParameterCommand({ Name: name, Value: d.userPoolId, Type: 'String' }));
  }
});

/*
 * FAKE, for GetTokensFromRefreshToken only: moto 5.2.5 does not implement that operation. Every other
 * call goes to moto. The fake does what Cognito documents for a rotating client: it checks the client
 * secret, issues new tokens, returns a new refresh token and refuses the one it replaced (this fake
 * applies no retry grace period). It gets the tokens from moto's REFRESH_TOKEN_AUTH; moto keys refresh
 * tokens to the name the user signed in with (the email here, where Cognito would use the
 * cognito:username), so the fake learns each refresh token's user from the sign-in that issued it.
 */
class FakeRotatingRefresh {
  private readonly moto = new CognitoIdentityProviderClient({});
  private readonly tokens = new Map<string, { motoRefreshToken: string; signInName: string }>();
  private readonly retired = new Set<string>();
  public rotations = 0;

  public readonly client = {
    send: async (command: { constructor: { name: string }; input: unknown }): Promise<unknown> => {
      // The example has its own copy of the SDK, so the command is recognised by name, not instanceof.
      if (command.constructor.name !== GetTokensFromRefreshTokenCommand.name) return this.moto.send(command as never);
      const { ClientId, ClientSecret, RefreshToken } = command.input as GetTokensFromRefreshTokenCommand['input'];
      const described = await this.moto.send(new DescribeUserPoolClientCommand({ UserPoolId: this.deployment.userPoolId, ClientId }));
      const entry = RefreshToken ? this.tokens.get(RefreshToken) : undefined;
      if (ClientSecret !== REHEARSAL_CLIENT_SECRET || !entry || this.retired.has(RefreshToken!)) {
        throw Object.assign(new Error('Invalid Refresh Token.'), { name: 'NotAuthorizedException' });
      }
      const auth = await this.moto.send(new InitiateAuthCommand({
        ClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: {
          REFRESH_TOKEN: entry.motoRefreshToken,
          SECRET_HASH: secretHash(entry.signInName, ClientId!, described.UserPoolClient!.ClientSecret!),
        },
      }));
      const rotated = `fake-rotated-${++this.rotations}-${Date.now()}`;
      this.tokens.set(rotated, entry);
      this.retired.add(RefreshToken!);
      return { AuthenticationResult: { ...auth.AuthenticationResult, RefreshToken: rotated } };
    },
  };

  constructor(private readonly deployment: Deployment) {}

  public signedIn(refreshToken: string, signInName: string): void {
    this.tokens.set(refreshToken, { motoRefreshToken: refreshToken, signInName });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test('npm start: the built application starts and GET /health/cognito answers 200 from moto\'s JWKS through COGNITO_JWKS_URL_OVERRIDE', async () => {
  const port = await freePort();
  const jwks = `${process.env.MOTO_E2E_ENDPOINT}/${d.userPoolId}/.well-known/jwks.json`;
  const child = spawn('npm', ['start', '--silent'], {
    cwd: NEST_DIR,
    env: { ...process.env, ...ENV(), COGNITO_JWKS_URL_OVERRIDE: jwks, PORT: String(port), NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  try {
    let response: Response | undefined;
    for (let i = 0; i < 100 && !response; i++) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${stderr}`);
      response = await fetch(`http://127.0.0.1:${port}/health/cognito`).catch(() => undefined);
      if (!response) await new Promise((r) => setTimeout(r, 200));
    }
    expect(response?.status).toBe(200);
    expect(await response!.json()).toMatchObject({ status: 'up', jwksUri: jwks });
  } finally {
    // npm starts node as its child: stop the process group that this test started.
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
  }
});

test('refresh keeps the rotated token (GetTokensFromRefreshToken through a labelled fake), and the validated admin endpoint writes a good NPI and refuses a bad one', async () => {
  const { Test, app } = loadNest();
  const rehearsal = new CognitoRehearsal(d);
  const adminEmail = 'admin@clinic-one.example';
  await rehearsal.adminCreateUser(adminEmail, { ...PHYSICIAN, 'custom:user_role': 'clinic_admin' }, REHEARSAL_PASSWORD);
  const signIn = await rehearsal.signIn(adminEmail, REHEARSAL_PASSWORD);
  const fake = new FakeRotatingRefresh(d);
  fake.signedIn(signIn.tokens.RefreshToken!, adminEmail);
  const jwks = `${process.env.MOTO_E2E_ENDPOINT}/${d.userPoolId}/.well-known/jwks.json`;
  const moduleRef = await Test.createTestingModule({
    imports: [app.CognitoConfigModule.forRoot({
      env: { ...ENV(), COGNITO_JWKS_URL_OVERRIDE: jwks }, cognito: fake.client, secretRefreshIntervalMs: 0, healthCacheMs: 0,
    })],
  }).compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  await nest.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(nest.getHttpServer().address() as net.AddressInfo).port}`;
  const post = (url: string, body: unknown, token?: string, method = 'POST') => fetch(`${base}${url}`, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  });
  try {
    const verifier = moduleRef.get(app.CognitoTokenVerifier);
    expect((await verifier.verifyAccessToken(signIn.tokens.AccessToken!))['cognito:groups']).toContain('clinic_admin');

    const first = await post('/auth/refresh', { refreshToken: signIn.tokens.RefreshToken });
    expect(first.status).toBe(200);
    const refreshed = await first.json() as { rotated: boolean; refreshToken: string; accessToken: string };
    expect(refreshed.rotated).toBe(true);
    expect(refreshed.refreshToken).not.toBe(signIn.tokens.RefreshToken);
    expect((await verifier.verifyAccessToken(refreshed.accessToken)).client_id).toBe(d.clientId);
    // The replaced token is refused; the kept one refreshes again.
    expect((await post('/auth/refresh', { refreshToken: signIn.tokens.RefreshToken })).status).toBe(401);
    expect((await post('/auth/refresh', { refreshToken: refreshed.refreshToken })).status).toBe(200);
    expect(fake.rotations).toBe(2);

    const target = encodeURIComponent('dr.benali@clinic-one.example');
    const good = await post(`/admin/users/${target}/attributes`, { attributes: { 'custom:npi_number': '1245319599' } }, refreshed.accessToken, 'PATCH');
    expect(good.status).toBe(204);
    const bad = await post(`/admin/users/${target}/attributes`, { attributes: { 'custom:npi_number': '1245319598' } }, refreshed.accessToken, 'PATCH');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('custom:npi_number');
    const user = await new CognitoIdentityProviderClient({}).send(new AdminGetUserCommand({ UserPoolId: d.userPoolId, Username: 'dr.benali@clinic-one.example' }));
    expect(user.UserAttributes?.find((a) => a.Name === 'custom:npi_number')?.Value).toBe('1245319599');
    // A physician's token may not administer users.
    expect((await post(`/admin/users/${target}/attributes`, { attributes: { 'custom:npi_number': '1245319599' } }, accessToken, 'PATCH')).status).toBe(403);
  } finally {
    await nest.close();
  }
});
