/*
 * Flow 7 with the NestJS application: CognitoConfigModule from examples/nestjs-backend starts against
 * moto's SSM and Secrets Manager (staging stack), validates, verifies a token moto issued, reports
 * JWKS health, and refuses to start, naming the parameter, when one is missing.
 *
 * The example has its own package.json and tsconfig (decorator metadata): `npx projen e2e` installs and
 * builds it (dist/) first. Its compiled modules are loaded with require so that the library's lint and
 * type-check never depend on that install.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CognitoRehearsal } from './cognito-rehearsal';
import { Deployment, deployStack } from './deploy';
import { resetMoto } from './moto-server';
import { PHYSICIAN_ATTRIBUTES, REHEARSAL_PASSWORD } from './physician';

const NEST_DIR = path.resolve(__dirname, '..', '..', 'examples', 'nestjs-backend');
const CONFIG_PATH = '/staging/medflow/cognito';
const PHYSICIAN = PHYSICIAN_ATTRIBUTES;

/* eslint-disable @typescript-eslint/no-require-imports */
type AnyModule = Record<string, any>;
function loadNest(): { Test: AnyModule; app: AnyModule } {
  const built = path.join(NEST_DIR, 'dist', 'src', 'index.js');
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
    SecretString: JSON.stringify({ userPoolId: d.userPoolId, clientId: d.clientId, clientSecret: 'n3st' + 'y'.repeat(47), clientSecretId: 'rehearsal' }),
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
