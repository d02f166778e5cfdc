import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CognitoConfigModule, CognitoConfigService, CognitoHealthService, CognitoTokenVerifier } from '../src';
import { CLIENT_ID, CLIENT_SECRET, FakeAws, FakeUserPool, ISSUER, POOL_ID, prodEnv } from './fakes';

async function start(env: Record<string, string>, aws: FakeAws, pool: FakeUserPool, secretRefreshIntervalMs = 0) {
  const moduleRef = await Test.createTestingModule({
    imports: [CognitoConfigModule.forRoot({ env, clients: aws, fetcher: pool.fetcher, secretRefreshIntervalMs, healthCacheMs: 0 })],
  }).compile();
  return moduleRef;
}

describe('CognitoConfigModule', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  test('start-up resolves the typed configuration of the seed\'s CognitoService', async () => {
    const moduleRef = await start(prodEnv(), new FakeAws(), new FakeUserPool());
    const { config } = moduleRef.get(CognitoConfigService);
    const seedParameters: { userPoolId: string; clientId: string; clientSecret?: string; region: string; authority?: string; identityPoolId?: string } = config;
    expect(seedParameters).toEqual(expect.objectContaining({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, region: 'eu-west-3', authority: ISSUER }));
    await moduleRef.close();
  });

  test('start-up fails with the one message listing every problem', async () => {
    const { COGNITO_USER_POOL_ID: _pool, ...env } = prodEnv();
    const aws = new FakeAws();
    aws.parameters = {};
    await expect(start({ ...env, COGNITO_REGION: 'nowhere' }, aws, new FakeUserPool()))
      .rejects.toThrow(/Invalid Cognito configuration \(2 problems\):\n {2}- COGNITO_USER_POOL_ID is missing and \/prod\/medflow\/cognito\/user-pool-id does not exist\n {2}- COGNITO_REGION "nowhere" is not an AWS region/);
  });

  test('tokens are verified against the pool\'s JWKS, fetched once and cached', async () => {
    const pool = new FakeUserPool();
    const moduleRef = await start(prodEnv(), new FakeAws(), pool);
    const verifier = moduleRef.get(CognitoTokenVerifier);
    const access = pool.token({ token_use: 'access', client_id: CLIENT_ID, scope: 'openid', username: 'user-1' });
    const id = pool.token({ token_use: 'id', aud: CLIENT_ID, email: 'doctor@clinic.example' });

    await expect(verifier.verifyAccessToken(access)).resolves.toEqual(expect.objectContaining({ client_id: CLIENT_ID, token_use: 'access' }));
    await expect(verifier.verifyIdToken(id)).resolves.toEqual(expect.objectContaining({ aud: CLIENT_ID, token_use: 'id' }));
    await expect(verifier.verifyAccessToken(access)).resolves.toBeDefined();
    expect(pool.jwksFetches).toBe(1);

    await expect(verifier.verifyAccessToken(pool.token({ token_use: 'access', client_id: 'otherclient' }))).rejects.toThrow(/Client ID not allowed: otherclient/);
    await expect(verifier.verifyAccessToken(id)).rejects.toThrow(/Token use not allowed: id/);
    const [header, payload] = access.split('.');
    await expect(verifier.verifyAccessToken(`${header}.${payload}.${Buffer.from('forged').toString('base64url')}`)).rejects.toThrow(/Invalid signature/);
    await moduleRef.close();
  });

  test('GET /health/cognito is 200 while the JWKS can be fetched and 503 when it cannot', async () => {
    const pool = new FakeUserPool();
    const moduleRef = await start(prodEnv(), new FakeAws(), pool);
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/health/cognito`;

    const up = await fetch(url);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual(expect.objectContaining({ status: 'up', keys: 1, jwksUri: `${ISSUER}/.well-known/jwks.json` }));

    pool.jwksUnavailable = true;
    const down = await fetch(url);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual(expect.objectContaining({ status: 'down', error: expect.stringMatching(/FetchError: connect ETIMEDOUT/) }));
    expect(moduleRef.get(CognitoHealthService).jwksUri).toBe(`${ISSUER}/.well-known/jwks.json`);
  });

  test('the client secret is re-read on the interval, so a rotation reaches a running backend', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const aws = new FakeAws();
      const moduleRef = await start(prodEnv(), aws, new FakeUserPool(), 60_000);
      await moduleRef.init();
      const service = moduleRef.get(CognitoConfigService);
      const rotated = 'r'.repeat(51);
      aws.secretString = JSON.stringify({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: rotated, clientSecretId: `${CLIENT_ID}--2` });
      expect(service.config.clientSecret).toBe(CLIENT_SECRET);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(service.config.clientSecret).toBe(rotated);
      await moduleRef.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
