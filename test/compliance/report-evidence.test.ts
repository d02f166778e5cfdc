/*
 * The compliance report as evidence: counts that agree everywhere, each reason once, resources by
 * logical ID, the HIPAA control table as cdk-nag documents it, a header with versions, the functions'
 * environment variables, and SARIF 2.1.0 that validates against the schema.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { FIXTURE_REASON, reportFixtureApp } from './report-fixture';
import { ComplianceReport, EnvironmentPreset, MedflowCognito, MedflowHealthcareChecks, RuleStatus } from '../../src';
import { CDK_NAG_HIPAA_SECURITY_CONTROLS, HIPAA_CONTROL_TITLES } from '../../src/compliance/hipaa-controls';
import { TEST_EMAIL } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');
const COMMITTED_MARKDOWN = fs.readFileSync(path.join(ROOT, 'compliance', 'REPORT.md'), 'utf8');
const COMMITTED_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'compliance', 'report.json'), 'utf8'));
const COMMITTED_SARIF = JSON.parse(fs.readFileSync(path.join(ROOT, 'compliance', 'report.sarif'), 'utf8'));
const REASON = FIXTURE_REASON;

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // The schema's language-tag pattern is not a valid Unicode-mode regular expression.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  return ajv.compile(schema);
}

/** The shared fixture pool, reported with AwsSolutions only. */
function fixtureReport(options: { date?: string; commit?: string } = {}): ComplianceReport {
  return ComplianceReport.check(reportFixtureApp().app, { packs: [new AwsSolutionsChecks()], ...options });
}

/** The Markdown table rows under the heading line that starts with `heading`, up to the next heading. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^##? /.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

/** The example app's stacks: an auth and a backend stack per preset, and the prod replica. */
const EXAMPLE_STACKS = 7;

describe('the committed report of the example app', () => {
  const summaryRows = COMMITTED_MARKDOWN.split('\n').filter((l) => /^\| Medflow\w+ \| [\w-]+ \| [\w.]+ \| \d+ \|/.test(l)).map(cells);
  const reasonSections = COMMITTED_MARKDOWN.split('\n### R').slice(1).map((text) => text.split('\n## ')[0]);

  // Each acknowledgement reason takes about seven lines and each stack a few rows per table.
  test('stays within about 80 lines per stack', () => {
    expect(COMMITTED_MARKDOWN.split('\n').length).toBeLessThanOrEqual(80 * EXAMPLE_STACKS);
  });

  test('the rule counts of each stack and pack add up', () => {
    expect(new Set(summaryRows.map((row) => row[0])).size).toBe(EXAMPLE_STACKS);
    expect(summaryRows.length).toBe(4 * EXAMPLE_STACKS);
    for (const [, , , evaluated, passed, acknowledged, failed] of summaryRows) {
      expect(Number(passed) + Number(acknowledged) + Number(failed)).toBe(Number(evaluated));
    }
  });

  test('the acknowledged findings in the summary, the totals and the rows under the reasons agree', () => {
    const summaryTotal = summaryRows.reduce((n, row) => n + Number(row[7]), 0);
    const stated = /Acknowledged findings: \*\*(\d+)\*\*, under (\d+) distinct reasons/.exec(COMMITTED_MARKDOWN)!;
    const heading = /## Acknowledgements by reason \((\d+) reasons, (\d+) findings\)/.exec(COMMITTED_MARKDOWN)!;
    expect(Number(stated[1])).toBe(summaryTotal);
    expect(Number(heading[2])).toBe(summaryTotal);
    expect(Number(stated[2])).toBe(reasonSections.length);
    expect(Number(heading[1])).toBe(reasonSections.length);

    // Each reason's "N findings" equals the findings its rows list: every rule of the reason on each
    // resource row, or the findings column when the rows differ.
    let listed = 0;
    const perStackPack = new Map<string, number>();
    for (const text of reasonSections) {
      const [title] = text.split('\n');
      const count = Number(/^\d+\. (\d+) findings?: /.exec(title)![1]);
      const rules = [...title.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      const lines = text.split('\n');
      const header = cells(lines.find((l) => l.startsWith('| stack |'))!);
      const rows = lines.filter((l) => /^\| Medflow\w+ \| `/.test(l)).map(cells);
      const findings = rows.flatMap((row) => (header.length === 4
        ? [...row[3].matchAll(/`([^`]+)`/g)].map((m) => ({ stack: row[0], finding: m[1] }))
        : rules.map((rule) => ({ stack: row[0], finding: rule }))));
      expect(findings.length).toBe(count);
      for (const f of findings) {
        const key = `${f.stack} ${f.finding.slice(0, f.finding.indexOf('-'))}`;
        perStackPack.set(key, (perStackPack.get(key) ?? 0) + 1);
      }
      listed += count;
    }
    expect(listed).toBe(summaryTotal);
    // And per stack and pack: the summary's count equals the rows listed for it.
    for (const [stack, , pack, , , , , acknowledgedFindings] of summaryRows) {
      expect([stack, pack, perStackPack.get(`${stack} ${pack}`) ?? 0]).toEqual([stack, pack, Number(acknowledgedFindings)]);
    }
  });

  test('no unacknowledged finding is hidden: the stated count equals the summary and the rows', () => {
    const stated = Number(/Unacknowledged findings: \*\*(\d+)\*\*/.exec(COMMITTED_MARKDOWN)![1]);
    expect(summaryRows.reduce((n, row) => n + Number(row[8]), 0)).toBe(stated);
    expect(stated).toBe(COMMITTED_JSON.unacknowledgedFindings);
    const failureRows = COMMITTED_MARKDOWN.includes('## Unacknowledged findings') ? section(COMMITTED_MARKDOWN, '## Unacknowledged findings').filter((l) => /^\| Medflow/.test(l)) : [];
    expect(failureRows.length).toBe(stated);
  });

  test('each reason appears once, and the JSON groups the same findings', () => {
    const quoted = COMMITTED_MARKDOWN.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2));
    expect(new Set(quoted).size).toBe(quoted.length);
    expect(quoted.length).toBe(COMMITTED_JSON.reasons.length);
    expect(COMMITTED_JSON.reasons.reduce((n: number, r: any) => n + r.findings.length, 0)).toBe(COMMITTED_JSON.acknowledgedFindings);
  });

  test('every resource is named by a logical ID that its template holds, and by its construct path', () => {
    const findings = COMMITTED_JSON.reasons.flatMap((r: any) => r.findings);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.logicalId).toMatch(/^[A-Za-z0-9]+$/);
      expect(f.resourcePath.startsWith(`${f.stackName}/`)).toBe(true);
      expect(COMMITTED_MARKDOWN).toContain(`| ${f.stackName} | \`${f.logicalId}\` | \`${f.resourcePath}\` |`);
    }
  });

  test('the header names the library, aws-cdk-lib and cdk-nag versions, the packs and a date', () => {
    const version = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
    expect(COMMITTED_MARKDOWN).toContain(`| aws-cdk-lib | ${version('aws-cdk-lib')} |`);
    expect(COMMITTED_MARKDOWN).toContain(`| cdk-nag | ${version('cdk-nag')} |`);
    expect(COMMITTED_MARKDOWN).toContain(`| packs | AwsSolutions ${version('cdk-nag')}, HIPAA.Security ${version('cdk-nag')}, NIST.800.53.R5 ${version('cdk-nag')}, Medflow.Healthcare `);
    expect(COMMITTED_MARKDOWN).toMatch(/\n\| date \| \d{4}-\d{2}-\d{2} \|\n/);
    expect(COMMITTED_JSON.header.library).toBe('@medflow/cognito-construct');
  });

  test('the control view shows, for each HIPAA control, the supporting rules and a status per stack', () => {
    const rows = section(COMMITTED_MARKDOWN, '## HIPAA Security Rule controls').filter((l) => /^\| 164\./.test(l)).map(cells);
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['164.312(b)', '164.312(d)', '164.308(a)(5)(ii)(D)', '164.312(a)(2)(iv)']));
    const audit = rows.find((r) => r[0] === '164.312(b)')!;
    expect(audit[1]).toBe('Audit controls');
    expect(audit[2]).toContain('`HIPAA.Security-LambdaConcurrency`');
    expect(audit[2]).toContain('`Medflow.Healthcare-CognitoUserPoolLogDelivery`');
    for (const row of rows) {
      expect(row.slice(3)).toHaveLength(EXAMPLE_STACKS);
      for (const status of row.slice(3)) expect(['passed', 'acknowledged', 'failed', '-']).toContain(status);
    }
  });

  test('says once what the functions keep in environment variables without a customer-managed key', () => {
    const rows = section(COMMITTED_MARKDOWN, '## Lambda environment variables');
    expect(rows.join('\n')).toContain('None is a secret');
    expect(COMMITTED_MARKDOWN.split('None is a secret').length).toBe(2);
    const roleScopes = rows.find((l) => l.startsWith('| `Auth/RoleScopes/Function/Resource` |'))!;
    expect(cells(roleScopes)[3]).toBe('library');
    expect(cells(roleScopes)[4]).toBe('`FEDERATED_ALLOW_LISTS`, `HEALTHCARE_ROLES`, `RESOURCE_SERVER_IDENTIFIER`, `ROLE_SCOPES`, `TENANT_CLAIM_NAMES`, `USER_HASH_KEY_ARN`');
    // Names only: no value of a variable appears.
    expect(COMMITTED_MARKDOWN).not.toContain('medflow/patients.read');
  });
});

describe('SARIF', () => {
  const validate = sarifValidator();

  test('the committed report.sarif is valid SARIF 2.1.0 and agrees with the report', () => {
    const valid = validate(COMMITTED_SARIF);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(COMMITTED_SARIF.version).toBe('2.1.0');
    const results = COMMITTED_SARIF.runs.flatMap((run: any) => run.results);
    expect(results.filter((r: any) => r.suppressions).length).toBe(COMMITTED_JSON.acknowledgedFindings);
    expect(results.filter((r: any) => !r.suppressions).length).toBe(COMMITTED_JSON.unacknowledgedFindings);
    expect(COMMITTED_SARIF.runs.map((run: any) => run.tool.driver.name)).toEqual(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'Medflow.Healthcare']);
  });

  test('unacknowledged findings are errors; acknowledged ones carry an inSource suppression with the reason', () => {
    const report = fixtureReport();
    const sarif = JSON.parse(report.toSarif());
    expect(validate(sarif)).toBe(true);
    const [run] = sarif.runs;
    const byRule = (id: string) => run.results.find((r: any) => r.ruleId === id);
    expect(byRule('AwsSolutions-COG8')).toEqual(expect.objectContaining({ level: 'error' }));
    expect(byRule('AwsSolutions-COG8').suppressions).toBeUndefined();
    expect(byRule('AwsSolutions-COG2').suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: REASON }]);
    expect(byRule('AwsSolutions-COG2').locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'Report.template.json', uriBaseId: 'CDK_OUT' } },
      logicalLocations: [{ name: 'PoolD3F588B8', fullyQualifiedName: 'Report/Pool/Resource', kind: 'resource' }],
    });
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });
});

describe('header options', () => {
  test('the date and commit are the given ones, and the commit is left out when not given', () => {
    const report = fixtureReport({ date: '2026-01-31', commit: 'abc1234' });
    expect(report.header).toEqual(expect.objectContaining({ date: '2026-01-31', commit: 'abc1234' }));
    expect(report.toMarkdown()).toContain('| commit | abc1234 |');
    expect(report.toMarkdown()).toContain('| date | 2026-01-31 |');
    expect(fixtureReport().header.commit).toBeUndefined();
    expect(fixtureReport().toMarkdown()).toContain('| commit | not recorded; see the commit holding this file |');
  });

  test('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => fixtureReport({ date: '31/01/2026' })).toThrow(/ComplianceReport: invalid date "31\/01\/2026"; allowed: a date written YYYY-MM-DD/);
  });
});

describe('HIPAA control table', () => {
  test('matches the control IDs each rule of the installed cdk-nag HIPAA Security pack documents', () => {
    const stack = new Stack(new App(), 'Rules');
    new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
    const pack = new HIPAASecurityChecks();
    const documented: Record<string, string[]> = {};
    (pack as any).applyRule = (params: any) => {
      // Section numbers such as 164.308(a)(4)(ii)(C), read from "(Control IDs: ...)" (one rule's text lacks the closing bracket).
      const listed = params.info.slice(params.info.indexOf('Control ID'));
      documented[params.ruleSuffixOverride ?? params.rule.name] = [...listed.matchAll(/164\.3\d\d(?:\([0-9a-zA-Z]+\))+/g)].map((m: RegExpMatchArray) => m[0]);
    };
    pack.validateScope(stack);
    expect(Object.keys(documented).length).toBeGreaterThan(80);
    expect(CDK_NAG_HIPAA_SECURITY_CONTROLS).toEqual(documented);
    for (const controls of Object.values(documented)) for (const c of controls) expect(HIPAA_CONTROL_TITLES[c]).toBeDefined();
  });

  test('places each Medflow.Healthcare rule under the control it declares, with a status per stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Dev', { env: { region: 'eu-west-1' } });
    new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.dev() });
    const report = ComplianceReport.check(app, { packs: [new MedflowHealthcareChecks()], date: '2026-01-31' });
    for (const rule of MedflowHealthcareChecks.describeRules()) {
      const evaluated = report.stacks[0].packs[0].rules.find((r) => r.ruleId === rule.ruleId);
      if (!evaluated) continue;
      const control = report.controls.find((c) => c.control === rule.hipaaControl)!;
      expect(control.ruleIds).toContain(rule.ruleId);
    }
    const password = report.controls.find((c) => c.control === '164.308(a)(5)(ii)(D)')!;
    expect(password.title).toBe('Password management');
    expect(password.stacks).toEqual([{ stackName: 'Dev', status: RuleStatus.ACKNOWLEDGED }]);
    // The library's functions are reported as such, with their variable names.
    const functions = report.stacks[0].functionEnvironments;
    expect(functions.length).toBeGreaterThan(0);
    expect(functions.every((f) => f.libraryFunction)).toBe(true);
  });
});

describe('what the report says of the library functions\' environment variables is true', () => {
  test.each(['dev', 'staging', 'prod'] as const)('in %s, no variable of a library function holds a secret or a reference to one', (preset) => {
    const app = new App();
    const stack = new Stack(app, `Env-${preset}`, { env: { region: 'eu-west-1' } });
    new MedflowCognito(stack, 'Auth', { preset: { dev: EnvironmentPreset.dev, staging: EnvironmentPreset.staging, prod: EnvironmentPreset.prod }[preset](), email: TEST_EMAIL });
    const report = ComplianceReport.check(app, { date: '2026-01-31' });
    const template = app.synth().getStackByName(stack.stackName).template;
    const functions = report.stacks[0].functionEnvironments;
    expect(functions.length).toBeGreaterThan(0);
    for (const f of functions) {
      expect(f.libraryFunction).toBe(true);
      const variables = template.Resources[f.logicalId].Properties.Environment.Variables;
      expect(Object.keys(variables).sort()).toEqual(f.variables);
      const text = JSON.stringify(variables);
      // No dynamic reference to Secrets Manager or SSM SecureString, no client secret attribute.
      expect(text).not.toMatch(/\{\{resolve:(secretsmanager|ssm-secure):/);
      expect(text).not.toMatch(/ClientSecret"\]/);
      for (const name of Object.keys(variables)) expect(name).not.toMatch(/SECRET(?!_ARN)|PASSWORD|TOKEN|PRIVATE_KEY/);
    }
  });
});
