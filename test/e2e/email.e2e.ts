/*
 * Email through SES, rehearsed on moto. moto 5.2.5's Cognito never sends email (it has no link to
 * its SES backend), so no message can be shown arriving through SES. What the rehearsal shows
 * instead: the configuration set and its event destinations exist in moto's SES as the template
 * describes them, the pool's EmailConfiguration round-trips through DescribeUserPool and names that
 * configuration set, and a user invitation leaves moto's SES send count unchanged, while a message
 * sent directly through SES does count, so the day moto's Cognito starts sending, this test says so.
 */
import { AdminCreateUserCommand, CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { deployStack } from './deploy';
import { sesV1, sesV2 } from './deploy-email';
import { resetMoto } from './moto-server';

const poolProperties = (template: { Resources: Record<string, { Type: string; Properties?: any }> }) =>
  Object.values(template.Resources).find((r) => r.Type === 'AWS::Cognito::UserPool')!.Properties;

async function deliveryAttempts(): Promise<number> {
  const xml = await sesV1('GetSendStatistics', {});
  return [...xml.matchAll(/<DeliveryAttempts>(\d+)<\/DeliveryAttempts>/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe.each(['MedflowAuthStaging', 'MedflowAuthProd'])('%s: email through SES on moto', (stackName) => {
  test('the configuration set and its CloudWatch event destination exist, and the pool\'s EmailConfiguration names it', async () => {
    await resetMoto();
    const d = await deployStack(stackName);
    const pool = (await new CognitoIdentityProviderClient({}).send(new DescribeUserPoolCommand({ UserPoolId: d.userPoolId }))).UserPool!;
    const expected = d.ids.resolve<Record<string, string>>(poolProperties(d.template).EmailConfiguration);
    expect(expected.EmailSendingAccount).toBe('DEVELOPER');
    expect(pool.EmailConfiguration).toEqual(expected);
    expect(pool.EmailConfiguration!.SourceArn).toMatch(/^arn:aws:ses:eu-west-3:\d{12}:identity\/[a-z.]*medflow\.example$/);

    expect(d.emailConfigurationSets).toEqual([pool.EmailConfiguration!.ConfigurationSet]);
    const set = await sesV2('GET', `/configuration-sets/${pool.EmailConfiguration!.ConfigurationSet}`);
    expect(set).toMatchObject({
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    const described = await sesV1('DescribeConfigurationSet', {
      'ConfigurationSetName': pool.EmailConfiguration!.ConfigurationSet!, 'ConfigurationSetAttributeNames.member.1': 'eventDestinations',
    });
    for (const type of ['send', 'delivery', 'bounce', 'complaint', 'reject']) expect(described).toContain(`<member>${type}</member>`);
    expect(described).toContain('<DimensionName>medflow-configuration-set</DimensionName>');
    expect(await sesV1('ListConfigurationSets', {})).toContain(`<Name>${pool.EmailConfiguration!.ConfigurationSet}</Name>`);
  });

  test('an invitation sends nothing through moto\'s SES (moto\'s Cognito does not email), though a direct SES send counts', async () => {
    await resetMoto();
    const d = await deployStack(stackName);
    const from = d.ids.resolve<Record<string, string>>(poolProperties(d.template).EmailConfiguration).From;
    const address = /<([^>]+)>$/.exec(from)?.[1] ?? from;
    // The identity is verified outside the stack (no example stack has a hosted zone); moto verifies on creation.
    await sesV2('POST', '/identities', { EmailIdentity: address.split('@')[1] });
    await sesV2('POST', '/outbound-emails', {
      FromEmailAddress: address,
      Destination: { ToAddresses: ['nurse@clinic.example'] },
      Content: { Simple: { Subject: { Data: 'rehearsal' }, Body: { Text: { Data: 'rehearsal' } } } },
    });
    expect(await deliveryAttempts()).toBe(1);
    await new CognitoIdentityProviderClient({}).send(new AdminCreateUserCommand({
      UserPoolId: d.userPoolId,
      Username: 'invited@clinic.example',
      UserAttributes: [{ Name: 'email', Value: 'invited@clinic.example' }, { Name: 'email_verified', Value: 'true' }],
    }));
    expect(await deliveryAttempts()).toBe(1);
  });
});

test('MedflowAuthDev keeps Cognito\'s own sender and creates nothing in SES', async () => {
  await resetMoto();
  const d = await deployStack('MedflowAuthDev');
  const pool = (await new CognitoIdentityProviderClient({}).send(new DescribeUserPoolCommand({ UserPoolId: d.userPoolId }))).UserPool!;
  expect(poolProperties(d.template).EmailConfiguration).toBeUndefined();
  expect(pool.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
  expect(d.emailConfigurationSets).toEqual([]);
  expect(await sesV1('ListConfigurationSets', {})).not.toMatch(/<Name>/);
});
