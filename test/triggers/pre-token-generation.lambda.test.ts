import * as path from 'node:path';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import * as fc from 'fast-check';
import { TEST_HASH_KEY, TEST_HASH_KEY_ARN, expectedUserHash } from './user-hash-fixture';
import { claimSettingsFromEnvironment, decideClaims, decideScopes, federatedProvider, handler, parseRoleScopes } from '../../src/triggers/pre-token-generation/pre-token-generation.lambda';
import { lockKey } from '../../src/triggers/shared/trigger-log';

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

describe('pre token generation trigger: tenant claims, federation allow-lists, self-written attributes', () => {
  const CLINIC = '3f2b8c1e-9d4a-4e7b-8a21-5c6d7e8f9a0b';
  const OTHER_CLINIC = '7a1c2d3e-4f50-4a6b-9c8d-0e1f2a3b4c5d';
  const ENV_KEYS = ['TENANT_CLAIM_NAMES', 'HEALTHCARE_ROLES', 'FEDERATED_ALLOW_LISTS'];
  let write: jest.SpyInstance;
  let log: jest.SpyInstance;

  function physician(attributes: Record<string, string> = {}, overrides: Record<string, unknown> = {}) {
    return event({
      request: {
        userAttributes: {
          'sub': 'a1b2c3d4-0000-4000-8000-000000000001',
          'email': 'dr.amrani@clinic.example',
          'custom:clinic_id': CLINIC,
          'custom:user_role': 'physician',
          ...attributes,
        },
        groupConfiguration: { groupsToOverride: ['physician'] },
        scopes: ['aws.cognito.signin.user.admin'],
      },
      ...overrides,
    });
  }
  let keyDerivations: jest.SpyInstance;
  const identities = (providerName: string) => JSON.stringify([{ userId: 'u-1', providerName, providerType: 'SAML', issuer: null, primary: 'true', dateCreated: '1700000000000' }]);
  const output = () => [...write.mock.calls, ...log.mock.calls].map((c) => String(c[0])).join('\n');
  const metrics = () => write.mock.calls.map((c) => JSON.parse(String(c[0]))).filter((r) => r._aws);

  beforeEach(() => {
    process.env.ROLE_SCOPES = JSON.stringify(ROLE_SCOPES);
    process.env.RESOURCE_SERVER_IDENTIFIER = 'medflow';
    process.env.HEALTHCARE_ROLES = JSON.stringify(['clinic_admin', 'physician', 'nurse', 'receptionist']);
    process.env.USER_HASH_KEY_ARN = TEST_HASH_KEY_ARN;
    keyDerivations = jest.spyOn(KMSClient.prototype, 'send').mockResolvedValue({ Mac: TEST_HASH_KEY } as never);
    write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    for (const key of ENV_KEYS) delete process.env[key];
    delete process.env.USER_HASH_KEY_ARN;
    jest.restoreAllMocks();
  });

  test('given a V2 event for a physician, returns access-token claims with clinic_id and user_role', async () => {
    const result = await handler(physician() as any);
    expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      claimsToAddOrOverride: { clinic_id: CLINIC, user_role: 'physician' },
      scopesToAdd: ['medflow/patients.read', 'medflow/patients.write'],
      scopesToSuppress: [],
    });
    expect(metrics()).toEqual([]);
  });

  test('uses the configured claim names', async () => {
    process.env.TENANT_CLAIM_NAMES = JSON.stringify({ clinicIdClaim: 'tenant', userRoleClaim: 'medflow_role' });
    const result = await handler(physician() as any);
    expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride)
      .toEqual({ tenant: CLINIC, medflow_role: 'physician' });
  });

  test.each([
    ['a clinic_id that is not a UUID', { 'custom:clinic_id': 'clinic-42' }, { user_role: 'physician' }, ['custom:clinic_id']],
    ['the nil UUID', { 'custom:clinic_id': '00000000-0000-0000-0000-000000000000' }, { user_role: 'physician' }, ['custom:clinic_id']],
    ['a role that is not configured', { 'custom:user_role': 'superuser' }, { clinic_id: CLINIC }, ['custom:user_role']],
    ['a prototype key as role', { 'custom:user_role': '__proto__' }, { clinic_id: CLINIC }, ['custom:user_role']],
  ])('leaves out %s and records a metric, without logging the value', async (_name, attributes, claims, problems) => {
    const result = await handler(physician(attributes) as any);
    expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride).toEqual(claims);
    const [record] = metrics();
    expect(record._aws.CloudWatchMetrics[0].Namespace).toBe('MedFlow/Cognito');
    expect(record.TenantClaimOmitted).toBe(1);
    expect(record.problems).toEqual(problems);
    expect(output()).not.toContain(Object.values(attributes)[0]);
  });

  describe('federated users', () => {
    beforeEach(() => {
      process.env.FEDERATED_ALLOW_LISTS = JSON.stringify({ 'CHU-Rabat': { clinicIds: [CLINIC], roles: ['physician', 'nurse'] } });
    });

    test('a trusted provider asserting allowed values gives tenant claims', async () => {
      const result = await handler(physician({ identities: identities('CHU-Rabat') }) as any);
      expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride)
        .toEqual({ clinic_id: CLINIC, user_role: 'physician' });
    });

    test.each([
      ['a clinic outside its list', { 'custom:clinic_id': OTHER_CLINIC }, ['custom:clinic_id']],
      ['a role outside its list', { 'custom:user_role': 'clinic_admin' }, ['custom:user_role']],
      ['a malformed clinic', { 'custom:clinic_id': 'not-a-uuid' }, ['custom:clinic_id']],
      ['both outside', { 'custom:clinic_id': OTHER_CLINIC, 'custom:user_role': 'receptionist' }, ['custom:clinic_id', 'custom:user_role']],
    ])('refuses the token when the provider asserts %s, with a metric and an audit line', async (_name, attributes, problems) => {
      await expect(handler(physician({ ...attributes, identities: identities('CHU-Rabat') }) as any))
        .rejects.toThrow(/Sign-in refused: your hospital identity provider asserted a clinic or role it is not allowed to assign/);
      const [record] = metrics();
      expect(record.FederatedClaimRefused).toBe(1);
      expect(record._aws.CloudWatchMetrics[0].Namespace).toBe('MedFlow/Cognito');
      expect(record.userHash).toBe(expectedUserHash('eu-west-1_TestPool1', 'a1b2c3d4-0000-4000-8000-000000000001'));
      expect(output()).not.toContain(lockKey('eu-west-1_TestPool1', 'a1b2c3d4-0000-4000-8000-000000000001'));
      // The key was derived with GenerateMac on the key named by USER_HASH_KEY_ARN, at most once by this execution environment.
      expect(keyDerivations.mock.calls.length).toBeLessThanOrEqual(1);
      for (const [command] of keyDerivations.mock.calls) {
        expect(command).toBeInstanceOf(GenerateMacCommand);
        expect(command.input).toMatchObject({ KeyId: TEST_HASH_KEY_ARN, MacAlgorithm: 'HMAC_SHA_256' });
      }
      const audit = write.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.event === 'federated_claim_refused');
      expect(audit).toMatchObject({ level: 'ERROR', userHash: record.userHash });
      expect(audit.reason).toContain('"CHU-Rabat"');
      expect(audit.reason).toContain(problems.join(' and '));
      expect(output()).not.toContain(OTHER_CLINIC);
      expect(output()).not.toContain('a1b2c3d4-0000-4000-8000-000000000001');
    });

    test('a provider without allow-lists (identity attributes set by the backend) is not refused', async () => {
      const result = await handler(physician({ identities: identities('Clinique-Fes') }) as any);
      expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride)
        .toEqual({ clinic_id: CLINIC, user_role: 'physician' });
    });

    test('unreadable identities give no tenant claims', async () => {
      const result = await handler(physician({ identities: '{not json' }) as any);
      expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride).toBeUndefined();
    });

    test('federatedProvider reads the provider name from the identities attribute', () => {
      expect(federatedProvider(identities('CHU-Rabat'))).toBe('CHU-Rabat');
      expect(federatedProvider(undefined)).toBeUndefined();
      expect(federatedProvider('[]')).toBeUndefined();
      expect(federatedProvider('[{"providerName": 7}]')).toBe('');
    });
  });

  test.each([
    ['custom:preferred_language', 'deutsch'],
    ['custom:specialties', '["cardiology","Cardiology"]'],
    ['custom:specialties', 'cardiology'],
  ])('suppresses an invalid %s from the ID token and records a metric', async (attribute, value) => {
    const result = await handler(physician({ [attribute]: value }) as any);
    expect((result.response as any).claimsAndScopeOverrideDetails.idTokenGeneration).toEqual({ claimsToSuppress: [attribute] });
    const [record] = metrics();
    expect(record.AttributeClaimSuppressed).toBe(1);
    expect(record.problems).toEqual([attribute]);
    expect(output()).not.toContain(value);
  });

  test('valid self-written attributes stay in the ID token', async () => {
    const result = await handler(physician({ 'custom:preferred_language': 'ar', 'custom:specialties': '["cardiologie"]' }) as any);
    expect((result.response as any).claimsAndScopeOverrideDetails.idTokenGeneration).toBeUndefined();
    expect(decideClaims(new Map([['custom:preferred_language', 'fr']]), claimSettingsFromEnvironment()).suppressedFromIdToken).toEqual([]);
  });
});

describe('the bundled pre token generation trigger', () => {
  const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'triggers', 'pre-token-generation', 'pre-token-generation.lambda', 'index.js');
  const CLINIC = '3f2b8c1e-9d4a-4e7b-8a21-5c6d7e8f9a0b';

  beforeEach(() => {
    process.env.ROLE_SCOPES = JSON.stringify(ROLE_SCOPES);
    process.env.RESOURCE_SERVER_IDENTIFIER = 'medflow';
    process.env.TENANT_CLAIM_NAMES = JSON.stringify({ clinicIdClaim: 'clinic_id', userRoleClaim: 'user_role' });
    process.env.HEALTHCARE_ROLES = JSON.stringify(['clinic_admin', 'physician', 'nurse', 'receptionist']);
    process.env.FEDERATED_ALLOW_LISTS = '{}';
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    for (const key of ['TENANT_CLAIM_NAMES', 'HEALTHCARE_ROLES', 'FEDERATED_ALLOW_LISTS']) delete process.env[key];
    jest.restoreAllMocks();
  });

  test('given a V2 event for a physician, returns access-token claims with clinic_id and user_role', async () => {
    const bundled = jest.requireActual<{ handler: typeof handler }>(BUNDLE);
    const physician = event({
      request: {
        userAttributes: { 'sub': 'a1b2c3d4-0000-4000-8000-000000000001', 'custom:clinic_id': CLINIC, 'custom:user_role': 'physician' },
        groupConfiguration: { groupsToOverride: ['physician'] },
        scopes: ['aws.cognito.signin.user.admin'],
      },
    });
    const result = await bundled.handler(physician as any);
    expect((result.response as any).claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride)
      .toEqual({ clinic_id: CLINIC, user_role: 'physician' });
  });
});
