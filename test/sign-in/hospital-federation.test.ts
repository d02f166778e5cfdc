import { App, Stack, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  EnvironmentPreset, FederationProtocol, HospitalIdentityProvider, MedflowCognito, MedflowCognitoProps,
  OidcProviderOptions, SamlProviderOptions,
} from '../../src';
import { PRESET_NAMES, PresetName, presetProps, TEST_EMAIL } from '../helpers';

const CALLBACKS = { callbackUrls: ['https://app.medflow.example/auth/callback'], logoutUrls: ['https://app.medflow.example/'] };
const OIDC_SECRET_NAME = 'medflow/idp/clinique-lyon';

function saml(overrides: Partial<SamlProviderOptions> = {}): HospitalIdentityProvider {
  return HospitalIdentityProvider.saml({
    name: 'CHU-Rabat',
    metadataUrl: 'https://sso.chu-rabat.example/saml/metadata',
    attributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
    enforcesMfa: true,
    ...overrides,
  });
}

/** Builds a stack, giving the OIDC factory an imported secret from that stack. */
function build(preset: PresetName, providers: (stack: Stack) => HospitalIdentityProvider[], overrides: Partial<MedflowCognitoProps> = {}) {
  const stack = new Stack(new App(), `Fed-${preset}`, { env: { region: 'eu-west-1' } });
  const auth = new MedflowCognito(stack, 'Auth', { ...presetProps(preset), ...CALLBACKS, identityProviders: providers(stack), ...overrides });
  return { stack, auth, template: Template.fromStack(stack) };
}

function oidc(stack: Stack, overrides: Partial<OidcProviderOptions> = {}): HospitalIdentityProvider {
  return HospitalIdentityProvider.oidc({
    name: 'Clinique-Lyon',
    issuerUrl: 'https://idp.clinique-lyon.example',
    clientId: 'medflow-prod',
    clientSecret: secretsmanager.Secret.fromSecretNameV2(stack, `IdpSecret${Object.keys(overrides).length}`, OIDC_SECRET_NAME),
    clientSecretField: 'client_secret',
    attributeMapping: { email: 'email', preferredLanguage: 'locale' },
    enforcesMfa: true,
    ...overrides,
  });
}

const RABAT_CLINIC = '3f2b8c1e-9d4a-4e7b-8a21-5c6d7e8f9a0b';
const trusted = (overrides: Partial<SamlProviderOptions> = {}) => saml({
  attributeMapping: { email: 'email', clinicId: 'medflow_clinic', userRole: 'medflow_role', preferredLanguage: 'lang' },
  trustIdentityAttributes: true,
  allowedClinicIds: [RABAT_CLINIC],
  allowedRoles: ['physician', 'nurse'],
  ...overrides,
});

function clientNamed(template: Template, suffix: string): { id: string; resource: any } {
  const found = Object.entries(template.findResources('AWS::Cognito::UserPoolClient', {
    Properties: { ClientName: Match.stringLikeRegexp(`${suffix}$`) },
  }));
  expect(found).toHaveLength(1);
  return { id: found[0][0], resource: found[0][1] };
}

describe('identity providers', () => {
  test('SAML by metadata URL: encrypted, signed requests, mapping, MFA flag recorded for a NagPack', () => {
    const { template, auth } = build('prod', () => [trusted()]);
    template.hasResource('AWS::Cognito::UserPoolIdentityProvider', {
      Properties: {
        ProviderName: 'CHU-Rabat',
        ProviderType: 'SAML',
        ProviderDetails: {
          MetadataURL: 'https://sso.chu-rabat.example/saml/metadata',
          EncryptedResponses: true,
          RequestSigningAlgorithm: 'rsa-sha256',
          IDPSignout: false,
        },
        AttributeMapping: {
          'email': 'email',
          'custom:clinic_id': 'medflow_clinic',
          'custom:user_role': 'medflow_role',
          'custom:preferred_language': 'lang',
        },
      },
      Metadata: { 'medflow:idp-enforces-mfa': true },
    });
    expect(auth.identityProviders).toHaveLength(1);
    expect(auth.identityProviders[0].providerName).toBeDefined();
  });

  test('SAML by metadata document, with encryption turned off explicitly and identifiers', () => {
    const metadataDocument = '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sso.chu.example"></md:EntityDescriptor>';
    const { template } = build('staging', () => [saml({ metadataUrl: undefined, metadataDocument, encryptedResponses: false, identifiers: ['chu-rabat.example'] })]);
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderDetails: { MetadataFile: metadataDocument, MetadataURL: Match.absent(), EncryptedResponses: false },
      IdpIdentifiers: ['chu-rabat.example'],
    });
  });

  test('OIDC: the client secret is a Secrets Manager dynamic reference, never a value', () => {
    const { template } = build('prod', (stack) => [oidc(stack)]);
    const provider = Object.values(template.findResources('AWS::Cognito::UserPoolIdentityProvider'))[0].Properties;
    expect(provider).toMatchObject({
      ProviderName: 'Clinique-Lyon',
      ProviderType: 'OIDC',
      AttributeMapping: { 'email': 'email', 'custom:preferred_language': 'locale' },
    });
    expect(provider.ProviderDetails).toMatchObject({ client_id: 'medflow-prod', oidc_issuer: 'https://idp.clinique-lyon.example', authorize_scopes: 'openid email profile' });
    expect(provider.ProviderDetails.client_secret).toEqual({
      'Fn::Join': ['', [
        '{{resolve:secretsmanager:arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:', { Ref: 'AWS::AccountId' },
        ':secret:medflow/idp/clinique-lyon:SecretString:client_secret::}}',
      ]],
    });
  });

  test('OIDC: a whole-string secret, custom scopes and identifiers', () => {
    const { template } = build('staging', (stack) => [oidc(stack, { clientSecretField: undefined, scopes: ['openid', 'email'], identifiers: ['clinique-lyon.example'] })]);
    const provider = Object.values(template.findResources('AWS::Cognito::UserPoolIdentityProvider'))[0].Properties;
    expect(provider.IdpIdentifiers).toEqual(['clinique-lyon.example']);
    const details = provider.ProviderDetails;
    expect(JSON.stringify(details.client_secret)).toMatch(/\{\{resolve:secretsmanager:.*medflow\/idp\/clinique-lyon:SecretString:::\}\}/);
    expect(details.authorize_scopes).toBe('openid email');
  });

  test('the factories expose what they were given', () => {
    const provider = trusted();
    expect([provider.name, provider.protocol, provider.enforcesMfa, provider.trustIdentityAttributes, provider.identifiers])
      .toEqual(['CHU-Rabat', FederationProtocol.SAML, true, true, []]);
    expect(saml().trustIdentityAttributes).toBe(false);
    expect(oidc(new Stack()).protocol).toBe(FederationProtocol.OIDC);
  });
});

describe('the federated client', () => {
  test('offers only the hospital providers, the code grant and rotating refresh tokens, and depends on the providers and the resource server', () => {
    const { template, auth } = build('prod', (stack) => [trusted(), oidc(stack)]);
    const { resource } = clientNamed(template, 'prod-medflow-cognito-federated-client');
    expect(resource.Properties).toMatchObject({
      SupportedIdentityProviders: ['CHU-Rabat', 'Clinique-Lyon'],
      // No API flow at all: federated users refresh at the token endpoint, which rotates refresh tokens.
      ExplicitAuthFlows: [],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      AllowedOAuthFlows: ['code'],
      CallbackURLs: CALLBACKS.callbackUrls,
      LogoutURLs: CALLBACKS.logoutUrls,
      GenerateSecret: true,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    // Without aws.cognito.signin.user.admin no token of this client can call UpdateUserAttributes.
    expect(resource.Properties.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
    expect(resource.Properties.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'medflow/patients.read']));
    const providerIds = Object.keys(template.findResources('AWS::Cognito::UserPoolIdentityProvider'));
    const serverId = Object.keys(template.findResources('AWS::Cognito::UserPoolResourceServer'))[0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([...providerIds, serverId]));
    expect(auth.federatedClient).toBeDefined();
  });

  test('may write exactly the mapped attributes; the backend client keeps COGNITO only and no identity attribute', () => {
    const { template } = build('prod', (stack) => [trusted(), oidc(stack)]);
    expect(clientNamed(template, '-federated-client').resource.Properties.WriteAttributes)
      .toEqual(['custom:clinic_id', 'custom:preferred_language', 'custom:user_role', 'email']);
    const backend = clientNamed(template, '-app-client').resource.Properties;
    expect(backend.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(backend.WriteAttributes).toEqual(['custom:preferred_language', 'custom:specialties', 'family_name', 'given_name', 'locale', 'phone_number']);
  });

  test('an email-only mapping gives write access to email only', () => {
    const { template } = build('staging', () => [saml()]);
    expect(clientNamed(template, '-federated-client').resource.Properties.WriteAttributes).toEqual(['email']);
  });

  test('gets managed login branding, its own secret in Secrets Manager and outputs with the ARN only', () => {
    const { template, auth } = build('prod', () => [saml()]);
    const { id } = clientNamed(template, '-federated-client');
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { ClientId: { Ref: id }, UseCognitoProvidedValues: true });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'prod-medflow-cognito-federated-client-secret' });
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    const outputs = Object.values(template.toJSON().Outputs as Record<string, { Description: string; Value: unknown }>);
    expect(outputs.find((o) => o.Description.startsWith('federated_client_id: '))?.Value).toEqual({ Ref: id });
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'prod-medflow-cognito-federated-client-secret' } }))[0];
    const secretOutput = outputs.find((o) => o.Description.startsWith('federated_client_secret: '))!;
    expect(secretOutput.Description).toMatch(/never the value/);
    expect(secretOutput.Value).toEqual({ Ref: secretId });
    expect(auth.federatedClientSecret).toBeDefined();
    expect(auth.federatedClientSecretArn).toBe(auth.federatedClientSecret!.secretArn);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/Fn::GetAtt[^\]]*ClientSecret"/);
  });

  test('dev: no secret for the federated client, no federated outputs for a pool without providers', () => {
    const { template, auth } = build('dev', () => [saml({ enforcesMfa: false })], CALLBACKS);
    expect(clientNamed(template, '-federated-client').resource.Properties.GenerateSecret).toBe(false);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(auth.federatedClientSecret).toBeUndefined();
    const bare = new MedflowCognito(new Stack(new App(), 'Bare', { env: { region: 'eu-west-1' } }), 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL });
    expect(bare.federatedClient).toBeUndefined();
    expect(bare.identityProviders).toEqual([]);
    const descriptions = Object.values(Template.fromStack(Stack.of(bare)).findOutputs('*')).map((o) => o.Description as string);
    expect(descriptions).toContain('app_client_id: Backend app client ID');
    expect(descriptions.filter((d) => d.startsWith('federated_'))).toEqual([]);
  });
});

describe('federated users get the same role mapping and clinic isolation', () => {
  test.each(['staging', 'prod'] as const)('%s: the identity pool trusts the federated client with the same Rules mapping', (preset) => {
    const { template } = build(preset, () => [trusted()]);
    const backendId = clientNamed(template, '-app-client').id;
    const federatedId = clientNamed(template, '-federated-client').id;
    const poolId = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0];
    const identityPool = Object.values(template.findResources('AWS::Cognito::IdentityPool'))[0].Properties;
    expect(identityPool.CognitoIdentityProviders.map((p: any) => p.ClientId)).toEqual([{ Ref: backendId }, { Ref: federatedId }]);
    expect(identityPool.CognitoIdentityProviders.every((p: any) => p.ServerSideTokenCheck === true)).toBe(true);

    const mappings = Object.values(template.findResources('AWS::Cognito::IdentityPoolRoleAttachment'))[0].Properties.RoleMappings;
    expect(Object.keys(mappings)).toEqual(['cognito', 'federated']);
    expect(mappings.federated.IdentityProvider).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [poolId, 'ProviderName'] }, ':', { Ref: federatedId }]] });
    expect(mappings.cognito.IdentityProvider).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [poolId, 'ProviderName'] }, ':', { Ref: backendId }]] });
    expect(mappings.federated.Type).toBe('Rules');
    expect(mappings.federated.AmbiguousRoleResolution).toBe('Deny');
    expect(mappings.federated.RulesConfiguration).toEqual(mappings.cognito.RulesConfiguration);
    expect(mappings.federated.RulesConfiguration.Rules.map((r: any) => [r.Claim, r.MatchType, r.Value]))
      .toEqual(['clinic_admin', 'physician', 'nurse', 'receptionist'].map((role) => ['custom:user_role', 'Equals', role]));

    // One principal tag for the whole user pool provider: federated users carry clinic_id like local ones.
    template.resourceCountIs('AWS::Cognito::IdentityPoolPrincipalTag', 1);
    template.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', {
      IdentityProviderName: { 'Fn::GetAtt': [poolId, 'ProviderName'] },
      PrincipalTags: { clinic_id: 'custom:clinic_id' },
    });
    // The federated client may read the claims the rules and the tag use.
    expect(clientNamed(template, '-federated-client').resource.Properties.ReadAttributes)
      .toEqual(expect.arrayContaining(['custom:user_role', 'custom:clinic_id']));
  });

  test('without federation the role attachment keeps its single mapping', () => {
    const template = Template.fromStack(new MedflowCognito(new Stack(new App(), 'One', { env: { region: 'eu-west-1' } }), 'Auth',
      { preset: EnvironmentPreset.prod(), email: TEST_EMAIL }).node.scope as Stack);
    const mappings = Object.values(template.findResources('AWS::Cognito::IdentityPoolRoleAttachment'))[0].Properties.RoleMappings;
    expect(Object.keys(mappings)).toEqual(['cognito']);
  });

  test('dev without an identity pool still federates', () => {
    const { template } = build('dev', () => [saml()]);
    template.resourceCountIs('AWS::Cognito::IdentityPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 1);
  });
});

describe('MFA of federated users', () => {
  test('prod refuses a provider that does not enforce MFA, naming the flag', () => {
    expect(() => build('prod', () => [saml({ enforcesMfa: false })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.enforcesMfa false; allowed: true in a production preset: Cognito never applies its own MFA to federated users.*allowProductionWithoutMfa/);
  });

  test('with allowProductionWithoutMfa, or outside prod, it is a warning and the flag is recorded', () => {
    for (const [preset, overrides] of [['prod', { allowProductionWithoutMfa: true }], ['staging', {}]] as const) {
      const { stack, template } = build(preset, () => [saml({ enforcesMfa: false })], overrides);
      template.hasResource('AWS::Cognito::UserPoolIdentityProvider', { Metadata: { 'medflow:idp-enforces-mfa': false } });
      Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('Identity provider CHU-Rabat does not enforce MFA'));
    }
    const { stack } = build('prod', () => [saml()]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('does not enforce MFA'))).toEqual([]);
  });
});

describe('bad identity providers', () => {
  test.each([
    ['CHU Rabat', /invalid identityProviders\[\]\.name "CHU Rabat"; allowed: no spaces and no underscore after the first character/],
    ['CHU_Rabat', /invalid identityProviders\[\]\.name "CHU_Rabat"; allowed: no spaces and no underscore/],
    ['ab', /invalid identityProviders\[\]\.name "ab"; allowed: 3 to 32 characters/],
    ['a'.repeat(33), /invalid identityProviders\[\]\.name "a{33}"; allowed: 3 to 32 characters/],
    ['Google', /invalid identityProviders\[\]\.name "Google"; allowed: a name other than those Cognito reserves \(cognito, facebook/],
    ['COGNITO', /a name other than those Cognito reserves/],
    [undefined, /invalid identityProviders\[\]\.name null; allowed: 3 to 32 characters/],
  ])('name %s is refused', (name, message) => {
    expect(() => build('staging', () => [saml({ name: name as string })])).toThrow(message);
  });

  test('duplicate providers are refused: same name in any case, same metadata, same issuer and client, same identifier', () => {
    expect(() => build('staging', () => [saml(), saml({ name: 'chu-rabat', metadataUrl: 'https://other.example/md' })]))
      .toThrow(/invalid identityProviders\[\]\.name "chu-rabat"; allowed: each provider once \(it duplicates "CHU-Rabat"/);
    expect(() => build('staging', () => [saml(), saml({ name: 'CHU-Rabat-2' })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat-2\] \(saml:https:\/\/sso.chu-rabat.example\/saml\/metadata\); allowed: each provider once \(CHU-Rabat already federates the same metadata\)/);
    expect(() => build('staging', (stack) => [oidc(stack), oidc(stack, { name: 'Lyon-2', issuerUrl: 'https://idp.clinique-lyon.example/' })]))
      .toThrow(/invalid identityProviders\[Lyon-2\] .*allowed: each provider once \(Clinique-Lyon already federates the same issuer and client\)/);
    expect(() => build('staging', (stack) => [saml({ identifiers: ['chu.example'] }), oidc(stack, { identifiers: ['CHU.example'] })]))
      .toThrow(/invalid identityProviders\[Clinique-Lyon\]\.identifiers "CHU.example"; allowed: identifiers unique across providers \(CHU-Rabat already uses it\)/);
    expect(() => build('staging', () => [saml({ identifiers: ['not/allowed'] })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.identifiers "not\/allowed"; allowed: 1-40 letters/);
  });

  test('SAML metadata must be an https URL or a metadata document, exactly one', () => {
    expect(() => build('staging', () => [saml({ metadataUrl: 'http://sso.chu-rabat.example/md' })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.metadataUrl "http:\/\/sso.chu-rabat.example\/md"; allowed: an https URL/);
    expect(() => build('staging', () => [saml({ metadataDocument: '<EntityDescriptor/>' })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.metadataUrl and metadataDocument both set; allowed: exactly one of metadataUrl and metadataDocument/);
    expect(() => build('staging', () => [saml({ metadataUrl: undefined })]))
      .toThrow(/metadataUrl and metadataDocument both missing/);
    expect(() => build('staging', () => [saml({ metadataUrl: undefined, metadataDocument: 'not xml' })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.metadataDocument "not xml"; allowed: a SAML metadata XML document with an EntityDescriptor/);
  });

  test('OIDC issuer must be https, the client ID set, the scopes include openid, the secret an ISecret', () => {
    expect(() => build('staging', (stack) => [oidc(stack, { issuerUrl: 'http://idp.example' })]))
      .toThrow(/invalid identityProviders\[Clinique-Lyon\]\.issuerUrl "http:\/\/idp.example"; allowed: an https URL/);
    expect(() => build('staging', (stack) => [oidc(stack, { clientId: '' })]))
      .toThrow(/invalid identityProviders\[Clinique-Lyon\]\.clientId ""; allowed: 1-255 characters without spaces/);
    expect(() => build('staging', (stack) => [oidc(stack, { scopes: ['email'] })]))
      .toThrow(/invalid identityProviders\[Clinique-Lyon\]\.scopes \["email"\]; allowed: a list that includes openid/);
    expect(() => build('staging', (stack) => [oidc(stack, { scopes: ['openid email'] })]))
      .toThrow(/invalid identityProviders\[Clinique-Lyon\]\.scopes "openid email"; allowed: scope names without spaces/);
    expect(() => build('staging', (stack) => [oidc(stack, { clientSecret: 'plaintext' as unknown as secretsmanager.ISecret })]))
      .toThrow(/invalid identityProviders\[Clinique-Lyon\]\.clientSecret string; allowed: a Secrets Manager ISecret \(never a plaintext value\)/);
  });

  test('identity attributes need trustIdentityAttributes: true', () => {
    expect(() => build('staging', () => [saml({ attributeMapping: { email: 'email', userRole: 'role' } })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.attributeMapping\.userRole mapped onto custom:user_role; allowed: identity attributes only with trustIdentityAttributes: true/);
    expect(() => build('staging', () => [saml({ attributeMapping: { email: 'email', clinicId: 'clinic', userRole: 'role' } })]))
      .toThrow(/attributeMapping\.clinicId mapped onto custom:clinic_id and custom:user_role; allowed: identity attributes only with trustIdentityAttributes: true/);
    expect(() => build('staging', () => [saml({ attributeMapping: { email: 'email', clinicId: 'clinic' }, trustIdentityAttributes: false })]))
      .toThrow(/attributeMapping\.clinicId mapped onto custom:clinic_id;/);
  });

  test('the mapping needs an email and attribute names without spaces', () => {
    expect(() => build('staging', () => [saml({ attributeMapping: {} as any })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.attributeMapping\.email ""; allowed: the provider attribute holding the email/);
    expect(() => build('staging', () => [saml({ attributeMapping: { email: '' } })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.attributeMapping\.email ""; allowed: the provider attribute holding the email/);
    expect(() => build('staging', () => [saml({ attributeMapping: { email: 'email', preferredLanguage: 'preferred language' } })]))
      .toThrow(/attributeMapping\.preferredLanguage "preferred language"; allowed: a provider attribute name/);
    expect(() => build('staging', () => [saml({ attributeMapping: undefined as any })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.attributeMapping null; allowed: a mapping with at least email/);
  });

  test('federation needs callbackUrls and the hosted UI; providers must come from the factories', () => {
    expect(() => build('staging', () => [saml()], { callbackUrls: undefined }))
      .toThrow(/invalid identityProviders \(1 providers\) without callbackUrls; allowed: identity providers only with callbackUrls/);
    expect(() => build('staging', () => [saml()], { enableHostedUi: false, enablePasskeys: false }))
      .toThrow(/invalid identityProviders \(1 providers\) without the hosted UI; allowed: identity providers only with enableHostedUi: true/);
    expect(() => build('staging', () => [undefined as unknown as HospitalIdentityProvider]))
      .toThrow(/invalid identityProviders\[\] null; allowed: HospitalIdentityProvider.saml/);
    expect(() => build('staging', () => [{ name: 'Fake-IdP' } as unknown as HospitalIdentityProvider]))
      .toThrow(/invalid identityProviders\[\] \{"name":"Fake-IdP"\}; allowed: HospitalIdentityProvider.saml\(...\) or HospitalIdentityProvider.oidc\(...\)/);
  });
});

describe('cdk-nag with federation, passkeys and terms', () => {
  const PACKS = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()];
  test.each(PRESET_NAMES)('%s: nothing unacknowledged', (preset) => {
    const { stack } = build(preset, (s) => [trusted(), oidc(s)], {
      enablePasskeys: true,
      termsOfUseUrl: { en: 'https://medflow.example/terms', fr: 'https://medflow.example/fr/conditions' },
      privacyPolicyUrl: { en: 'https://medflow.example/privacy', ar: 'https://medflow.example/ar/privacy' },
      callbackUrls: CALLBACKS.callbackUrls,
    });
    const findings = PACKS().flatMap((pack) => pack.validateScope(stack).violations
      .map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`));
    expect(findings).toEqual([]);
  });
});

describe('federation allow-lists', () => {
  const preTokenEnvironment = (template: Template) => {
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { ROLE_SCOPES: Match.anyValue() } } } });
    expect(Object.keys(fns)).toHaveLength(1);
    return Object.values(fns)[0].Properties.Environment.Variables as Record<string, string>;
  };

  test('a trusting provider passes its allow-lists to the pre token generation function', () => {
    const { template } = build('staging', () => [trusted(), saml({ name: 'Clinique-Fes', metadataUrl: 'https://sso.fes.example/saml/metadata' })]);
    expect(JSON.parse(preTokenEnvironment(template).FEDERATED_ALLOW_LISTS)).toEqual({
      'CHU-Rabat': { clinicIds: [RABAT_CLINIC], roles: ['physician', 'nurse'] },
    });
  });

  test('OIDC providers take the same allow-lists', () => {
    const { template } = build('staging', (stack) => [oidc(stack, {
      attributeMapping: { email: 'email', clinicId: 'clinic', userRole: 'role' },
      trustIdentityAttributes: true,
      allowedClinicIds: [RABAT_CLINIC],
      allowedRoles: ['clinic_admin'],
    })]);
    expect(JSON.parse(preTokenEnvironment(template).FEDERATED_ALLOW_LISTS)).toEqual({
      'Clinique-Lyon': { clinicIds: [RABAT_CLINIC], roles: ['clinic_admin'] },
    });
  });

  test.each([
    ['without allowedClinicIds', { allowedClinicIds: undefined },
      /MedflowCognito: invalid identityProviders\[CHU-Rabat\]\.allowedClinicIds \(missing\); allowed: with trustIdentityAttributes: true, a non-empty list of the clinic UUIDs/],
    ['without allowedRoles', { allowedRoles: undefined },
      /invalid identityProviders\[CHU-Rabat\]\.allowedRoles \(missing\); allowed: with trustIdentityAttributes: true, a non-empty list of the configured healthcare roles the provider may assert \(clinic_admin, physician, nurse, receptionist\)/],
    ['with an empty allowedRoles', { allowedRoles: [] }, /invalid identityProviders\[CHU-Rabat\]\.allowedRoles \[\]; allowed:/],
    ['with a clinic ID that is not a UUID', { allowedClinicIds: ['clinic-42'] },
      /invalid identityProviders\[CHU-Rabat\]\.allowedClinicIds "clinic-42"; allowed: clinic UUIDs: lowercase 8-4-4-4-12 hexadecimal digits, not the nil UUID/],
    ['with the nil UUID', { allowedClinicIds: ['00000000-0000-0000-0000-000000000000'] }, /allowedClinicIds "00000000-0000-0000-0000-000000000000"; allowed: clinic UUIDs/],
    ['with an upper-case UUID', { allowedClinicIds: [RABAT_CLINIC.toUpperCase()] }, /allowedClinicIds "3F2B8C1E/],
    ['with a role that is not configured', { allowedRoles: ['superuser'] },
      /invalid identityProviders\[CHU-Rabat\]\.allowedRoles "superuser"; allowed: configured healthcare roles \(clinic_admin, physician, nurse, receptionist\)/],
  ])('synth fails for trustIdentityAttributes: true %s', (_name, overrides, message) => {
    expect(() => build('staging', () => [trusted(overrides as Partial<SamlProviderOptions>)])).toThrow(message);
  });

  test('allow-lists are refused on a provider not trusted with identity attributes', () => {
    expect(() => build('staging', () => [saml({ allowedRoles: ['physician'] })]))
      .toThrow(/invalid identityProviders\[CHU-Rabat\]\.allowedRoles set without trustIdentityAttributes; allowed: allow-lists only on a provider with trustIdentityAttributes: true/);
  });
});

test('allow-lists too large for the function environment are refused at synth', () => {
  const many = Array.from({ length: 80 }, (_, i) => `3f2b8c1e-9d4a-4e7b-8a21-${i.toString(16).padStart(12, '0')}`);
  expect(() => build('staging', () => [trusted({ allowedClinicIds: many })]))
    .toThrow(/MedflowCognito: invalid identityProviders\[\]\.allowedClinicIds \(\d+ characters of allow-lists in all\); allowed: at most 2500 characters in all/);
});
