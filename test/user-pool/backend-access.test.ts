import { App, Duration, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  Acknowledgements, EnvironmentPreset, HospitalIdentityProvider, MedflowCognito, MedflowCognitoProps, MedflowHealthcareChecks, MedflowScope,
} from '../../src';
import { TEST_EMAIL } from '../helpers';

function build(props: MedflowCognitoProps) {
  const stack = new Stack(new App(), 'Backend', { env: { region: 'eu-west-3' } });
  const auth = new MedflowCognito(stack, 'Auth', { email: TEST_EMAIL, ...props });
  return { stack, auth };
}

function backendClient(template: Template) {
  const clients = template.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: Match.stringLikeRegexp('-app-client$') } });
  expect(Object.keys(clients)).toHaveLength(1);
  return Object.values(clients)[0].Properties;
}

describe('authFlows', () => {
  test('prod with the server-side flow: ALLOW_ADMIN_USER_PASSWORD_AUTH beside SRP, passkeys and refresh, no USER_PASSWORD_AUTH', () => {
    const { stack } = build({ preset: EnvironmentPreset.prod(), authFlows: { adminUserPassword: true, userSrp: true } });
    const flows = backendClient(Template.fromStack(stack)).ExplicitAuthFlows;
    // Prod rotates refresh tokens, so Cognito refuses REFRESH_TOKEN_AUTH and the flow is left out.
    expect([...flows].sort()).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(new MedflowHealthcareChecks().validateScope(stack).violations).toEqual([]);
  });

  test('prod refuses USER_PASSWORD_AUTH without the risk acceptance, naming authFlows', () => {
    expect(() => build({ preset: EnvironmentPreset.prod(), authFlows: { userPassword: true } }))
      .toThrow(/MedflowCognito: invalid authFlows\.userPassword true in a production preset; allowed: false: production clients sign in with SRP, passkeys or, server-side, authFlows\.adminUserPassword .*allowPasswordAuthInProduction/);
  });

  test('with the risk acceptance, the healthcare finding is acknowledged with it and nothing else claims test data', () => {
    const { stack } = build({
      preset: EnvironmentPreset.prod(), authFlows: { userPassword: true }, allowPasswordAuthInProduction: true,
    });
    expect(backendClient(Template.fromStack(stack)).ExplicitAuthFlows).toContain('ALLOW_USER_PASSWORD_AUTH');
    const reasons = Acknowledgements.list(stack).filter((a) => a.ruleId === 'Medflow.Healthcare-CognitoClientNoUserPasswordAuthInProduction');
    expect(reasons).toHaveLength(1);
    expect(reasons[0].reason).toMatch(/production environment prod allows USER_PASSWORD_AUTH because .*allowPasswordAuthInProduction: true/);
    expect(new MedflowHealthcareChecks().validateScope(stack).violations).toEqual([]);
  });

  test('flows left unset keep the preset\'s; passkeys need USER_AUTH; at least one flow', () => {
    const { stack } = build({ preset: EnvironmentPreset.staging(), authFlows: { userSrp: false } });
    expect([...backendClient(Template.fromStack(stack)).ExplicitAuthFlows].sort())
      .toEqual(['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
    expect(() => build({ preset: EnvironmentPreset.prod(), authFlows: { user: false } }))
      .toThrow(/invalid authFlows\.user false with passkeys on; allowed: true while enablePasskeys is on/);
    expect(() => build({ preset: EnvironmentPreset.dev(), authFlows: { userSrp: false, userPassword: false } }))
      .toThrow(/invalid authFlows \(every flow off\); allowed: at least one of userSrp/);
  });
});

describe('grantUserAdministration', () => {
  test('grants the backend\'s Admin API actions on this pool only, and never user deletion', () => {
    const { stack, auth } = build({ preset: EnvironmentPreset.prod() });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    auth.grantUserAdministration(backend);
    const template = Template.fromStack(stack);
    const policies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('Backend'));
    expect(policies).toHaveLength(1);
    const [statement] = policies[0].Properties.PolicyDocument.Statement;
    expect([statement.Action].flat().sort()).toEqual([
      'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser',
      'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:AdminRemoveUserFromGroup',
      'cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminUserGlobalSignOut',
    ]);
    expect(JSON.stringify(policies[0])).not.toMatch(/AdminDeleteUser|cognito-idp:\*/);
    expect(stack.resolve(statement.Resource)).toEqual(stack.resolve(auth.userPool.userPoolArn));
  });
});

describe('addMachineClient', () => {
  test('a client-credentials client with only its scopes, 1-hour tokens and a rotated secret; nag-clean', () => {
    const { stack, auth } = build({ preset: EnvironmentPreset.prod() });
    const lab = auth.addMachineClient('LabSystem', { scopes: [MedflowScope.PATIENTS_READ] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'prod-medflow-cognito-machine-labsystem',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['medflow/patients.read'],
      AccessTokenValidity: 60,
      TokenValidityUnits: Match.objectLike({ AccessToken: 'minutes' }),
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      // An empty list: the client may write no attribute at all.
      WriteAttributes: [],
    });
    const clientId = stack.resolve(lab.clientId);
    template.hasResourceProperties('Custom::MedflowClientSecretSync', { ClientId: clientId });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'prod-medflow-cognito-machine-labsystem-secret' });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'prod-medflow-cognito-machine-labsystem-secret-rotation-failures',
      AlarmActions: Match.anyValue(),
    });
    for (const pack of [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new MedflowHealthcareChecks()]) {
      expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
    }
  });

  test('in dev (no backend secret, no alarms) the machine client still keeps a rotated secret', () => {
    const { stack, auth } = build({ preset: EnvironmentPreset.dev() });
    auth.addMachineClient('Hl7Gateway', { scopes: [MedflowScope.APPOINTMENTS_READ, MedflowScope.APPOINTMENTS_WRITE], accessTokenValidity: Duration.minutes(15) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthScopes: ['medflow/appointments.read', 'medflow/appointments.write'],
      AccessTokenValidity: 15,
    });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test.each([
    [{ scopes: [] }, /MedflowCognito\.addMachineClient: invalid Lab\.scopes \[\]; allowed: one or more of patients\.read/],
    [{ scopes: ['patients.delete'] }, /invalid Lab\.scopes "patients\.delete"; allowed: MedflowScope values/],
    [{ scopes: [MedflowScope.ADMIN, MedflowScope.ADMIN] }, /invalid Lab\.scopes \["admin","admin"\]; allowed: each scope once/],
    [{ scopes: [MedflowScope.ADMIN], accessTokenValidity: Duration.hours(2) }, /invalid Lab\.accessTokenValidity 2 hours; allowed: from 5 minutes to 1 hour/],
  ])('%j fails naming the option', (options, message) => {
    const { auth } = build({ preset: EnvironmentPreset.prod() });
    expect(() => auth.addMachineClient('Lab', options as never)).toThrow(message);
  });
});

describe('refresh-token rotation', () => {
  const CALLBACKS = { callbackUrls: ['https://app.medflow.example/auth/callback'] };
  const hospital = () => HospitalIdentityProvider.saml({
    name: 'CHU-Rabat',
    metadataUrl: 'https://sso.chu-rabat.example/saml/metadata',
    attributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
    enforcesMfa: true,
  });
  function clientsByName(template: Template) {
    const clients = template.findResources('AWS::Cognito::UserPoolClient');
    return Object.fromEntries(Object.values(clients).map((c) => [c.Properties.ClientName.replace(/^[a-z]+-medflow-cognito-/, ''), c.Properties]));
  }

  test.each([
    ['staging', EnvironmentPreset.staging()],
    ['prod', EnvironmentPreset.prod()],
  ])('%s: the backend and federated clients rotate with the grace period; a machine client has no rotation', (_name, preset) => {
    const { stack, auth } = build({ preset, ...CALLBACKS, identityProviders: [hospital()], refreshTokenRotationGracePeriod: Duration.seconds(30) });
    auth.addMachineClient('Lab', { scopes: [MedflowScope.PATIENTS_READ] });
    const clients = clientsByName(Template.fromStack(stack));
    expect(clients['app-client'].RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 30 });
    expect(clients['federated-client'].RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 30 });
    expect(clients['machine-lab'].RefreshTokenRotation).toBeUndefined();
    // Cognito refuses REFRESH_TOKEN_AUTH on a rotating client; refresh goes through GetTokensFromRefreshToken.
    expect(clients['app-client'].ExplicitAuthFlows).not.toContain('ALLOW_REFRESH_TOKEN_AUTH');
    expect(auth.settings.refreshTokenRotation).toBe(true);
  });

  test('the default grace period is 10 seconds', () => {
    const { stack } = build({ preset: EnvironmentPreset.prod() });
    expect(backendClient(Template.fromStack(stack)).RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
  });

  test('dev has no rotation, and a preset override turns it on there', () => {
    const { stack } = build({ preset: EnvironmentPreset.dev() });
    expect(backendClient(Template.fromStack(stack)).RefreshTokenRotation).toBeUndefined();
    expect(backendClient(Template.fromStack(stack)).ExplicitAuthFlows).toContain('ALLOW_REFRESH_TOKEN_AUTH');
    const { stack: rotating } = build({
      preset: EnvironmentPreset.dev().withOverrides({ refreshTokenRotation: true }), refreshTokenRotationGracePeriod: Duration.seconds(0),
    });
    expect(backendClient(Template.fromStack(rotating)).RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
  });

  test.each([
    [Duration.seconds(61), /MedflowCognito: invalid refreshTokenRotationGracePeriod 61 seconds; allowed: whole seconds from 0 to 60/],
    [Duration.minutes(5), /MedflowCognito: invalid refreshTokenRotationGracePeriod 300 seconds; allowed: whole seconds from 0 to 60/],
    [Duration.millis(1500), /MedflowCognito: invalid refreshTokenRotationGracePeriod 1\.5 seconds; allowed: whole seconds from 0 to 60/],
  ])('a grace period of %s fails naming the prop, the value and the range', (gracePeriod, message) => {
    expect(() => build({ preset: EnvironmentPreset.staging(), refreshTokenRotationGracePeriod: gracePeriod })).toThrow(message);
  });

  test('a grace period where rotation is off fails naming the prop', () => {
    expect(() => build({ preset: EnvironmentPreset.dev(), refreshTokenRotationGracePeriod: Duration.seconds(5) }))
      .toThrow(/MedflowCognito: invalid refreshTokenRotationGracePeriod 5 seconds; allowed: only with refresh-token rotation on \(preset refreshTokenRotation: true/);
  });
});
