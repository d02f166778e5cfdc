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
