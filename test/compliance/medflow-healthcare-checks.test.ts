import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations, aws_cognito as cognito, aws_cognito_identitypool as identitypool, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ComplianceReport, HealthcareAttributes, MedflowHealthcareChecks } from '../../src';
import { PRESET_NAMES, PresetName, synthesize } from '../helpers';
import { healthcareFindings } from './rules/fixtures';

const PACK = MedflowHealthcareChecks.PACK_NAME;

describe('MedflowHealthcareChecks on deliberately weak plain resources', () => {
  test('a default prod-named UserPool, its default client, a secret of its client secret and a guest identity pool fail every rule they can', () => {
    const findings = healthcareFindings((stack) => {
      const pool = new cognito.UserPool(stack, 'Pool', {
        userPoolName: 'prod-clinic-users',
        customAttributes: { user_role: new cognito.StringAttribute({ mutable: true }), clinic_id: new cognito.StringAttribute({ mutable: true }) },
      });
      const client = pool.addClient('Client', { generateSecret: true, authFlows: { userSrp: true, userPassword: true } });
      new secretsmanager.Secret(stack, 'ClientSecret', { secretStringValue: client.userPoolClientSecret });
      new identitypool.IdentityPool(stack, 'Identities', {
        allowUnauthenticatedIdentities: true,
        authenticationProviders: { userPools: [new identitypool.UserPoolAuthenticationProvider({ userPool: pool, userPoolClient: client })] },
        roleMappings: [{ mappingKey: 'clinicians', providerUrl: identitypool.IdentityPoolProviderUrl.userPool(pool, client), useToken: true, resolveAmbiguousRoles: true }],
      });
    });
    const pool = 'Fixture/Pool/Resource';
    const client = 'Fixture/Pool/Client/Resource';
    expect(findings).toEqual([
      `${PACK}-CognitoClientIdentityAttributesReadOnly[custom:clinic_id] @ ${client}`,
      `${PACK}-CognitoClientIdentityAttributesReadOnly[custom:user_role] @ ${client}`,
      `${PACK}-CognitoClientNoUserPasswordAuthInProduction @ ${client}`,
      `${PACK}-CognitoClientPreventUserExistenceErrors @ ${client}`,
      `${PACK}-CognitoClientSecretRotation @ Fixture/ClientSecret/Resource`,
      `${PACK}-CognitoDeletionProtection @ ${pool}`,
      `${PACK}-CognitoIdentityPoolAmbiguousRoleDeny @ Fixture/Identities/DefaultRoleAttachment/Resource`,
      `${PACK}-CognitoIdentityPoolNoGuestAccess @ Fixture/Identities/Resource`,
      `${PACK}-CognitoLockoutTriggers[PostAuthentication] @ ${pool}`,
      `${PACK}-CognitoLockoutTriggers[PreAuthentication] @ ${pool}`,
      `${PACK}-CognitoPasswordPolicy[MinimumLength] @ ${pool}`,
      `${PACK}-CognitoProductionEmailThroughSes @ ${pool}`,
      `${PACK}-CognitoProductionMfa @ ${pool}`,
      `${PACK}-CognitoThreatProtectionBlocksRisk[AdvancedSecurityMode] @ ${pool}`,
      `${PACK}-CognitoThreatProtectionBlocksRisk[RiskConfiguration] @ ${pool}`,
      `${PACK}-CognitoThreatProtectionEnforced @ ${pool}`,
      `${PACK}-CognitoUserDataCustomerManagedKey @ ${pool}`,
      `${PACK}-CognitoUserPoolLogDelivery @ ${pool}`,
    ]);
    // The only rule left is token validity, whose CloudFormation defaults comply.
    const failedRules = new Set(findings.map((f) => f.replace(/[[ ].*$/, '')));
    expect(MedflowHealthcareChecks.describeRules().map((r) => r.ruleId).filter((id) => !failedRules.has(id)))
      .toEqual([`${PACK}-CognitoClientTokenValidity`]);
  });
});

describe('MedflowHealthcareChecks on the presets', () => {
  /** Acknowledged Medflow findings per preset, as the compliance report lists them. */
  function acknowledged(preset: PresetName): string[] {
    const { stack } = synthesize(preset);
    const pack = ComplianceReport.check(stack, { packs: [new MedflowHealthcareChecks()] }).stacks[0].packs[0];
    expect(pack.failed).toEqual([]);
    return pack.acknowledged.map((a) => `${a.findingId.replace(`${PACK}-`, '')} @ ${a.resourcePath.replace(/^Test-\w+\/Auth\//, '')}`);
  }

  test.each(PRESET_NAMES)('%s: nothing unacknowledged through validateScope', (preset) => {
    const { stack } = synthesize(preset);
    expect(new MedflowHealthcareChecks().validateScope(stack).violations).toEqual([]);
  });

  test('prod passes every rule without a single acknowledgement', () => {
    expect(acknowledged('prod')).toEqual([]);
  });

  test('staging acknowledges only its audit-only threat protection', () => {
    expect(acknowledged('staging')).toEqual(['CognitoThreatProtectionEnforced @ UserPool/Resource']);
  });

  test('dev acknowledges only its short passwords, 8-hour tokens, Essentials plan and missing deletion protection', () => {
    expect(acknowledged('dev').sort()).toEqual([
      'CognitoClientTokenValidity[AccessToken] @ UserPool/AppClient/Resource',
      'CognitoClientTokenValidity[IdToken] @ UserPool/AppClient/Resource',
      'CognitoDeletionProtection @ UserPool/Resource',
      'CognitoPasswordPolicy[MinimumLength] @ UserPool/Resource',
      'CognitoThreatProtectionEnforced @ UserPool/Resource',
    ].sort());
  });

  test('a dev override that meets a rule removes its acknowledgement instead of leaving it unused', () => {
    expect(acknowledged('dev')).toHaveLength(5);
    const { stack } = synthesize('dev', { passwordMinimumLength: 12 });
    const report = ComplianceReport.check(stack, { packs: [new MedflowHealthcareChecks()] }).stacks[0].packs[0];
    expect(report.acknowledged.map((a) => a.findingId)).not.toContain(`${PACK}-CognitoPasswordPolicy[MinimumLength]`);
    expect(report.unusedAcknowledgements).toEqual([]);
    expect(report.failed).toEqual([]);
  });

  test('a weaker prod override is reported, never acknowledged by the library', () => {
    const weak = synthesize('prod', { passwordMinimumLength: 10 });
    expect(new MedflowHealthcareChecks().validateScope(weak.stack).violations.map((v) => v.ruleName))
      .toEqual([`${PACK}-CognitoPasswordPolicy[MinimumLength]`]);
  });
});

describe('MedflowHealthcareChecks rules', () => {
  const rules = MedflowHealthcareChecks.describeRules();

  test('each rule lives in its own file under src/compliance/rules/ and has a test file', () => {
    for (const rule of rules) {
      const name = rule.ruleId.replace(`${PACK}-`, '');
      expect(fs.existsSync(path.join(__dirname, '../../src/compliance/rules', `${name}.ts`))).toBe(true);
      expect(fs.existsSync(path.join(__dirname, 'rules', `${name}.test.ts`))).toBe(true);
    }
  });

  test('each rule states the HIPAA Security Rule control it supports, in its explanation too', () => {
    for (const rule of rules) {
      expect(rule.hipaaControl).toMatch(/^164\.3(08|10|12|14|16)\([a-z]\)(\(\d\))?(\((i|ii|iii|iv|v|vi)\))?(\([A-Z]\))?$/);
      expect(rule.hipaaControlTitle.length).toBeGreaterThan(5);
      expect(rule.explanation).toContain(`HIPAA ${rule.hipaaControl}`);
    }
    expect(rules.map((r) => r.ruleId)).toHaveLength(16);
  });

  test('findings carry the control in verbose mode', () => {
    const app = new App();
    const stack = new Stack(app, 'Verbose');
    new cognito.UserPool(stack, 'Pool');
    Template.fromStack(stack);
    const violation = new MedflowHealthcareChecks({ verbose: true }).validateScope(stack).violations
      .find((v) => v.ruleName === `${PACK}-CognitoDeletionProtection`);
    expect(violation?.description).toMatch(/Supports HIPAA Security Rule 164\.312\(c\)\(1\) \(Integrity\)\.$/);
  });
});

describe('MedflowHealthcareChecks props', () => {
  test('rejects an empty identity attribute list', () => {
    expect(() => new MedflowHealthcareChecks({ identityAttributes: [] }))
      .toThrow(/MedflowHealthcareChecks: invalid identityAttributes \[\]; allowed: at least one attribute name/);
  });

  test('rejects a malformed attribute name, naming it', () => {
    expect(() => new MedflowHealthcareChecks({ identityAttributes: ['custom:user role'] }))
      .toThrow(/MedflowHealthcareChecks: invalid identityAttributes "custom:user role"; allowed: attribute names such as custom:user_role/);
  });

  test('rejects an empty or malformed production environment name', () => {
    expect(() => new MedflowHealthcareChecks({ productionEnvironmentNames: [] })).toThrow(/invalid productionEnvironmentNames \[\]/);
    expect(() => new MedflowHealthcareChecks({ productionEnvironmentNames: ['pr-od'] }))
      .toThrow(/invalid productionEnvironmentNames "pr-od"; allowed: letters and digits/);
  });

  test('defaults are the five identity attributes of the design and prod/production', () => {
    expect([...MedflowHealthcareChecks.DEFAULT_IDENTITY_ATTRIBUTES].sort()).toEqual(
      ['custom:clinic_id', 'custom:license_state', 'custom:medical_license', 'custom:npi_number', 'custom:user_role']);
    // One source: the attribute definitions that the app clients' write lists come from.
    expect(MedflowHealthcareChecks.DEFAULT_IDENTITY_ATTRIBUTES).toEqual(HealthcareAttributes.identityAttributeNames());
    expect(MedflowHealthcareChecks.DEFAULT_PRODUCTION_ENVIRONMENT_NAMES).toEqual(['prod', 'production']);
  });
});

describe('MedflowHealthcareChecks as a policy validation plugin', () => {
  function weakPool(): { stack: Stack; pool: cognito.UserPool } {
    const stack = new Stack(new App(), 'Plugin');
    const pool = new cognito.UserPool(stack, 'Pool');
    return { stack, pool };
  }

  test('honours Validations.of(scope).acknowledge() on the resource or an ancestor, as cdk-nag 3 does', () => {
    const { stack, pool } = weakPool();
    const ruleNames = () => new MedflowHealthcareChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(ruleNames()).toContain(`${PACK}-CognitoDeletionProtection`);
    Validations.of(pool).acknowledge({ id: `${PACK}-CognitoDeletionProtection`, reason: 'The fixture pool is deleted with the test stack on purpose.' });
    expect(ruleNames()).not.toContain(`${PACK}-CognitoDeletionProtection`);
    expect(ruleNames()).toContain(`${PACK}-CognitoThreatProtectionEnforced`);
  });

  test('reports as a plugin: name, rule IDs, success flag and grouped resources', () => {
    const { stack } = weakPool();
    new cognito.UserPool(stack, 'Second');
    const checks = new MedflowHealthcareChecks();
    expect(checks.name).toBe(PACK);
    expect(checks.ruleIds).toContain(`${PACK}-CognitoLockoutTriggers`);
    const report = checks.validateScope(stack);
    expect(report.success).toBe(false);
    const deletion = report.violations.find((v) => v.ruleName === `${PACK}-CognitoDeletionProtection`)!;
    expect(deletion.violatingResources.map((r) => r.constructPath)).toEqual(['Plugin/Pool/Resource', 'Plugin/Second/Resource']);
    expect(deletion.severity).toBe('error');
  });

  test('validate() without a construct tree on the context says to call validateScope', () => {
    expect(() => new MedflowHealthcareChecks().validate({ templatePaths: [] }))
      .toThrow(/validation context has no construct tree \(appConstruct\); call validateScope\(app\) after synthesis instead/);
  });
});

