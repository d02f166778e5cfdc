import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigService } from '../src/cognito-config.service';
import { CognitoSessionService, secretHash } from '../src/cognito-session.service';
import { CLIENT_ID, CLIENT_SECRET, POOL_ID, REGION } from './fakes';

function service(answer: (command: unknown) => unknown) {
  const sent: unknown[] = [];
  const cognito = { send: async (command: unknown) => { sent.push(command); return answer(command); } };
  const config = { config: { userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, region: REGION } } as CognitoConfigService;
  return { sessions: new CognitoSessionService(config, { cognito: cognito as never }), sent };
}

test('refresh calls GetTokensFromRefreshToken with the client secret and returns the rotated refresh token', async () => {
  const { sessions, sent } = service(() => ({ AuthenticationResult: { AccessToken: 'a2', IdToken: 'i2', RefreshToken: 'r2', ExpiresIn: 3600 } }));
  await expect(sessions.refresh('r1')).resolves.toEqual({ accessToken: 'a2', idToken: 'i2', refreshToken: 'r2', rotated: true, expiresIn: 3600 });
  expect(sent[0]).toBeInstanceOf(GetTokensFromRefreshTokenCommand);
  expect((sent[0] as GetTokensFromRefreshTokenCommand).input).toEqual({ ClientId: CLIENT_ID, ClientSecret: CLIENT_SECRET, RefreshToken: 'r1' });
});

test('without rotation the refresh token sent stays the one to keep', async () => {
  const { sessions } = service(() => ({ AuthenticationResult: { AccessToken: 'a2', IdToken: 'i2', ExpiresIn: 3600 } }));
  await expect(sessions.refresh('r1')).resolves.toMatchObject({ refreshToken: 'r1', rotated: false });
});

test('REFRESH_TOKEN_AUTH hashes the cognito:username, not the email', async () => {
  const { sessions, sent } = service(() => ({ AuthenticationResult: { AccessToken: 'a2', IdToken: 'i2' } }));
  const cognitoUsername = '7c0e4a51-9f1d-4b3e-8a22-5d9b1c6e0f34';
  await sessions.refreshWithInitiateAuth('r1', cognitoUsername);
  const input = (sent[0] as InitiateAuthCommand).input;
  expect(input.AuthFlow).toBe('REFRESH_TOKEN_AUTH');
  expect(input.AuthParameters).toEqual({ REFRESH_TOKEN: 'r1', SECRET_HASH: secretHash(cognitoUsername, CLIENT_ID, CLIENT_SECRET) });
  expect(input.AuthParameters!.SECRET_HASH).not.toBe(secretHash('dr.benali@clinic-one.example', CLIENT_ID, CLIENT_SECRET));
});
