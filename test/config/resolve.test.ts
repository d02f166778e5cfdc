import { App, Duration, Stack, aws_cognito as cognito, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  Acknowledgements,
  DataClassification,
  EnvironmentPreset,
  HospitalIdentityProvider,
  MedflowCognito,
  MedflowCognitoProps,
  MedflowHealthcareChecks,
} from '../../src';
import { PRESET_NAMES, presetFor, TEST_EMAIL } from '../helpers';

const PRODEU = EnvironmentPreset.prod().withOverrides({ environmentName: 'prodeu' });

function build(props: MedflowCognitoProps, region = 'eu-central-1') {
  const stack = new Stack(new App(), 'Auth', { env: { region } });
  const auth = new MedflowCognito(stack, 'Auth', { email: TEST_EMAIL, ...props });
  return { stack, auth };
}

function hospital(enforcesMfa: boolean): HospitalIdentityProvider {
  const stack = new Stack();
  return HospitalIdentityProvider.oidc({
    name: 'CentralHospital',
    issuerUrl: 'https://login.central-hospital.example',
    clientId: 'medflow',
    clientSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'IdpSecret', 'hospital-idp'),
    attributeMapping: { email: 'email' },
    enforcesMfa,
  });
}

describe('production is the preset setting, not the name', () => {
  test('a prodeu preset derived from prod refuses MFA off without the risk acceptance', () => {
    expect(() => build({ preset: PRODEU, enableMfa: false }))
      .toThrow(/MedflowCognito: invalid enableMfa false \(MFA OFF\); allowed: MFA REQUIRED in a production preset \(prodeu\)\. Set allowProductionWithoutMfa: true/);
    expect(() => build({ preset: PRODEU.withOverrides({ mfa: cognito.Mfa.OPTIONAL }) })).toThrow(/invalid enableMfa undefined \(MFA OPTIONAL\)/);
  });

  test('a staging preset named prod is not production', () => {
    const { auth } = build({ preset: EnvironmentPreset.staging().withOverrides({ environmentName: 'prod' }), email: TEST_EMAIL, enableMfa: false });
    expect(auth.settings.production).toBe(false);
  });

  test('a production preset refuses a federated provider without MFA, whatever its name', () => {
    const props = { preset: PRODEU, identityProviders: [hospital(false)], callbackUrls: ['https://app.clinic.example/cb'] };
    expect(() => build(props)).toThrow(/invalid identityProviders\[CentralHospital\]\.enforcesMfa false; allowed: true in a production preset/);
    expect(() => build({ ...props, allowProductionWithoutMfa: true })).not.toThrow();
  });

  test('production refuses synthetic data and USER_PASSWORD_AUTH', () => {
    expect(() => build({ preset: PRODEU.withOverrides({ dataClassification: DataClassification.SYNTHETIC }) }))
      .toThrow(/invalid preset\.dataClassification SYNTHETIC in a production preset; allowed: DataClassification\.PHI/);
    expect(() => build({ preset: PRODEU.withOverrides({ allowUserPasswordAuth: true }) }))
      .toThrow(/invalid preset\.allowUserPasswordAuth true in a production preset; allowed: false/);
  });

  test('the pool and app client carry the environment for the healthcare checks', () => {
    const template = Template.fromStack(build({ preset: PRODEU }).stack);
    const environment = { 'medflow:environment': { production: true, dataClassification: 'PHI' } };
    template.hasResource('AWS::Cognito::UserPool', { Metadata: Match.objectLike(environment) });
    template.hasResource('AWS::Cognito::UserPoolClient', { Metadata: Match.objectLike(environment) });
    const dev = Template.fromStack(build({ preset: EnvironmentPreset.dev() }).stack);
    dev.hasResource('AWS::Cognito::UserPool', { Metadata: Match.objectLike({ 'medflow:environment': { production: false, dataClassification: 'synthetic' } }) });
  });
});

describe('acknowledgements tell the truth', () => {
  const SYNTHETIC_OR_TESTING = /synthetic|test users|no patient data|for testing|test accounts|automated tests/i;

  test('prodeu without MFA, under the risk acceptance: COG2 and the healthcare MFA rule carry the acceptance, nothing claims synthetic data', () => {
    const { stack } = build({ preset: PRODEU, enableMfa: false, allowProductionWithoutMfa: true });
    const acknowledged = Acknowledgements.list(stack);
    const mfa = acknowledged.filter((a) => ['AwsSolutions-COG2', 'Medflow.Healthcare-CognitoProductionMfa'].includes(a.ruleId));
    expect(mfa.map((a) => a.ruleId).sort()).toEqual(['AwsSolutions-COG2', 'Medflow.Healthcare-CognitoProductionMfa']);
    for (const { reason } of mfa) {
      expect(reason).toMatch(/production environment prodeu .*allowProductionWithoutMfa: true, accepting this risk/);
    }
    expect(acknowledged.filter((a) => SYNTHETIC_OR_TESTING.test(a.reason))).toEqual([]);
    // The pack sees the pool as production by its recorded environment, and the acceptance answers it.
    expect(new MedflowHealthcareChecks().validateScope(stack).violations).toEqual([]);
  });

  test('the healthcare pack decides production by the recorded environment before the name', () => {
    const stack = new Stack(new App(), 'Pools');
    const recorded = (id: string, userPoolName: string, production: boolean) => {
      const pool = new cognito.UserPool(stack, id, { userPoolName, mfa: cognito.Mfa.OFF });
      (pool.node.defaultChild as cognito.CfnUserPool).addMetadata('medflow:environment', { production, dataClassification: 'PHI' });
    };
    recorded('EuPool', 'clinic-eu-users', true);
    recorded('NamedProd', 'prod-sandbox-users', false);
    const mfaFindings = new MedflowHealthcareChecks().validateScope(stack).violations
      .filter((v) => v.ruleName === 'Medflow.Healthcare-CognitoProductionMfa')
      .flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    expect(mfaFindings).toEqual(['Pools/EuPool/Resource']);
  });

  test.each(PRESET_NAMES)('%s: reasons claim synthetic data only where the environment is classified synthetic', (name) => {
    const { stack, auth } = build({ preset: presetFor(name) });
    const claims = Acknowledgements.list(stack).filter((a) => /synthetic|no patient data/i.test(a.reason));
    if (auth.settings.dataClassification === DataClassification.SYNTHETIC) {
      expect(claims.length).toBeGreaterThan(0);
      expect(auth.settings.production).toBe(false);
    } else {
      expect(claims).toEqual([]);
    }
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTags: Match.objectLike({ DataClassification: auth.settings.dataClassification }),
    });
  });

  test('a non-production environment that holds PHI keeps its weaker choices as findings instead of a false reason', () => {
    const { stack } = build({ preset: EnvironmentPreset.dev().withOverrides({ dataClassification: DataClassification.PHI }) });
    expect(Acknowledgements.list(stack).filter((a) => /synthetic|no patient data/i.test(a.reason))).toEqual([]);
    const violations = new MedflowHealthcareChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(violations).toEqual(expect.arrayContaining([
      'Medflow.Healthcare-CognitoPasswordPolicy[MinimumLength]',
      'Medflow.Healthcare-CognitoDeletionProtection',
    ]));
  });
});

describe('one rotation for every client secret', () => {
  test('the federated client secret follows clientSecretRotationSchedule and clientSecretGracePeriod', () => {
    const { stack } = build({
      preset: EnvironmentPreset.prod(),
      email: TEST_EMAIL,
      identityProviders: [hospital(true)],
      callbackUrls: ['https://app.clinic.example/cb'],
      clientSecretRotationSchedule: Duration.days(7),
      clientSecretGracePeriod: Duration.hours(6),
    });
    const template = Template.fromStack(stack);
    const schedules = Object.values(template.findResources('AWS::SecretsManager::RotationSchedule'));
    expect(schedules).toHaveLength(2);
    for (const schedule of schedules) {
      expect(schedule.Properties.RotationRules.ScheduleExpression).toBe('rate(7 days)');
    }
    const graces = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.Environment?.Variables?.GRACE_PERIOD_SECONDS)
      .filter((grace) => grace !== undefined);
    expect(graces).toEqual(['21600', '21600']);
  });
});

describe('the resolved configuration', () => {
  test('settings in force are frozen', () => {
    const { auth } = build({ preset: EnvironmentPreset.staging(), email: TEST_EMAIL, passwordMinimumLength: 14 });
    expect(auth.settings.passwordMinimumLength).toBe(14);
    expect(Object.isFrozen(auth.settings)).toBe(true);
  });

  test.each([
    [{ authEventsDestination: 'KINESIS' }, /invalid authEventsDestination "KINESIS"; allowed: AuthEventsDestination\.CLOUDWATCH_LOGS or AuthEventsDestination\.S3/],
    [{ preset: EnvironmentPreset.prod().withOverrides({ dataClassification: 'public' as DataClassification }), email: TEST_EMAIL }, /invalid preset\.dataClassification "public"; allowed: one of DataClassification\.PHI, DataClassification\.SYNTHETIC/],
  ])('%j fails naming the prop and the allowed values', (props, message) => {
    expect(() => build({ preset: EnvironmentPreset.prod(), email: TEST_EMAIL, ...props } as MedflowCognitoProps)).toThrow(message);
  });
});
