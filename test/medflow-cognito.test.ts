import { App, Duration, Stack, aws_certificatemanager as acm } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { EnvironmentPreset, HealthcareAttributes, MedflowCognito } from '../src';
import { PRESET_NAMES, construct, synthesize } from './helpers';

const IDENTITY_ATTRIBUTES = ['custom:user_role', 'custom:clinic_id', 'custom:medical_license', 'custom:npi_number', 'custom:license_state'];

describe('MedflowCognito presets', () => {
  test('dev: MFA off, 8-char passwords, 8-hour tokens, no secret, USER_PASSWORD_AUTH, Essentials, destroyable', () => {
    const { template, auth } = synthesize('dev');
    template.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        UserPoolName: 'dev-medflow-cognito-user-pool',
        MfaConfiguration: 'OFF',
        UserPoolTier: 'ESSENTIALS',
        DeletionProtection: 'INACTIVE',
        UserPoolAddOns: Match.absent(),
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 8, PasswordHistorySize: Match.absent() }) },
      }),
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'dev-medflow-cognito-app-client',
      AccessTokenValidity: 480,
      IdTokenValidity: 480,
      RefreshTokenValidity: 43200,
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: Match.absent(),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::Cognito::IdentityPool', 0);
    expect(auth.clientSecret).toBeUndefined();
    expect(auth.identityPool).toBeUndefined();
    expect(auth.domain).toBeDefined();
  });

  test('staging: optional TOTP, history 5, audit threat protection, secret, identity pool, retained', () => {
    const { template, auth } = synthesize('staging');
    template.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
        DeletionProtection: 'ACTIVE',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, PasswordHistorySize: 5 }) },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 60,
      GenerateSecret: true,
      // Rotating clients refresh through GetTokensFromRefreshToken; Cognito refuses REFRESH_TOKEN_AUTH for them.
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.resourceCountIs('AWS::Cognito::IdentityPool', 1);
    expect(auth.clientSecret).toBeDefined();
    expect(auth.identityPool).toBeDefined();
  });

  test('prod: MFA required, history 10, enforced threat protection, SRP, USER_AUTH for passkeys and refresh only', () => {
    const { template } = synthesize('prod');
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'prod-medflow-cognito-user-pool',
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          PasswordHistorySize: 10,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'prod-medflow-cognito-app-client',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
    });
  });

  test.each(PRESET_NAMES)('%s: email username, case-insensitive, verified email, email-only recovery, admin-created users', (preset) => {
    const { template } = synthesize(preset);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      VerificationMessageTemplate: Match.objectLike({ DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailMessage: Match.stringLikeRegexp('\\{####\\}') }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AllowedOAuthFlowsUserPoolClient: false,
    });
  });

  test.each(PRESET_NAMES)('%s: the client reads all seven attributes and writes no identity attribute', (preset) => {
    const { template } = synthesize(preset);
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0];
    const read: string[] = client.Properties.ReadAttributes;
    const write: string[] = client.Properties.WriteAttributes;
    for (const d of HealthcareAttributes.definitions()) {
      expect(read).toContain(`custom:${d.name}`);
    }
    expect(read).toContain('email');
    expect(write).toEqual(expect.arrayContaining(['custom:preferred_language', 'custom:specialties']));
    for (const identity of IDENTITY_ATTRIBUTES) {
      expect(write).not.toContain(identity);
    }
    expect(write).not.toContain('email');
  });

  test.each(PRESET_NAMES)('%s: every taggable resource carries the four tags', (preset) => {
    const { template } = synthesize(preset);
    const expected = { Environment: preset, Project: 'medflow', DataClassification: preset === 'dev' ? 'synthetic' : 'PHI', Compliance: 'HIPAA' };
    const resources = Object.entries(template.toJSON().Resources as Record<string, any>);
    let checked = 0;
    for (const [logicalId, resource] of resources) {
      const tags = resource.Properties?.Tags ?? resource.Properties?.UserPoolTags ?? resource.Properties?.IdentityPoolTags;
      if (tags === undefined) continue;
      const asMap = Array.isArray(tags) ? Object.fromEntries(tags.map((t: any) => [t.Key, t.Value])) : tags;
      expect({ logicalId, tags: asMap }).toEqual({ logicalId, tags: expect.objectContaining(expected) });
      checked++;
    }
    const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0];
    expect(pool.Properties.UserPoolTags).toEqual(expected);
    expect(checked).toBeGreaterThanOrEqual(preset === 'dev' ? 2 : 6);
  });

  test('no template ever reads the client secret through CloudFormation', () => {
    for (const preset of PRESET_NAMES) {
      const json = JSON.stringify(synthesize(preset).template.toJSON());
      expect(json).not.toMatch(/"Fn::GetAtt":\["[A-Za-z0-9]+","ClientSecret"\]/);
      expect(json).not.toContain('AWSLambdaBasicExecutionRole');
      expect(json).not.toContain('AWS679f53fac002430cb0da5b7982bd2287');
    }
  });
});

describe('MedflowCognito outputs', () => {
  test('prod emits every contract output, the secret as an ARN', () => {
    const { template, auth } = synthesize('prod');
    const outputs = template.toJSON().Outputs as Record<string, { Description: string; Value: unknown }>;
    const names = Object.values(outputs).map((o) => o.Description.split(':')[0]).sort();
    expect(names).toEqual([
      'app_client_id', 'app_client_secret', 'authenticated_role_arn', 'hosted_ui_host', 'hosted_ui_url', 'identity_pool_id',
      'unauthenticated_role_arn', 'user_pool_arn', 'user_pool_domain', 'user_pool_endpoint', 'user_pool_id',
    ]);
    // Each output is exported as <stackName>-<output name with hyphens>.
    for (const output of Object.values(outputs) as { Description: string; Export?: { Name: string } }[]) {
      expect(output.Export).toEqual({ Name: `Test-prod-${output.Description.split(':')[0].replace(/_/g, '-')}` });
    }
    const secretOutput = Object.values(outputs).find((o) => o.Description.startsWith('app_client_secret'))!;
    const secretLogicalId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(secretOutput.Value).toEqual({ Ref: secretLogicalId });
    expect(Stack.of(auth).resolve(auth.userPoolEndpoint)).toEqual({
      'Fn::Join': ['', ['cognito-idp.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: expect.stringMatching(/^AuthUserPool/) }]],
    });
    expect(auth.authority.startsWith('https://')).toBe(true);
  });

  test('two MedflowCognito in one stack export under their construct paths, so no export name repeats', () => {
    const stack = new Stack(new App(), 'Shared', { env: { region: 'eu-west-1' } });
    new MedflowCognito(stack, 'Clinics', { preset: EnvironmentPreset.dev(), projectName: 'clinics' });
    new MedflowCognito(new Construct(stack, 'Lab'), 'Auth', { preset: EnvironmentPreset.dev(), projectName: 'lab' });
    const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Export: { Name: string } }>;
    const exports = Object.values(outputs).map((o) => o.Export.Name);
    expect(new Set(exports).size).toBe(exports.length);
    expect(exports).toEqual(expect.arrayContaining(['Shared-Clinics-user-pool-id', 'Shared-Lab-Auth-user-pool-id']));
  });

  test('user_pool_domain holds the prefix; hosted_ui_host and the SSM domain parameter hold the same host', () => {
    const { template, stack } = synthesize('dev');
    const outputs = Object.values(template.toJSON().Outputs as Record<string, { Description: string; Value: unknown }>);
    const value = (name: string) => stack.resolve(outputs.find((o) => o.Description.startsWith(`${name}:`))!.Value);
    const domainLogicalId = Object.keys(template.findResources('AWS::Cognito::UserPoolDomain'))[0];
    expect(value('user_pool_domain')).toEqual({ Ref: domainLogicalId });
    const host = value('hosted_ui_host');
    expect(JSON.stringify(host)).toContain('.auth.eu-west-1.amazoncognito.com');
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/dev/medflow/cognito/domain', Value: host });
  });

  test('dev omits the outputs of what it does not create', () => {
    const outputs = synthesize('dev').template.toJSON().Outputs as Record<string, { Description: string }>;
    const names = Object.values(outputs).map((o) => o.Description.split(':')[0]);
    expect(names).not.toContain('app_client_secret');
    expect(names).not.toContain('identity_pool_id');
    expect(names).toContain('hosted_ui_url');
  });

  test('a custom domain gives custom_domain_url and uses the certificate', () => {
    const { template, auth } = synthesize('prod', {
      customDomain: {
        domainName: 'auth.medflow.example',
        certificate: acm.Certificate.fromCertificateArn(new Stack(), 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'auth.medflow.example',
      CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' },
      ManagedLoginVersion: 2,
    });
    expect(auth.customDomainUrl).toBe('https://auth.medflow.example');
    expect(auth.hostedUiUrl).toBe('https://auth.medflow.example');
  });

  test('the identity pool links the pool and client, refuses guests and uses the named roles', () => {
    const { template } = synthesize('prod', { authenticatedRoleName: 'clinic-auth-role' });
    template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      IdentityPoolName: 'prod-medflow-cognito-identity-pool',
      AllowUnauthenticatedIdentities: false,
      AllowClassicFlow: false,
      CognitoIdentityProviders: [Match.objectLike({ ClientId: { Ref: Match.stringLikeRegexp('AppClient') } })],
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'clinic-auth-role' });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'prod-medflow-cognito-unauthenticated-role' });
  });
});

describe('MedflowCognito overrides', () => {
  test('projectName, pool and client names', () => {
    const { template } = synthesize('staging', { projectName: 'clinic-one' });
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolName: 'staging-clinic-one-cognito-user-pool' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ClientName: 'staging-clinic-one-cognito-app-client' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'staging-clinic-one-cognito-app-client-secret' });
    const named = synthesize('dev', { userPoolName: 'custom-pool', appClientName: 'custom-client' }).template;
    named.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolName: 'custom-pool' });
    named.hasResourceProperties('AWS::Cognito::UserPoolClient', { ClientName: 'custom-client' });
  });

  test('enableMfa turns MFA on in dev (required) and off in staging', () => {
    synthesize('dev', { enableMfa: true }).template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    synthesize('staging', { enableMfa: false }).template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OFF' });
  });

  test('prod without MFA needs the explicit override', () => {
    expect(() => construct('prod', { enableMfa: false })).toThrow(/enableMfa false \(MFA OFF\); allowed: MFA REQUIRED in a production preset \(prod\).*allowProductionWithoutMfa/);
    const { template } = synthesize('prod', { enableMfa: false, allowProductionWithoutMfa: true });
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OFF' });
  });

  test('password length, token validity and secret overrides', () => {
    const { template } = synthesize('dev', {
      passwordMinimumLength: 16,
      accessTokenValidity: Duration.minutes(30),
      idTokenValidity: Duration.minutes(45),
      refreshTokenValidity: Duration.days(7),
      generateClientSecret: true,
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', { Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 16 }) } });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 30, IdTokenValidity: 45, RefreshTokenValidity: 10080, GenerateSecret: true,
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    synthesize('prod', { generateClientSecret: false }).template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('case sensitivity, self sign-up, identity pool and hosted UI switches', () => {
    const { template, auth } = synthesize('staging', {
      caseSensitiveUsernames: true, selfSignUpEnabled: true, enableIdentityPool: false, enableHostedUi: false, enablePasskeys: false,
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameConfiguration: { CaseSensitive: true },
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: false }),
    });
    template.resourceCountIs('AWS::Cognito::IdentityPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    expect(auth.domain).toBeUndefined();
    synthesize('dev', { enableIdentityPool: true }).template.resourceCountIs('AWS::Cognito::IdentityPool', 1);
  });

  test('domain prefix default and override, with managed login v2 branding', () => {
    const dev = synthesize('dev').template;
    dev.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'dev-medflow-auth', ManagedLoginVersion: 2 });
    dev.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UseCognitoProvidedValues: true });
    synthesize('dev', { domainPrefix: 'clinic-login' }).template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'clinic-login' });
  });

  test('callback URLs enable the authorization code grant only', () => {
    const { template } = synthesize('prod', { callbackUrls: ['https://app.medflow.example/callback'], logoutUrls: ['https://app.medflow.example/'] });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: [
        'openid', 'email', 'profile',
        'medflow/patients.read', 'medflow/patients.write', 'medflow/appointments.read', 'medflow/appointments.write', 'medflow/admin',
      ],
      CallbackURLs: ['https://app.medflow.example/callback'],
      LogoutURLs: ['https://app.medflow.example/'],
    });
    synthesize('dev', { callbackUrls: ['http://localhost:3000/callback'] }).template
      .hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['http://localhost:3000/callback'] });
  });
});

describe('MedflowCognito bad props', () => {
  test.each([
    [{ passwordMinimumLength: 7 }, /invalid passwordMinimumLength 7; allowed: a whole number from 8 to 99/],
    [{ passwordMinimumLength: 100 }, /invalid passwordMinimumLength 100; allowed: a whole number from 8 to 99/],
    [{ passwordMinimumLength: 12.5 }, /invalid passwordMinimumLength 12.5/],
    [{ accessTokenValidity: Duration.minutes(4) }, /invalid accessTokenValidity 4 minutes; allowed: from 5 minutes to 1 day/],
    [{ accessTokenValidity: Duration.hours(25) }, /invalid accessTokenValidity 1 day 1 hour; allowed: from 5 minutes to 1 day/],
    [{ idTokenValidity: Duration.days(2) }, /invalid idTokenValidity 2 days; allowed: from 5 minutes to 1 day/],
    [{ refreshTokenValidity: Duration.minutes(59) }, /invalid refreshTokenValidity 59 minutes; allowed: from 1 hour to 3650 days/],
    [{ refreshTokenValidity: Duration.days(3651) }, /invalid refreshTokenValidity 3651 days; allowed: from 1 hour to 3650 days/],
    [{ accessTokenValidity: Duration.hours(2), refreshTokenValidity: Duration.hours(1) }, /invalid accessTokenValidity 2 hours; allowed: at most refreshTokenValidity \(1 hour\)/],
    [{ projectName: 'MedFlow' }, /invalid projectName "MedFlow"; allowed: lowercase letters, digits and hyphens/],
    [{ projectName: 'medflow_app' }, /invalid projectName "medflow_app"/],
    [{ projectName: 'm' }, /invalid projectName "m"/],
    [{ projectName: 'a'.repeat(33) }, /invalid projectName "a{33}"/],
    [{ domainPrefix: 'medflow-cognito' }, /invalid domainPrefix "medflow-cognito"; allowed: a value without the reserved word\(s\) "aws", "amazon", "cognito" \(found cognito\)/],
    [{ domainPrefix: 'my-aws-login' }, /invalid domainPrefix "my-aws-login".*found aws/],
    [{ domainPrefix: 'Bad_Prefix' }, /invalid domainPrefix "Bad_Prefix"; allowed: lowercase letters, digits and hyphens/],
    [{ callbackUrls: ['http://app.medflow.example/cb'] }, /invalid callbackUrls "http:\/\/app.medflow.example\/cb"; allowed: https URLs \(http:\/\/localhost only in a non-production environment with synthetic data, such as dev\)/],
    [{ logoutUrls: ['ftp://x'] }, /invalid logoutUrls "ftp:\/\/x"/],
  ])('prod rejects %o', (overrides, message) => {
    expect(() => construct('prod', overrides as any)).toThrow(message);
  });

  test('localhost callbacks are refused outside dev', () => {
    expect(() => construct('staging', { callbackUrls: ['http://localhost:3000/cb'] })).toThrow(/invalid callbackUrls "http:\/\/localhost:3000\/cb"/);
    expect(() => construct('dev', { callbackUrls: ['http://localhost:3000/cb'] })).not.toThrow();
  });

  test('a custom domain without a certificate or hosted zone is refused', () => {
    expect(() => construct('prod', { customDomain: { domainName: 'auth.medflow.example' } }))
      .toThrow(/invalid customDomain without certificate or hostedZone; allowed: a us-east-1 ACM certificate in customDomain.certificate, or a Route 53 zone/);
  });

  test('a malformed custom domain name is refused', () => {
    const certificate = acm.Certificate.fromCertificateArn(new Stack(), 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    expect(() => construct('prod', { customDomain: { domainName: 'Not A Domain', certificate } }))
      .toThrow(/invalid customDomain.domainName "Not A Domain"/);
  });

  test('a missing preset is refused', () => {
    expect(() => construct('prod', { preset: undefined as any })).toThrow(/invalid preset undefined; allowed: EnvironmentPreset.dev\(\)/);
  });
});
