import { decideScopes, handler, parseRoleScopes } from '../../src/triggers/pre-token-generation/pre-token-generation.lambda';

const ROLE_SCOPES = {
  physician: ['medflow/patients.read', 'medflow/patients.write'],
  receptionist: ['medflow/appointments.read'],
};

function event(overrides: Record<string, unknown> = {}) {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_TestPool1',
    userName: 'a1b2c3d4-0000-4000-8000-000000000001',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'testclientid123' },
    request: {
      userAttributes: { 'sub': 'a1b2c3d4-0000-4000-8000-000000000001', 'email': 'dr.amrani@clinic.example', 'custom:npi_number': '1234567893' },
      groupConfiguration: { groupsToOverride: ['physician'], iamRolesToOverride: [], preferredRole: null },
      scopes: ['aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null },
    ...overrides,
  };
}

describe('pre token generation trigger', () => {
  beforeEach(() => {
    process.env.ROLE_SCOPES = JSON.stringify(ROLE_SCOPES);
    process.env.RESOURCE_SERVER_IDENTIFIER = 'medflow';
  });

  test('adds the scopes of the user\'s role groups to an API sign-in', async () => {
    const result = await handler(event() as any);
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: ['medflow/patients.read', 'medflow/patients.write'], scopesToSuppress: [] } },
    });
  });

  test('suppresses medflow scopes the user\'s roles do not have, and leaves other scopes alone', async () => {
    const result = await handler(event({
      triggerSource: 'TokenGeneration_HostedAuth',
      request: {
        userAttributes: {},
        groupConfiguration: { groupsToOverride: ['receptionist'] },
        scopes: ['openid', 'email', 'medflow/appointments.read', 'medflow/patients.read', 'medflow/admin'],
      },
    }) as any);
    expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      scopesToAdd: [],
      scopesToSuppress: ['medflow/admin', 'medflow/patients.read'],
    });
  });

  test('a user in no role group gets no medflow scope', () => {
    expect(decideScopes(ROLE_SCOPES, 'medflow', ['unknown_group'], ['medflow/patients.read'])).toEqual({
      scopesToAdd: [], scopesToSuppress: ['medflow/patients.read'],
    });
  });

  test('a user in several groups gets the union of their scopes', () => {
    expect(decideScopes(ROLE_SCOPES, 'medflow', ['physician', 'receptionist'], []).scopesToAdd)
      .toEqual(['medflow/appointments.read', 'medflow/patients.read', 'medflow/patients.write']);
  });

  test('never logs attribute values or the email', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await handler(event() as any);
    const output = log.mock.calls.flat().join('\n');
    log.mockRestore();
    expect(output).toContain('scopes decided');
    expect(output).not.toContain('dr.amrani');
    expect(output).not.toContain('1234567893');
    expect(output).not.toContain('a1b2c3d4');
  });

  test.each([
    [{ triggerSource: 'PreSignUp_SignUp' }, /Unsupported triggerSource "PreSignUp_SignUp"; expected one of TokenGeneration_HostedAuth/],
    [{ request: undefined }, /Invalid pre token generation event: missing request/],
  ])('rejects a bad event %#', async (overrides, message) => {
    await expect(handler(event(overrides) as any)).rejects.toThrow(message);
  });

  test('rejects a malformed ROLE_SCOPES configuration', () => {
    expect(() => parseRoleScopes('{"physician": "medflow/patients.read"}')).toThrow(/ROLE_SCOPES must be a JSON object mapping each role name to an array of scope names/);
    expect(() => parseRoleScopes(undefined)).toThrow();
  });
});
