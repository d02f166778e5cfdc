import { App, RemovalPolicy, Stack, aws_certificatemanager as acm, aws_cognito as cognito } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EnvironmentPreset, MedflowCognito } from '../../src';
import { construct, synthesize, TEST_EMAIL } from '../helpers';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/abc';
const certificate = () => acm.Certificate.fromCertificateArn(new Stack(), 'Cert', CERTIFICATE_ARN);

function pool(template: Template): Record<string, any> {
  return Object.values(template.findResources('AWS::Cognito::UserPool'))[0].Properties;
}

function backendClient(template: Template): Record<string, any> {
  return Object.values(template.findResources('AWS::Cognito::UserPoolClient', {
    Properties: { ClientName: Match.stringLikeRegexp('-cognito-app-client$') },
  }))[0].Properties;
}

describe('passkeys in the presets', () => {
  test('dev: no passkeys, password-only sign-in, no ALLOW_USER_AUTH', () => {
    const { template, auth } = synthesize('dev');
    const props = pool(template);
    expect(props.Policies.SignInPolicy).toBeUndefined();
    expect(props.WebAuthnRelyingPartyID).toBeUndefined();
    expect(props.WebAuthnUserVerification).toBeUndefined();
    expect(props.WebAuthnFactorConfiguration).toBeUndefined();
    expect(backendClient(template).ExplicitAuthFlows).not.toContain('ALLOW_USER_AUTH');
    expect(auth.passkeyRelyingPartyId).toBeUndefined();
  });

  test.each(['staging', 'prod'] as const)('%s: PASSWORD and WEB_AUTHN first factors, verification required, relying party = prefix domain, ALLOW_USER_AUTH', (preset) => {
    const { template, auth } = synthesize(preset);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
      WebAuthnRelyingPartyID: `${preset}-medflow-auth.auth.eu-west-1.amazoncognito.com`,
      WebAuthnUserVerification: 'required',
    });
    expect(backendClient(template).ExplicitAuthFlows).toContain('ALLOW_USER_AUTH');
    expect(auth.passkeyRelyingPartyId).toBe(`${preset}-medflow-auth.auth.eu-west-1.amazoncognito.com`);
  });
});

describe('passkey MFA and TOTP', () => {
  test('prod: MFA required with TOTP as the only other method, and a verified passkey counts as MFA', () => {
    const props = pool(synthesize('prod').template);
    expect(props.MfaConfiguration).toBe('ON');
    // TOTP stays the one other MFA method Cognito demands before a user may turn passkey MFA on.
    expect(props.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(props.WebAuthnFactorConfiguration).toBe('MULTI_FACTOR_WITH_USER_VERIFICATION');
    expect(props.WebAuthnUserVerification).toBe('required');
  });

  test('staging: optional MFA, same passkey MFA configuration', () => {
    const props = pool(synthesize('staging').template);
    expect(props.MfaConfiguration).toBe('OPTIONAL');
    expect(props.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(props.WebAuthnFactorConfiguration).toBe('MULTI_FACTOR_WITH_USER_VERIFICATION');
  });

  test('without MFA a passkey is a single factor: no factor configuration', () => {
    const dev = pool(synthesize('dev', { enablePasskeys: true }).template);
    expect(dev.MfaConfiguration).toBe('OFF');
    expect(dev.Policies.SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] });
    expect(dev.WebAuthnFactorConfiguration).toBeUndefined();
    const prodWithoutMfa = pool(synthesize('prod', { enableMfa: false, allowProductionWithoutMfa: true }).template);
    expect(prodWithoutMfa.WebAuthnFactorConfiguration).toBeUndefined();
    expect(prodWithoutMfa.WebAuthnUserVerification).toBe('required');
  });
});

describe('passkey overrides', () => {
  test('enablePasskeys: false in prod keeps password-only sign-in and only the SRP flow (refresh goes through GetTokensFromRefreshToken)', () => {
    const { template } = synthesize('prod', { enablePasskeys: false });
    const props = pool(template);
    expect(props.Policies.SignInPolicy).toBeUndefined();
    expect(props.WebAuthnRelyingPartyID).toBeUndefined();
    expect(props.WebAuthnFactorConfiguration).toBeUndefined();
    expect(backendClient(template).ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH']);
  });

  test('the relying party is the custom domain when there is one', () => {
    const { template, auth } = synthesize('prod', { customDomain: { domainName: 'auth.medflow.example', certificate: certificate() } });
    template.hasResourceProperties('AWS::Cognito::UserPool', { WebAuthnRelyingPartyID: 'auth.medflow.example' });
    expect(auth.passkeyRelyingPartyId).toBe('auth.medflow.example');
  });

  test('the relying party follows domainPrefix', () => {
    synthesize('staging', { domainPrefix: 'clinic-login' }).template
      .hasResourceProperties('AWS::Cognito::UserPool', { WebAuthnRelyingPartyID: 'clinic-login.auth.eu-west-1.amazoncognito.com' });
  });

  test('in a region-agnostic stack the relying party carries the deploy-time region', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      WebAuthnRelyingPartyID: { 'Fn::Join': ['', ['prod-medflow-auth.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] },
    });
  });

  test('without the hosted UI, passkeyRelyingPartyId names the relying party for API-only USER_AUTH sign-in', () => {
    const { template } = synthesize('prod', { enableHostedUi: false, passkeyRelyingPartyId: 'app.medflow.example' });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      WebAuthnRelyingPartyID: 'app.medflow.example',
      Policies: Match.objectLike({ SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } }),
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
  });
});

describe('passkey props that cannot work', () => {
  test('the Lite plan is refused, naming enablePasskeys', () => {
    const lite = EnvironmentPreset.custom({ ...EnvironmentPreset.dev().settings, environmentName: 'lite', featurePlan: cognito.FeaturePlan.LITE });
    const stack = new Stack(new App(), 'Lite', { env: { region: 'eu-west-1' } });
    expect(() => new MedflowCognito(stack, 'Auth', { preset: lite, enablePasskeys: true }))
      .toThrow(/invalid enablePasskeys true \(featurePlan LITE\); allowed: passkeys only on the ESSENTIALS or PLUS feature plan/);
    const fine = new MedflowCognito(new Stack(new App(), 'LiteOff', { env: { region: 'eu-west-1' } }), 'Auth', { preset: lite });
    expect(fine.passkeyRelyingPartyId).toBeUndefined();
  });

  test('a preset with passkeys and no hosted UI needs a relying party, naming enablePasskeys', () => {
    expect(() => construct('staging', { enableHostedUi: false }))
      .toThrow(/invalid enablePasskeys true without the hosted UI \(enableHostedUi: false\); allowed: a passkey relying party: the hosted UI domain \(enableHostedUi: true\), or passkeyRelyingPartyId/);
  });

  test('passkeyRelyingPartyId is refused with the hosted UI, without passkeys, and when not a domain', () => {
    expect(() => construct('prod', { passkeyRelyingPartyId: 'app.medflow.example' }))
      .toThrow(/invalid passkeyRelyingPartyId "app.medflow.example"; allowed: only without the hosted UI \(enableHostedUi: false\)/);
    expect(() => construct('prod', { enablePasskeys: false, enableHostedUi: false, passkeyRelyingPartyId: 'app.medflow.example' }))
      .toThrow(/invalid passkeyRelyingPartyId "app.medflow.example"; allowed: only together with enablePasskeys: true/);
    expect(() => construct('prod', { enableHostedUi: false, passkeyRelyingPartyId: 'https://app.medflow.example' }))
      .toThrow(/invalid passkeyRelyingPartyId "https:\/\/app.medflow.example"; allowed: a lowercase fully qualified domain name of at most 127 characters/);
  });

  test('a custom domain longer than a relying party ID may be is refused', () => {
    const domainName = `${'a'.repeat(60)}.${'b'.repeat(60)}.medflow.example`;
    expect(() => construct('prod', { customDomain: { domainName, certificate: certificate() } }))
      .toThrow(/invalid enablePasskeys true \(relying party a+\.b+\.medflow\.example has 137 characters\); allowed: a relying party ID of at most 127 characters/);
    const noPasskeys = construct('prod', { enablePasskeys: false, customDomain: { domainName, certificate: certificate() } });
    expect(noPasskeys.passkeyRelyingPartyId).toBeUndefined();
  });
});

describe('passkeys with an integ-like removable prod preset', () => {
  test('removal settings do not change the passkey configuration', () => {
    const preset = EnvironmentPreset.custom({
      ...EnvironmentPreset.prod().settings, deletionProtection: false, removalPolicy: RemovalPolicy.DESTROY,
    });
    const stack = new Stack(new App(), 'Removable', { env: { region: 'eu-west-1' } });
    new MedflowCognito(stack, 'Auth', { preset, email: TEST_EMAIL, projectName: 'medflowinteg' });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      WebAuthnRelyingPartyID: 'prod-medflowinteg-auth.auth.eu-west-1.amazoncognito.com',
      WebAuthnFactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION',
    });
  });
});
