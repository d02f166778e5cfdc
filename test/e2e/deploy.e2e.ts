/*
 * Deploy rehearsal: each example-app auth stack is created on moto from its synthesized template,
 * with every property either mapped or listed as unsupported by moto.
 */
import { DescribeUserPoolClientCommand, DescribeUserPoolCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { deployStack } from './deploy';
import { resetMoto } from './moto-server';
import { PropertyReader } from './property-coverage';

describe.each(['MedflowAuthDev', 'MedflowAuthStaging', 'MedflowAuthProd'])('%s on moto', (stackName) => {
  test('every resource is created with the template\'s properties', async () => {
    await resetMoto();
    const d = await deployStack(stackName);
    const cognito = new CognitoIdentityProviderClient({});
    const pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: d.userPoolId }))).UserPool!;
    const [, poolResource] = Object.entries(d.template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')!;
    const p = poolResource.Properties as Record<string, any>;
    expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(p.Policies.PasswordPolicy.MinimumLength);
    expect(pool.MfaConfiguration).toBe(p.MfaConfiguration);
    expect(pool.DeletionProtection).toBe(p.DeletionProtection);
    const customAttributes = (pool.SchemaAttributes ?? []).filter((a) => a.Name?.startsWith('custom:')).map((a) => a.Name).sort();
    expect(customAttributes).toEqual(p.Schema.filter((s: any) => s.AttributeDataType).map((s: any) => `custom:${s.Name}`).sort());
    const client = (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: d.userPoolId, ClientId: d.clientId }))).UserPoolClient!;
    const [, clientResource] = Object.entries(d.template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient')!;
    const c = clientResource.Properties as Record<string, any>;
    expect(client.WriteAttributes?.slice().sort()).toEqual([...c.WriteAttributes].sort());
    expect(client.ExplicitAuthFlows?.slice().sort()).toEqual([...c.ExplicitAuthFlows].sort());
    expect(Boolean(client.ClientSecret)).toBe(c.GenerateSecret);
    for (const r of d.readers) expect(() => r.assertComplete()).not.toThrow();
  });
});

describe('property coverage', () => {
  test('a property that is neither mapped nor listed as unsupported fails the deploy', () => {
    const reader = new PropertyReader('AWS::Cognito::UserPool', 'Pool', { UserPoolName: 'x', EmailMfaConfiguration: { Subject: 'y' } });
    reader.get('UserPoolName');
    expect(() => reader.assertComplete()).toThrow(/EmailMfaConfiguration is neither mapped nor listed as unsupported/);
  });

  test('a mapped property the deployer did not read fails the deploy', () => {
    const reader = new PropertyReader('AWS::Cognito::UserPoolGroup', 'Group', { GroupName: 'nurse', Precedence: 30 });
    reader.get('GroupName');
    expect(() => reader.assertComplete()).toThrow(/Precedence is listed as mapped \(CreateGroup, same name\) but was not read/);
  });
});
