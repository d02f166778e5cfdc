import { App, Stack, aws_route53 as route53 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { EmailSender, EnvironmentPreset, MedflowCognito, MedflowCognitoProps, MedflowHealthcareChecks } from '../../src';
import { synthesize, synthesizeFresh } from '../helpers';

const ses = (options: Partial<Parameters<typeof EmailSender.ses>[0]> = {}) => EmailSender.ses({ fromAddress: 'no-reply@clinic.example', ...options });

function stackWith(props: Partial<MedflowCognitoProps>, region = 'eu-west-1'): { stack: Stack; auth: MedflowCognito; template: Template } {
  const stack = new Stack(new App(), 'Email', { env: { region } });
  const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: ses(), ...props });
  return { stack, auth, template: Template.fromStack(stack) };
}

const poolOf = (template: Template) => Object.values(template.findResources('AWS::Cognito::UserPool'))[0];

describe('the user pool sends through SES', () => {
  test('prod: DEVELOPER, the identity ARN, "Name <address>" and the library\'s configuration set', () => {
    const { template } = synthesize('prod');
    const set = Object.keys(template.findResources('AWS::SES::ConfigurationSet'))[0];
    expect(poolOf(template).Properties.EmailConfiguration).toEqual({
      EmailSendingAccount: 'DEVELOPER',
      From: 'MedFlow <no-reply@clinic.example>',
      ConfigurationSet: { Ref: set },
      SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:', { Ref: 'AWS::AccountId' }, ':identity/clinic.example']] },
    });
    // The configuration set must exist before Cognito saves a configuration naming it.
    expect(poolOf(template).DependsOn).toEqual(expect.arrayContaining([set]));
  });

  test('the given identity ARN is the SourceArn exactly, and the reply-to address is set', () => {
    const arn = 'arn:aws:ses:eu-west-1:123456789012:identity/no-reply@clinic.example';
    const { template } = stackWith({ email: ses({ sesIdentityArn: arn, replyTo: 'support@clinic.example' }) });
    expect(poolOf(template).Properties.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER', SourceArn: arn, ReplyToEmailAddress: 'support@clinic.example', From: 'no-reply@clinic.example',
    });
  });

  test('a display name outside ASCII (an Arabic clinic name) is encoded for the From header', () => {
    const { template } = stackWith({ email: ses({ fromName: 'عيادة' }) });
    expect(poolOf(template).Properties.EmailConfiguration.From).toBe(`=?UTF-8?B?${Buffer.from('عيادة').toString('base64')}?= <no-reply@clinic.example>`);
  });

  test('the configuration set has reputation metrics, TLS required, and publishes sends, deliveries, bounces, complaints and rejects to CloudWatch', () => {
    const { template } = synthesize('prod');
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'prod-medflow-cognito-email',
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint', 'reject'],
        CloudWatchDestination: {
          DimensionConfigurations: [{
            DimensionName: 'medflow-configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'prod-medflow-cognito-email',
          }],
        },
      },
    });
  });

  test('a named configuration set is used as it is: none is created', () => {
    const { template, auth } = stackWith({ email: ses({ configurationSetName: 'clinic-mail' }) });
    template.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 0);
    expect(poolOf(template).Properties.EmailConfiguration.ConfigurationSet).toBe('clinic-mail');
    expect(auth.emailConfigurationSet).toBeUndefined();
  });

  test('a hosted zone creates the domain identity with Easy DKIM records in the zone, sending through the configuration set', () => {
    const stack = new Stack(new App(), 'Zone', { env: { region: 'eu-west-1' } });
    const hostedZone = route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0000000000000000000', zoneName: 'clinic.example' });
    const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: ses({ hostedZone }) });
    const template = Template.fromStack(stack);
    const set = Object.keys(template.findResources('AWS::SES::ConfigurationSet'))[0];
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'clinic.example',
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: set } },
    });
    const cnames = Object.values(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'CNAME' } }));
    expect(cnames).toHaveLength(3);
    for (const record of cnames) expect(record.Properties.HostedZoneId).toBe('Z0000000000000000000');
    expect(poolOf(template).DependsOn).toEqual(expect.arrayContaining([Object.keys(template.findResources('AWS::SES::EmailIdentity'))[0]]));
    expect(auth.emailIdentity).toBeDefined();
    const packs = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new MedflowHealthcareChecks()];
    const findings = packs.flatMap((pack) => pack.validateScope(stack).violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath)}`));
    expect(findings).toEqual([]);
  });

  test('without a hosted zone no identity or DNS record is created', () => {
    const { template } = synthesize('prod');
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  test('a hosted zone of another domain fails naming email.hostedZone', () => {
    const stack = new Stack(new App(), 'Zone', { env: { region: 'eu-west-1' } });
    const hostedZone = route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'other.example' });
    expect(() => new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: ses({ hostedZone }) }))
      .toThrow(/invalid email\.hostedZone zone other\.example; allowed: the zone of the sender's identity, clinic\.example/);
  });
});

describe('dev keeps Cognito\'s own sender', () => {
  test('dev has no SES resource, no email alarm and Cognito\'s default email configuration', () => {
    const { template } = synthesize('dev');
    for (const type of ['AWS::SES::ConfigurationSet', 'AWS::SES::ConfigurationSetEventDestination', 'AWS::SES::EmailIdentity']) template.resourceCountIs(type, 0);
    expect(poolOf(template).Properties.EmailConfiguration).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => /Email/.test(id))).toEqual([]);
  });

  test('prod accepting Cognito\'s sender has no SES resource and no email alarm', () => {
    const { template } = synthesizeFresh('prod', { email: undefined, allowCognitoDefaultEmail: true });
    template.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    expect(poolOf(template).Properties.EmailConfiguration).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => /Email/.test(id))).toEqual([]);
  });
});

describe('email as a second factor', () => {
  test('enableEmailMfa adds EMAIL_OTP beside TOTP', () => {
    const { template } = stackWith({ enableEmailMfa: true });
    expect(poolOf(template).Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
    expect(poolOf(template).Properties.MfaConfiguration).toBe('ON');
  });

  test('prod keeps TOTP on with email MFA, so email is never the only factor; without it TOTP is the only factor', () => {
    const withEmail = stackWith({ enableEmailMfa: true }).template;
    expect(poolOf(withEmail).Properties.EnabledMfas).toContain('SOFTWARE_TOKEN_MFA');
    expect(poolOf(synthesize('prod').template).Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  test('staging with email MFA keeps MFA optional with both factors', () => {
    const { template } = synthesizeFresh('staging', { enableEmailMfa: true });
    expect(poolOf(template).Properties).toMatchObject({ MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] });
  });
});

describe('the localized messages go through SES unchanged', () => {
  test('the CustomMessage trigger and the message templates are the same with SES as with Cognito\'s sender', () => {
    const withSes = synthesizeFresh('staging').template;
    const withDefault = synthesizeFresh('staging', { email: undefined, allowCognitoDefaultEmail: true }).template;
    const wiring = (template: Template) => {
      const props = poolOf(template).Properties;
      return { lambda: props.LambdaConfig, verification: props.VerificationMessageTemplate, invite: props.AdminCreateUserConfig };
    };
    expect(wiring(withSes).lambda.CustomMessage).toBeDefined();
    expect(wiring(withSes)).toEqual(wiring(withDefault));
    // The trigger function itself: its code asset and environment (the message texts are in its code).
    const customMessage = (template: Template) => {
      const [logicalId] = wiring(template).lambda.CustomMessage['Fn::GetAtt'];
      const fn = template.findResources('AWS::Lambda::Function')[logicalId].Properties;
      return { code: fn.Code, environment: fn.Environment, handler: fn.Handler };
    };
    expect(customMessage(withSes).code).toBeDefined();
    expect(customMessage(withSes)).toEqual(customMessage(withDefault));
  });
});

describe('SES in another Region', () => {
  test('is not alarmed from the stack\'s Region, with a warning saying where to alarm', () => {
    const { stack, template } = stackWith({ email: ses({ sesRegion: 'us-east-1', configurationSetName: 'clinic-mail' }) });
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => /Email/.test(id))).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Email/Auth', Match.stringLikeRegexp('SES in us-east-1.*not alarmed'));
    expect(poolOf(template).Properties.EmailConfiguration.SourceArn['Fn::Join'][1]).toContain(':ses:us-east-1:');
  });
});
