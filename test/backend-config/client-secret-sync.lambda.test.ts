import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { CLIENT_ID as FAKE_CLIENT_ID, Clock, FakeCognito, FakeSecretsManager, POOL_ID as FAKE_POOL_ID, SECRET_ARN as FAKE_SECRET_ARN, installFakes } from './fake-aws';
import { CustomResourceEvent, handler } from '../../src/backend-config/client-secret-sync.lambda';

// The handler builds its clients when the module loads, so the mocked clients delegate to
// these functions lazily (they are still in their temporal dead zone at that moment). The tests
// of an existing secret value replace `send` on the same classes with the stateful fakes.
const mockCognitoSend = jest.fn();
const mockSecretsManagerSend = jest.fn();

jest.mock('@aws-sdk/client-cognito-identity-provider', () => {
  const actual = jest.requireActual('@aws-sdk/client-cognito-identity-provider');
  return {
    ...actual,
    CognitoIdentityProviderClient: class {
      send(command: unknown) { return mockCognitoSend(command); }
    },
  };
});

jest.mock('@aws-sdk/client-secrets-manager', () => {
  const actual = jest.requireActual('@aws-sdk/client-secrets-manager');
  return {
    ...actual,
    SecretsManagerClient: class {
      send(command: unknown) { return mockSecretsManagerSend(command); }
    },
  };
});

const USER_POOL_ID = 'eu-west-1_TestPool1';
const CLIENT_ID = 'testclientid123';
const CLIENT_SECRET = 'fake-client-secret-value-1234567890';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:test-medflow-cognito-app-client-secret-AbCdEf';
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Test-prod/00000000-0000-4000-8000-000000000000';
const SERVICE_TOKEN = 'arn:aws:lambda:eu-west-1:111111111111:function:Test-prod-AuthClientSecretSyncFunction';

interface ReceivedRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

let server: http.Server;
let baseUrl: string;
let received: ReceivedRequest[] = [];
let requestCounter = 0;
let responseStatus = 200;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(responseStatus);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

let consoleSpies: jest.SpyInstance[] = [];

/** A CloudFormation custom resource request as CloudFormation sends it to the function. */
function cfnEvent(overrides: Record<string, unknown> = {}): CustomResourceEvent {
  requestCounter += 1;
  return {
    RequestType: 'Create',
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: `${baseUrl}/cloudformation-response/${requestCounter}?X-Amz-Signature=fake`,
    StackId: STACK_ID,
    RequestId: `00000000-0000-4000-8000-${String(requestCounter).padStart(12, '0')}`,
    LogicalResourceId: 'AuthClientSecretSync92765AA1',
    ResourceType: 'Custom::MedflowClientSecretSync',
    ResourceProperties: { ServiceToken: SERVICE_TOKEN, UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID, SecretId: SECRET_ARN },
    ...overrides,
  } as unknown as CustomResourceEvent;
}

/** Everything the handler wrote through the console. */
function consoleOutput(): string[] {
  return consoleSpies.flatMap((spy) => spy.mock.calls.map((args: unknown[]) => args.map(String).join(' ')));
}

/** Invokes the handler and returns the one response it PUT to the ResponseURL. */
async function invoke(event: CustomResourceEvent) {
  await handler(event);
  expect(received).toHaveLength(1);
  const [request] = received;
  return { request, response: JSON.parse(request.body) as Record<string, unknown> };
}

/** The PutSecretValue commands the handler sent. */
function putCalls(): PutSecretValueCommand[] {
  return mockSecretsManagerSend.mock.calls
    .map((call: unknown[]) => call[0])
    .filter((c: unknown): c is PutSecretValueCommand => c instanceof PutSecretValueCommand);
}

function sdkError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('client secret sync custom resource', () => {
  beforeEach(() => {
    received = [];
    responseStatus = 200;
    mockCognitoSend.mockReset();
    mockSecretsManagerSend.mockReset();
    mockCognitoSend.mockResolvedValue({
      UserPoolClient: { UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID, ClientName: 'test-app-client', ClientSecret: CLIENT_SECRET },
    });
    // The secret still holds the placeholder it was created with, so the sync writes the client's JSON.
    mockSecretsManagerSend.mockImplementation(async (command: unknown) => (command instanceof GetSecretValueCommand
      ? { ARN: SECRET_ARN, SecretString: JSON.stringify({ status: 'pending-sync', placeholder: 'random-placeholder' }) }
      : { ARN: SECRET_ARN, Name: 'test-medflow-cognito-app-client-secret', VersionId: 'v1' }));
    consoleSpies = (['log', 'error', 'warn', 'info', 'debug'] as const)
      .map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
  });

  afterEach(() => {
    consoleSpies.forEach((spy) => spy.mockRestore());
  });

  test('a response CloudFormation rejects fails the invocation instead of passing silently', async () => {
    responseStatus = 403;
    await expect(handler(cfnEvent({ RequestType: 'Create' }))).rejects.toThrow(/CloudFormation rejected the SUCCESS response with HTTP 403/);
    expect(received).toHaveLength(1);
    expect(consoleOutput().join('\n')).not.toContain(CLIENT_SECRET);
  });

  test('Create copies the client secret into the secret and answers SUCCESS without echoing it', async () => {
    const event = cfnEvent({ RequestType: 'Create' });
    const { request, response } = await invoke(event);

    expect(mockCognitoSend).toHaveBeenCalledTimes(1);
    const describe = mockCognitoSend.mock.calls[0][0];
    expect(describe).toBeInstanceOf(DescribeUserPoolClientCommand);
    expect(describe.input).toEqual({ UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID });

    expect(putCalls()).toHaveLength(1);
    const put = putCalls()[0];
    expect(put).toBeInstanceOf(PutSecretValueCommand);
    expect(put.input.SecretId).toBe(SECRET_ARN);
    expect(JSON.parse(put.input.SecretString!)).toEqual({ userPoolId: USER_POOL_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });

    expect(request.method).toBe('PUT');
    const responseUrl = new URL(event.ResponseURL);
    expect(request.path).toBe(`${responseUrl.pathname}${responseUrl.search}`);
    expect(response).toEqual(expect.objectContaining({
      Status: 'SUCCESS',
      NoEcho: true,
      RequestId: event.RequestId,
      StackId: STACK_ID,
      LogicalResourceId: 'AuthClientSecretSync92765AA1',
      PhysicalResourceId: expect.stringMatching(/\S/),
    }));
    expect(request.body).not.toContain(CLIENT_SECRET);
  });

  test('Update syncs the secret again and keeps the existing PhysicalResourceId', async () => {
    const { response } = await invoke(cfnEvent({
      RequestType: 'Update',
      PhysicalResourceId: 'client-secret-sync-existing-id',
      OldResourceProperties: { ServiceToken: SERVICE_TOKEN, UserPoolId: USER_POOL_ID, ClientId: 'oldclientid456', SecretId: SECRET_ARN },
    }));

    expect(mockCognitoSend.mock.calls.map(([command]) => command.input)).toEqual([{ UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID }]);
    expect(putCalls()).toHaveLength(1);
    expect(JSON.parse(putCalls()[0].input.SecretString!).clientSecret).toBe(CLIENT_SECRET);
    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe('client-secret-sync-existing-id');
  });

  test('Delete calls no AWS API, answers SUCCESS and keeps the PhysicalResourceId', async () => {
    const { response } = await invoke(cfnEvent({ RequestType: 'Delete', PhysicalResourceId: 'client-secret-sync-existing-id' }));

    expect(mockCognitoSend).not.toHaveBeenCalled();
    expect(mockSecretsManagerSend).not.toHaveBeenCalled();
    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe('client-secret-sync-existing-id');
  });

  test('a client without a secret fails with a reason naming the client', async () => {
    mockCognitoSend.mockResolvedValue({ UserPoolClient: { UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID, ClientName: 'test-app-client' } });
    const { response } = await invoke(cfnEvent());

    expect(putCalls()).toEqual([]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(CLIENT_ID);
    expect(response.Reason).toMatch(new RegExp(`App client ${CLIENT_ID} has no client secret`));
    expect(response.Reason).toMatch(/has no client secret.*generateSecret/);
  });

  test('an SDK error fails with the error name in the reason', async () => {
    mockCognitoSend.mockRejectedValue(sdkError('AccessDeniedException',
      `User: arn:aws:sts::111111111111:assumed-role/test-role/test is not authorized to perform: cognito-idp:DescribeUserPoolClient on resource: ${USER_POOL_ID}`));
    const { response } = await invoke(cfnEvent());

    expect(putCalls()).toEqual([]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^AccessDeniedException: /);
  });

  test('an error from PutSecretValue fails without the secret in the reason or the logs', async () => {
    mockSecretsManagerSend.mockRejectedValue(sdkError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.'));
    const { request, response } = await invoke(cfnEvent());

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('ResourceNotFoundException');
    expect(request.body).not.toContain(CLIENT_SECRET);
    expect(consoleOutput().join('\n')).not.toContain(CLIENT_SECRET);
  });

  test('missing resource properties fail with their names and no AWS call', async () => {
    const { response } = await invoke(cfnEvent({ ResourceProperties: { ServiceToken: SERVICE_TOKEN, UserPoolId: USER_POOL_ID, ClientId: '' } }));

    expect(mockCognitoSend).not.toHaveBeenCalled();
    expect(mockSecretsManagerSend).not.toHaveBeenCalled();
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('Missing resource properties: ClientId, SecretId.');
    expect(response.PhysicalResourceId).toEqual(expect.stringMatching(/\S/));
  });

  test('an unknown RequestType fails with a reason naming it', async () => {
    const { response } = await invoke(cfnEvent({ RequestType: 'Replace', PhysicalResourceId: 'client-secret-sync-existing-id' }));

    expect(mockCognitoSend).not.toHaveBeenCalled();
    expect(mockSecretsManagerSend).not.toHaveBeenCalled();
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('Unknown RequestType "Replace"');
  });

  const scenarios: [string, () => void, Record<string, unknown>][] = [
    ['Create', () => undefined, { RequestType: 'Create' }],
    ['Update', () => undefined, { RequestType: 'Update', PhysicalResourceId: 'client-secret-sync-existing-id' }],
    ['Delete', () => undefined, { RequestType: 'Delete', PhysicalResourceId: 'client-secret-sync-existing-id' }],
    ['PutSecretValue denied', () => mockSecretsManagerSend.mockRejectedValue(sdkError('AccessDeniedException', 'not authorized')), {}],
    ['DescribeUserPoolClient denied', () => mockCognitoSend.mockRejectedValue(sdkError('AccessDeniedException', 'not authorized')), {}],
    ['missing properties', () => undefined, { ResourceProperties: { ServiceToken: SERVICE_TOKEN } }],
    ['unknown RequestType', () => undefined, { RequestType: 'Replace' }],
  ];

  test.each(scenarios)('%s: the secret appears in no log line and not in the response', async (_name, arrange, overrides) => {
    arrange();
    const { request } = await invoke(cfnEvent(overrides));

    const output = consoleOutput();
    expect(output.length).toBeGreaterThan(0);
    expect(output.join('\n')).not.toContain(CLIENT_SECRET);
    expect(request.body).not.toContain(CLIENT_SECRET);
  });

  test.each(scenarios)('%s: every log line is a JSON object with a level and a message', async (_name, arrange, overrides) => {
    arrange();
    await invoke(cfnEvent(overrides));

    const output = consoleOutput();
    expect(output.length).toBeGreaterThan(0);
    for (const line of output) {
      const parsed = JSON.parse(line);
      expect(parsed).toEqual(expect.objectContaining({ level: expect.stringMatching(/^(INFO|ERROR)$/), message: expect.any(String) }));
      expect(Array.isArray(parsed)).toBe(false);
    }
  });
});

describe('a secret that already has a value', () => {
  let cognito: FakeCognito;
  let secrets: FakeSecretsManager;
  let logged: string[];

  beforeEach(() => {
    received = [];
    responseStatus = 200;
    const clock = new Clock();
    cognito = new FakeCognito(clock);
    secrets = new FakeSecretsManager(clock);
    installFakes(clock, cognito, secrets);
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
      ResponseURL: `${baseUrl}/response`,
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'Sync',
      ResourceProperties: { UserPoolId: FAKE_POOL_ID, ClientId: FAKE_CLIENT_ID, SecretId: FAKE_SECRET_ARN },
    };
  }

  const responses = () => received.map((r) => JSON.parse(r.body) as { Status: string; Reason: string });

  test('replaces the placeholder the secret was created with by the client\'s JSON', async () => {
    const initial = cognito.createClientSecret();
    secrets.putCurrent('generated-placeholder-value');
    await handler(event('Create'));
    expect(responses()).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
    expect(JSON.parse(secrets.valueAt('AWSCURRENT')!)).toEqual({ userPoolId: FAKE_POOL_ID, clientId: FAKE_CLIENT_ID, clientSecret: initial.value });
  });

  test('leaves a value that already holds this client\'s secret to the rotation', async () => {
    cognito.createClientSecret();
    const rotated = JSON.stringify({ userPoolId: FAKE_POOL_ID, clientId: FAKE_CLIENT_ID, clientSecret: 'r'.repeat(51), clientSecretId: `${FAKE_CLIENT_ID}--2` });
    secrets.putCurrent(rotated);
    await handler(event('Update'));
    expect(responses()).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
    expect(secrets.valueAt('AWSCURRENT')).toBe(rotated);
    expect(secrets.calls).not.toContain('PutSecretValueCommand');
    expect(cognito.calls).not.toContain('DescribeUserPoolClientCommand');
  });
});
