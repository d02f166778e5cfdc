import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { CLIENT_ID, Clock, FakeCognito, FakeSecretsManager, POOL_ID, SECRET_ARN, installFakes } from './fake-aws';
import { CustomResourceEvent, handler } from '../../src/backend-config/client-secret-sync.lambda';

let server: http.Server;
let responses: { Status: string; Reason: string }[];
let responseUrl: string;
let cognito: FakeCognito;
let secrets: FakeSecretsManager;
let logged: string[];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => { responses.push(JSON.parse(body)); res.end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  const clock = new Clock();
  cognito = new FakeCognito(clock);
  secrets = new FakeSecretsManager(clock);
  installFakes(clock, cognito, secrets);
  responses = [];
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logged.push(String(line)); });
});

afterEach(() => {
  jest.restoreAllMocks();
  for (const value of cognito.everGenerated) expect(logged.join('\n')).not.toContain(value);
});

function event(RequestType: CustomResourceEvent['RequestType']): CustomResourceEvent {
  return {
    RequestType,
    ResponseURL: responseUrl,
    StackId: 'stack',
    RequestId: 'request',
    LogicalResourceId: 'Sync',
    ResourceProperties: { UserPoolId: POOL_ID, ClientId: CLIENT_ID, SecretId: SECRET_ARN },
  };
}

test('replaces the placeholder the secret was created with by the client\'s JSON', async () => {
  const initial = cognito.createClientSecret();
  secrets.putCurrent('generated-placeholder-value');
  await handler(event('Create'));
  expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  expect(JSON.parse(secrets.valueAt('AWSCURRENT')!)).toEqual({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: initial.value });
});

test('leaves a value that already holds this client\'s secret to the rotation', async () => {
  cognito.createClientSecret();
  const rotated = JSON.stringify({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: 'r'.repeat(51), clientSecretId: `${CLIENT_ID}--2` });
  secrets.putCurrent(rotated);
  await handler(event('Update'));
  expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  expect(secrets.valueAt('AWSCURRENT')).toBe(rotated);
  expect(secrets.calls).not.toContain('PutSecretValueCommand');
  expect(cognito.calls).not.toContain('DescribeUserPoolClientCommand');
});

test('a client without a secret fails the deployment with a reason that names the client', async () => {
  secrets.putCurrent('generated-placeholder-value');
  await handler(event('Create'));
  expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: expect.stringMatching(new RegExp(`App client ${CLIENT_ID} has no client secret`)) })]);
});
