import { Stack } from 'aws-cdk-lib';
import { PRESET_NAMES, synthesize } from '../helpers';

const CONCURRENCY_ACK = 'annotation::HIPAA.Security-LambdaConcurrency';

function roleScopesFunction(preset: (typeof PRESET_NAMES)[number], overrides = {}) {
  const { stack, auth, template } = synthesize(preset, overrides);
  const fnConstruct = auth.node.findChild('RoleScopes').node.findChild('Function');
  const logicalId = Stack.of(stack).getLogicalId(fnConstruct.node.defaultChild as any);
  const acknowledged = fnConstruct.node.metadata.flatMap((m) => Object.keys((m.data ?? {}) as object));
  return { properties: template.toJSON().Resources[logicalId].Properties, acknowledged, reasons: fnConstruct.node.metadata.map((m) => m.data) };
}

describe('pre token generation function: reserved concurrency', () => {
  test.each([['dev', undefined], ['staging', 25], ['prod', 25]] as const)('%s reserves %s executions, like the authentication triggers', (preset, expected) => {
    const { properties, acknowledged } = roleScopesFunction(preset);
    expect(properties.ReservedConcurrentExecutions).toBe(expected);
    // The absence of a reservation is acknowledged only where there is none.
    expect(acknowledged.includes(CONCURRENCY_ACK)).toBe(expected === undefined);
  });

  test('follows securityTriggers.reserveConcurrency and authenticationConcurrency', () => {
    expect(roleScopesFunction('dev', { securityTriggers: { reserveConcurrency: true, authenticationConcurrency: 40 } }).properties.ReservedConcurrentExecutions).toBe(40);
    const off = roleScopesFunction('prod', { securityTriggers: { reserveConcurrency: false } });
    expect(off.properties.ReservedConcurrentExecutions).toBeUndefined();
    const reason = JSON.stringify(off.reasons);
    expect(reason).toContain('Reserved concurrency is off in this environment (securityTriggers.reserveConcurrency is false');
    expect(reason).not.toMatch(/without protecting anything/);
  });
});

describe('pre token generation function: tenant claims', () => {
  test('passes the default claim names, the configured roles and no allow-list', () => {
    const { properties } = roleScopesFunction('staging');
    const variables = properties.Environment.Variables;
    expect(JSON.parse(variables.TENANT_CLAIM_NAMES)).toEqual({ clinicIdClaim: 'clinic_id', userRoleClaim: 'user_role' });
    expect(JSON.parse(variables.HEALTHCARE_ROLES)).toEqual(['clinic_admin', 'physician', 'nurse', 'receptionist']);
    expect(JSON.parse(variables.FEDERATED_ALLOW_LISTS)).toEqual({});
  });

  test('passes the claim names of accessTokenClaims', () => {
    const { properties } = roleScopesFunction('dev', { accessTokenClaims: { clinicIdClaim: 'tenant_id', userRoleClaim: 'medflow_role' } });
    expect(JSON.parse(properties.Environment.Variables.TENANT_CLAIM_NAMES)).toEqual({ clinicIdClaim: 'tenant_id', userRoleClaim: 'medflow_role' });
  });

  test.each([
    ['sub'], ['iss'], ['aud'], ['exp'], ['iat'], ['scope'], ['token_use'], ['client_id'], ['username'], ['auth_time'],
    ['jti'], ['origin_jti'], ['event_id'], ['version'], ['cognito:groups'], ['Cognito:username'], ['custom:clinic_id'],
  ])('refuses the reserved claim name %s', (name) => {
    expect(() => synthesize('dev', { accessTokenClaims: { clinicIdClaim: name } }))
      .toThrow(new RegExp(`MedflowCognito: invalid accessTokenClaims\\.clinicIdClaim "${name}"; allowed: a claim name that is not reserved \\(sub, iss,`));
  });

  test('refuses a malformed or duplicate claim name', () => {
    expect(() => synthesize('dev', { accessTokenClaims: { userRoleClaim: 'user role' } }))
      .toThrow(/MedflowCognito: invalid accessTokenClaims\.userRoleClaim "user role"; allowed: 1-64 characters of a-z, A-Z, 0-9, _, - and \./);
    expect(() => synthesize('dev', { accessTokenClaims: { userRoleClaim: 'clinic_id' } }))
      .toThrow(/MedflowCognito: invalid accessTokenClaims\.userRoleClaim "clinic_id"; allowed: a name different from clinicIdClaim/);
  });
});
