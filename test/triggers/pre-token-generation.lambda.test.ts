import * as fc from 'fast-check';
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

describe('pre token generation trigger: malformed events and prototype keys', () => {
  const CONFIGURED = new Set(Object.values(ROLE_SCOPES).flat());
  const PROTOTYPE_NAMES = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', 'prototype'];
  let log: jest.SpyInstance;

  beforeEach(() => {
    process.env.ROLE_SCOPES = JSON.stringify(ROLE_SCOPES);
    process.env.RESOURCE_SERVER_IDENTIFIER = 'medflow';
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());

  test('group names that are Object.prototype members give no scope and no non-string value', () => {
    const { scopesToAdd, scopesToSuppress } = decideScopes(ROLE_SCOPES, 'medflow', PROTOTYPE_NAMES, ['medflow/patients.read']);
    expect(scopesToAdd).toEqual([]);
    expect(scopesToSuppress).toEqual(['medflow/patients.read']);
  });

  test('a configured role may itself be named like a prototype member', () => {
    const roleScopes = parseRoleScopes('{"__proto__": ["medflow/a.read"], "constructor": ["medflow/b.read"]}');
    expect(decideScopes(roleScopes, 'medflow', ['__proto__', 'constructor', 'toString'], []).scopesToAdd).toEqual(['medflow/a.read', 'medflow/b.read']);
  });

  test('the log names only configured role groups, never prototype members', async () => {
    await handler(event({ request: { groupConfiguration: { groupsToOverride: ['toString', 'physician', '__proto__'] }, scopes: [] } }) as any);
    const line = JSON.parse(String(log.mock.calls[0][0]));
    expect(line.groups).toEqual(['physician']);
  });

  test.each([
    ['a null event', null, /^Invalid pre token generation event: the event must be an object; got null\./],
    ['an array event', [], /^Invalid pre token generation event: the event must be an object; got an array\./],
    ['a non-string triggerSource', { triggerSource: 42 }, /^Unsupported triggerSource \(a number\); expected one of TokenGeneration_HostedAuth, /],
    ['a string request', { request: 'physician' }, /^Invalid pre token generation event: request must be an object; got a string\./],
    ['a string groupConfiguration', { request: { groupConfiguration: 'physician' } }, /^Invalid pre token generation event: request\.groupConfiguration must be an object when present; got a string\./],
    ['a string groupsToOverride', { request: { groupConfiguration: { groupsToOverride: 'physician' } } },
      /^Invalid pre token generation event: request\.groupConfiguration\.groupsToOverride must be an array of group names \(strings\) when present; got a string\./],
    ['an object groupsToOverride', { request: { groupConfiguration: { groupsToOverride: { 0: 'physician' } } } },
      /groupsToOverride must be an array of group names \(strings\) when present; got an object\./],
    ['a non-string group', { request: { groupConfiguration: { groupsToOverride: ['physician', 7] } } },
      /^Invalid pre token generation event: request\.groupConfiguration\.groupsToOverride\[1\] must be a string; got a number\./],
    ['a string scopes', { request: { scopes: 'openid' } }, /^Invalid pre token generation event: request\.scopes must be an array of scope names \(strings\) when present; got a string\./],
    ['a null scope', { request: { scopes: ['openid', null] } }, /^Invalid pre token generation event: request\.scopes\[1\] must be a string; got null\./],
  ])('rejects %s with a clear error, never a TypeError', async (_name, overrides, message) => {
    const bad = overrides === null || Array.isArray(overrides) ? overrides : event(overrides as Record<string, unknown>);
    const outcome = handler(bad as any);
    await expect(outcome).rejects.toThrow(message);
    await expect(outcome).rejects.not.toBeInstanceOf(TypeError);
  });

  test('decideScopes rejects non-array groups and scopes with a clear error', () => {
    expect(() => decideScopes(ROLE_SCOPES, 'medflow', 'physician' as any, [])).toThrow(/groupsToOverride must be an array of group names \(strings\)/);
    expect(() => decideScopes(ROLE_SCOPES, 'medflow', [], { length: 1 } as any)).toThrow(/scopes must be an array of scope names \(strings\)/);
  });

  const groupName = fc.oneof(
    fc.constantFrom(...PROTOTYPE_NAMES, 'physician', 'receptionist'),
    fc.string(),
    fc.string({ unit: 'grapheme' }),
  );
  const groups = fc.oneof(fc.array(groupName), fc.array(fc.oneof(groupName, fc.anything())), fc.anything());

  test('fuzz: decideScopes never throws a TypeError and adds only configured scope strings', () => {
    fc.assert(fc.property(groups, fc.oneof(fc.array(fc.string()), fc.anything()), (g, requested) => {
      let decided: ReturnType<typeof decideScopes>;
      try {
        decided = decideScopes(ROLE_SCOPES, 'medflow', g as string[], requested as string[]);
      } catch (error) {
        expect(error).not.toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^Invalid pre token generation event: request\.(groupConfiguration\.groupsToOverride|scopes)/);
        return;
      }
      for (const scope of decided.scopesToAdd) {
        expect(typeof scope).toBe('string');
        expect(CONFIGURED.has(scope)).toBe(true);
      }
      for (const scope of decided.scopesToSuppress) expect(typeof scope).toBe('string');
    }), { numRuns: 500 });
  });

  test('fuzz: the handler answers arbitrary event shapes with scopes from the map or a clear error, never a TypeError', async () => {
    const source = fc.oneof(fc.constantFrom('TokenGeneration_Authentication', 'TokenGeneration_HostedAuth', 'TokenGeneration_RefreshTokens'), fc.anything());
    const request = fc.oneof(
      fc.record({
        groupConfiguration: fc.oneof(fc.record({ groupsToOverride: groups }, { requiredKeys: [] }), fc.anything()),
        scopes: fc.oneof(fc.array(fc.string()), fc.anything()),
        userAttributes: fc.dictionary(fc.string(), fc.string()),
      }, { requiredKeys: [] }),
      fc.anything(),
    );
    const shapes = fc.oneof(
      fc.record({ triggerSource: source, request, response: fc.anything(), userName: fc.anything(), version: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    );
    await fc.assert(fc.asyncProperty(shapes, async (e) => {
      let result: any;
      try {
        result = await handler(e as any);
      } catch (error) {
        expect(error).not.toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^(Invalid pre token generation event: .+ must be .+; got .+\.$|Unsupported triggerSource .+; expected one of TokenGeneration_)/);
        return;
      }
      const { scopesToAdd, scopesToSuppress } = result.response.claimsAndScopeOverrideDetails.accessTokenGeneration;
      expect(Array.isArray(scopesToAdd)).toBe(true);
      for (const scope of scopesToAdd) {
        expect(typeof scope).toBe('string');
        expect(CONFIGURED.has(scope)).toBe(true);
      }
      for (const scope of scopesToSuppress) expect(typeof scope).toBe('string');
    }), { numRuns: 500 });
  });
});
