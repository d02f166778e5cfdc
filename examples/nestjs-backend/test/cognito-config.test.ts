import { CognitoConfigError, loadCognitoConfig, readClientSecret } from '../src/cognito-config';
import { CLIENT_ID, CLIENT_SECRET, CONFIG_PATH, FakeAws, ISSUER, POOL_ID, REGION, SECRET_ARN, prodEnv } from './fakes';

describe('loadCognitoConfig', () => {
  test('prod: variables, SSM parameters and the secret resolve to the CognitoService parameters', async () => {
    const aws = new FakeAws();
    await expect(loadCognitoConfig(prodEnv(), aws)).resolves.toEqual({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clientSecretArn: SECRET_ARN,
      region: REGION,
      authority: ISSUER,
      identityPoolId: 'eu-west-3:1a2b3c4d-1111-2222-3333-444455556666',
      domain: 'prod-medflow-auth.auth.eu-west-3.amazoncognito.com',
      configPath: CONFIG_PATH,
    });
    expect(aws.calls).toEqual(['GetParameters', 'GetSecretValue']);
  });

  test('dev: no secret ARN means no secret and no Secrets Manager call', async () => {
    const aws = new FakeAws();
    const { COGNITO_CLIENT_SECRET_ARN: _arn, COGNITO_IDENTITY_POOL_ID: _pool, ...env } = prodEnv();
    delete aws.parameters[`${CONFIG_PATH}/identity-pool-id`];
    // The library writes client-secret-arn only for a client with a secret, which a dev client is not.
    delete aws.parameters[`${CONFIG_PATH}/client-secret-arn`];
    const config = await loadCognitoConfig(env, aws);
    expect(config.clientSecret).toBeUndefined();
    expect(config.identityPoolId).toBeUndefined();
    expect(aws.calls).toEqual(['GetParameters']);
  });

  test('the SSM path alone is enough: values missing from the environment come from the parameters', async () => {
    const config = await loadCognitoConfig({ COGNITO_CONFIG_PATH: CONFIG_PATH, COGNITO_REGION: REGION }, new FakeAws());
    expect(config).toEqual(expect.objectContaining({ userPoolId: POOL_ID, clientId: CLIENT_ID, authority: ISSUER }));
    // The client has a secret (client-secret-arn exists), so the secret is read too.
    expect(config).toMatchObject({ clientSecret: CLIENT_SECRET, clientSecretArn: SECRET_ARN });
  });

  test('one error lists every missing and malformed value', async () => {
    const env = {
      COGNITO_CLIENT_ID: 'not a client id!',
      COGNITO_REGION: 'Europe',
      COGNITO_AUTHORITY: 'http://example.com/pool',
      COGNITO_IDENTITY_POOL_ID: 'pool',
      COGNITO_CLIENT_SECRET_ARN: 'arn:aws:s3:::bucket',
    };
    const failure = loadCognitoConfig(env, new FakeAws());
    await expect(failure).rejects.toThrow(CognitoConfigError);
    const error = await failure.catch((e: CognitoConfigError) => e);
    expect((error as CognitoConfigError).problems).toEqual([
      'COGNITO_USER_POOL_ID is missing',
      'COGNITO_CLIENT_ID "not a client id!" is not an app client ID (1-128 word characters)',
      'COGNITO_REGION "Europe" is not an AWS region such as eu-west-3',
      'COGNITO_AUTHORITY "http://example.com/pool" is not a Cognito issuer URL such as https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_AbC123xyz',
      'COGNITO_IDENTITY_POOL_ID "pool" is not an identity pool ID such as eu-west-3:1a2b3c4d-...',
      'COGNITO_CLIENT_SECRET_ARN "arn:aws:s3:::bucket" is not a Secrets Manager secret ARN',
    ]);
    expect((error as Error).message).toMatch(/^Invalid Cognito configuration \(6 problems\):\n {2}- COGNITO_USER_POOL_ID is missing\n/);
  });

  test('values that disagree with each other or with SSM are reported', async () => {
    const aws = new FakeAws();
    aws.parameters[`${CONFIG_PATH}/client-id`] = 'someotherclient';
    const env = { ...prodEnv(), COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz', COGNITO_AUTHORITY: 'https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_Other' };
    await expect(loadCognitoConfig(env, aws)).rejects.toThrow(new RegExp([
      `COGNITO_USER_POOL_ID "eu-west-1_AbC123xyz" differs from ${CONFIG_PATH}/user-pool-id "${POOL_ID}"`,
      `COGNITO_CLIENT_ID "${CLIENT_ID}" differs from ${CONFIG_PATH}/client-id "someotherclient"`,
      'COGNITO_AUTHORITY "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_Other" differs from',
      'COGNITO_USER_POOL_ID "eu-west-1_AbC123xyz" is not in COGNITO_REGION "eu-west-3"',
    ].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')));
  });

  test('a secret of another client, or unreadable, is reported without its value', async () => {
    const aws = new FakeAws();
    aws.secretString = JSON.stringify({ userPoolId: POOL_ID, clientId: 'otherclient', clientSecret: CLIENT_SECRET });
    const failure = await loadCognitoConfig(prodEnv(), aws).catch((e: Error) => e);
    expect((failure as Error).message).toContain(`the secret ${SECRET_ARN} it belongs to client "otherclient", not ${CLIENT_ID}`);
    expect((failure as Error).message).not.toContain(CLIENT_SECRET);

    aws.secretString = 'not json';
    await expect(loadCognitoConfig(prodEnv(), aws)).rejects.toThrow(/is not JSON; expected \{"userPoolId", "clientId", "clientSecret"\}/);

    aws.secretError = Object.assign(new Error('User is not authorized to perform secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' });
    aws.ssmError = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    await expect(loadCognitoConfig(prodEnv(), aws)).rejects.toThrow(
      /could not read the SSM parameters under \/prod\/medflow\/cognito: ThrottlingException: Rate exceeded[\s\S]*could not read the client secret arn:aws:secretsmanager:.*: AccessDeniedException/);
  });

  test('a client with a secret never starts without it: the ARN comes from SSM when the variable is left out, and an unreadable secret names the variable', async () => {
    const aws = new FakeAws();
    const { COGNITO_CLIENT_SECRET_ARN: _arn, ...withoutArn } = prodEnv();
    await expect(loadCognitoConfig(withoutArn, aws)).resolves.toMatchObject({ clientSecret: CLIENT_SECRET, clientSecretArn: SECRET_ARN });
    aws.secretError = Object.assign(new Error('User is not authorized to perform secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' });
    await expect(loadCognitoConfig(withoutArn, aws)).rejects.toThrow(
      `the app client has a secret (${CONFIG_PATH}/client-secret-arn) and the application does not start without it: COGNITO_CLIENT_SECRET_ARN must name it`);
  });

  test('COGNITO_JWKS_URL_OVERRIDE is taken outside production and refused in production', async () => {
    const jwks = 'http://127.0.0.1:5000/eu-west-3_AbC123xyz/.well-known/jwks.json';
    await expect(loadCognitoConfig({ ...prodEnv(), COGNITO_JWKS_URL_OVERRIDE: jwks }, new FakeAws())).resolves.toMatchObject({ jwksUrlOverride: jwks });
    await expect(loadCognitoConfig({ ...prodEnv(), COGNITO_JWKS_URL_OVERRIDE: jwks, NODE_ENV: 'production' }, new FakeAws()))
      .rejects.toThrow('COGNITO_JWKS_URL_OVERRIDE is set while NODE_ENV is production; it is for local emulators only');
    await expect(loadCognitoConfig({ ...prodEnv(), COGNITO_JWKS_URL_OVERRIDE: 'not a url' }, new FakeAws()))
      .rejects.toThrow('COGNITO_JWKS_URL_OVERRIDE "not a url" is not a JWKS URL');
  });

  test('readClientSecret picks up a rotated secret', async () => {
    const aws = new FakeAws();
    const config = await loadCognitoConfig(prodEnv(), aws);
    const rotated = 'n'.repeat(51);
    aws.secretString = JSON.stringify({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: rotated, clientSecretId: `${CLIENT_ID}--2` });
    await expect(readClientSecret(config, aws)).resolves.toBe(rotated);
  });
});
