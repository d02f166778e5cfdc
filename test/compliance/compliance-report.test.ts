import { App, CfnResource, IPolicyValidationPlugin, Stack, Tags, aws_cognito as cognito } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { reportFixtureApp, FIXTURE_REASON } from './report-fixture';
import { Acknowledgements, ComplianceReport, MedflowHealthcareChecks, RuleStatus } from '../../src';

const REASON = FIXTURE_REASON;
const fixtureApp = reportFixtureApp;

describe('ComplianceReport', () => {
  test('counts rules evaluated, passed, acknowledged and failed, with paths and reasons', () => {
    const report = ComplianceReport.check(fixtureApp().app, { packs: [new AwsSolutionsChecks()] });
    expect(report.stacks).toHaveLength(1);
    const pack = report.stacks[0].packs[0];
    expect(pack.pack).toBe('AwsSolutions');
    expect(pack.rules).toEqual([
      { ruleId: 'AwsSolutions-COG1', status: RuleStatus.PASSED, resourcesChecked: 1 },
      { ruleId: 'AwsSolutions-COG2', status: RuleStatus.ACKNOWLEDGED, resourcesChecked: 1 },
      { ruleId: 'AwsSolutions-COG8', status: RuleStatus.FAILED, resourcesChecked: 1 },
    ]);
    expect([pack.rulesEvaluated, pack.rulesPassed, pack.rulesAcknowledged, pack.rulesFailed]).toEqual([3, 1, 1, 1]);
    expect(pack.rulesNotApplicable).toBeGreaterThan(100);
    expect(pack.acknowledged).toEqual([{
      findingId: 'AwsSolutions-COG2', resourcePath: 'Report/Pool/Resource', logicalId: 'PoolD3F588B8', acknowledgedAt: 'Report/Pool', reason: REASON,
    }]);
    expect(pack.failed).toEqual([expect.objectContaining({ findingId: 'AwsSolutions-COG8', resourcePath: 'Report/Pool/Resource', logicalId: 'PoolD3F588B8', severity: 'error' })]);
    expect(report.unacknowledgedFindings).toBe(1);
  });

  test('lists an acknowledgement that matches no finding', () => {
    const { app, pool } = fixtureApp();
    Acknowledgements.add(pool, { id: 'AwsSolutions-COG1', reason: REASON });
    const pack = ComplianceReport.check(app, { packs: [new AwsSolutionsChecks()] }).stacks[0].packs[0];
    expect(pack.unusedAcknowledgements).toEqual([{ constructPath: 'Report/Pool', ruleId: 'AwsSolutions-COG1', reason: REASON }]);
  });

  test('groups granular findings under their rule and reads the stack environment from tags', () => {
    const app = new App();
    const stack = new Stack(app, 'Granular');
    new cognito.UserPool(stack, 'Pool', { userPoolName: 'prod-users' });
    Tags.of(stack).add('Environment', 'prod');
    const result = ComplianceReport.check(app, { packs: [new MedflowHealthcareChecks()] }).stacks[0];
    const lockout = result.packs[0].rules.find((r) => r.ruleId === 'Medflow.Healthcare-CognitoLockoutTriggers');
    expect(lockout).toEqual({ ruleId: 'Medflow.Healthcare-CognitoLockoutTriggers', status: RuleStatus.FAILED, resourcesChecked: 1 });
    expect(result.packs[0].failed.map((f) => f.findingId)).toEqual(expect.arrayContaining([
      'Medflow.Healthcare-CognitoLockoutTriggers[PostAuthentication]', 'Medflow.Healthcare-CognitoLockoutTriggers[PreAuthentication]',
    ]));
    expect(result.environment).toBe('prod');
    expect(ComplianceReport.check(fixtureApp().app).stacks[0].environment).toBeUndefined();
  });

  test('renders the same Markdown and JSON on every run, without timestamps or file paths', () => {
    const packs = () => [new AwsSolutionsChecks(), new MedflowHealthcareChecks()];
    const first = ComplianceReport.check(fixtureApp().app, { packs: packs() });
    const second = ComplianceReport.check(fixtureApp().app, { packs: packs() });
    expect(second.toMarkdown()).toBe(first.toMarkdown());
    expect(second.toJson()).toBe(first.toJson());
    for (const text of [first.toMarkdown(), first.toJson()]) {
      expect(text).not.toContain(process.cwd());
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
    expect(first.toMarkdown()).toMatch(/^# Compliance report\n/);
    expect(first.toMarkdown()).toContain('| Report | - | AwsSolutions | 3 | 1 | 1 | 1 | 1 | 1 |');
    expect(first.toMarkdown()).toContain(`### R1. 1 finding: \`AwsSolutions-COG2\`\n> ${REASON}\n\n| stack | logical ID | construct path |`);
    expect(first.toMarkdown()).toContain('| Report | `PoolD3F588B8` | `Report/Pool/Resource` |');
    expect(first.toMarkdown()).toContain('| Report | `AwsSolutions-COG8` | `PoolD3F588B8` | `Report/Pool/Resource` |');
    expect(first.toMarkdown()).toContain('| `Medflow.Healthcare-CognitoClientTokenValidity` | 164.312(a)(2)(iii) | Automatic logoff |');
    expect(JSON.parse(first.toJson()).unacknowledgedFindings).toBe(first.unacknowledgedFindings);
  });

  test('lists the email, user data key and risk configuration rules under their HIPAA controls where a production pool is checked', () => {
    const app = new App();
    const stack = new Stack(app, 'Controls');
    new cognito.UserPool(stack, 'Pool', { userPoolName: 'prod-users' });
    const report = ComplianceReport.check(app, { packs: [new MedflowHealthcareChecks()] });
    const controlOf = (ruleId: string) => report.controls.find((c) => c.ruleIds.includes(`Medflow.Healthcare-${ruleId}`));
    expect(controlOf('CognitoProductionEmailThroughSes')).toEqual(expect.objectContaining({
      control: '164.308(a)(1)(ii)(B)', title: 'Risk management', stacks: [{ stackName: 'Controls', status: RuleStatus.FAILED }],
    }));
    expect(controlOf('CognitoUserDataCustomerManagedKey')).toEqual(expect.objectContaining({ control: '164.312(a)(2)(iv)', title: 'Encryption and decryption' }));
    expect(controlOf('CognitoThreatProtectionBlocksRisk')).toEqual(expect.objectContaining({ control: '164.308(a)(5)(ii)(C)', title: 'Log-in monitoring' }));
    // The lockout rule already supports log-in monitoring; the risk rule joins it rather than replacing it.
    expect(controlOf('CognitoThreatProtectionBlocksRisk')!.ruleIds).toContain('Medflow.Healthcare-CognitoLockoutTriggers');
    const markdown = report.toMarkdown();
    expect(markdown).toContain('| `Medflow.Healthcare-CognitoProductionEmailThroughSes` | 164.308(a)(1)(ii)(B) | Risk management |');
    expect(markdown).toContain('| `Medflow.Healthcare-CognitoUserDataCustomerManagedKey` | 164.312(a)(2)(iv) | Encryption and decryption |');
    expect(markdown).toContain('| `Medflow.Healthcare-CognitoThreatProtectionBlocksRisk` | 164.308(a)(5)(ii)(C) | Log-in monitoring |');
  });

  test('leaves the packs as they were', () => {
    const pack = new AwsSolutionsChecks();
    ComplianceReport.check(fixtureApp().app, { packs: [pack] });
    expect(Object.prototype.hasOwnProperty.call(pack, 'applyRule')).toBe(false);
  });

  test('refuses a pack whose rules it cannot observe', () => {
    class Silent extends NagPack {
      public readonly name = 'Silent';
      constructor() { super(); this.packName = 'Silent'; }
      protected checkResource(_node: CfnResource): void { /* applies nothing */ }
    }
    expect(() => ComplianceReport.check(fixtureApp().app, { packs: [new Silent()] }))
      .toThrow(/ComplianceReport: pack Silent applied no rule through applyRule, so its rules cannot be counted/);
  });

  test('refuses an empty pack list and a scope without stacks', () => {
    expect(() => ComplianceReport.check(fixtureApp().app, { packs: [] })).toThrow(/invalid packs \[\]; allowed: at least one rule pack, such as MedflowHealthcareChecks or a cdk-nag 3 pack/);
    expect(() => ComplianceReport.check(new App())).toThrow(/ComplianceReport: no stack found/);
  });

  test('runs MedflowHealthcareChecks alone by default and counts its rules like a cdk-nag pack', () => {
    const report = ComplianceReport.check(fixtureApp().app);
    expect(report.stacks[0].packs.map((p) => p.pack)).toEqual([MedflowHealthcareChecks.PACK_NAME]);
    const healthcare = report.stacks[0].packs[0];
    expect(healthcare.rulesEvaluated).toBeGreaterThan(0);
    expect(healthcare.rules.find((r) => r.ruleId === `${MedflowHealthcareChecks.PACK_NAME}-CognitoPasswordPolicy`)?.status).toBe(RuleStatus.PASSED);
    expect(healthcare.rules.find((r) => r.ruleId === `${MedflowHealthcareChecks.PACK_NAME}-CognitoProductionMfa`)).toBeUndefined();
    expect(healthcare.failed.map((f) => f.findingId)).toContain(`${MedflowHealthcareChecks.PACK_NAME}-CognitoDeletionProtection`);
  });

  test('refuses a validation plugin whose rules it cannot observe, naming what it lacks', () => {
    const plugin: IPolicyValidationPlugin = { name: 'Opaque', validate: () => ({ success: true, violations: [] }) };
    expect(() => ComplianceReport.check(fixtureApp().app, { packs: [plugin] }))
      .toThrow(/ComplianceReport: invalid pack Opaque: it has no validateScope or applyRule method; allowed: MedflowHealthcareChecks or a cdk-nag 3 pack/);
  });
});
