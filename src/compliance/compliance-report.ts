import { CfnResource, IPolicyValidationPlugin, ITaggable, PolicyValidationPluginReport, Stack, Stage, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CDK_NAG_HIPAA_SECURITY_CONTROLS, HIPAA_CONTROL_TITLES, compareControls } from './hipaa-controls';
import { MedflowHealthcareChecks } from './medflow-healthcare-checks';
import { RULE_COMPLIANT, RULE_NON_COMPLIANT, RuleApplication, RuleVerdict } from './rule-application';
import { renderSarif } from './sarif';
import { readVersions } from './versions';
import { AcknowledgedRule, findAcknowledgement, listAcknowledgements } from '../internal/acknowledgements';
import { isLibraryFunction } from '../internal/library-function';
import { renderCfnResource } from '../internal/rendered-resource';

/** Options for `ComplianceReport.check`. */
export interface ComplianceReportOptions {
  /**
   * The packs to run on every stack: `MedflowHealthcareChecks` and any cdk-nag 3 pack, such as
   * `AwsSolutionsChecks`, `HIPAASecurityChecks` and `NIST80053R5Checks`.
   * @default - MedflowHealthcareChecks only
   */
  readonly packs?: IPolicyValidationPlugin[];
  /**
   * The Markdown report's title.
   * @default 'Compliance report'
   */
  readonly title?: string;
  /**
   * The commit the app was built from, shown in the header. Give it when you publish the report
   * as the evidence of a release.
   * @default - no commit in the report
   */
  readonly commit?: string;
  /**
   * The report's date, `YYYY-MM-DD`. A committed report should take a date that does not change
   * when it is regenerated from the same sources, such as the date of their last commit.
   * @default - today (UTC)
   */
  readonly date?: string;
}

/** A rule pack and its version. */
export interface PackVersion {
  /** The pack name, for example `HIPAA.Security`. */
  readonly pack: string;
  /** The version of the package that ships the pack, when known. */
  readonly version?: string;
}

/** What the report was produced from. */
export interface ReportHeader {
  /** This library's package name. */
  readonly library: string;
  /** This library's version. */
  readonly libraryVersion: string;
  /** The aws-cdk-lib version the app was synthesized with. */
  readonly awsCdkLibVersion: string;
  /** The cdk-nag version, when cdk-nag is installed. */
  readonly cdkNagVersion?: string;
  /** Every pack run, with its version. */
  readonly packs: PackVersion[];
  /** The commit, when given. */
  readonly commit?: string;
  /** The report's date, `YYYY-MM-DD`. */
  readonly date: string;
}

/** How a HIPAA Security Rule control fared on one stack. */
export interface ControlStackStatus {
  /** The stack name. */
  readonly stackName: string;
  /** The worst status of the control's rules evaluated on the stack; undefined when none of them applied. */
  readonly status?: RuleStatus;
}

/** A HIPAA Security Rule control and the evaluated rules that support it. */
export interface ControlResult {
  /** The 45 CFR section, for example `164.312(d)`. */
  readonly control: string;
  /** Its title, for example `Person or entity authentication`. */
  readonly title: string;
  /** The rules, from every pack, that support the control and applied to at least one stack, sorted. */
  readonly ruleIds: string[];
  /** The control's status per stack, in stack order. */
  readonly stacks: ControlStackStatus[];
}

/** One acknowledged finding under a reason. */
export interface ReasonFinding {
  /** The stack name. */
  readonly stackName: string;
  /** The finding ID. */
  readonly findingId: string;
  /** CloudFormation logical ID of the resource, as in the stack's template. */
  readonly logicalId: string;
  /** Construct path of the resource. */
  readonly resourcePath: string;
}

/** Every acknowledged finding that carries one reason. */
export interface ReasonGroup {
  /** The reason, as recorded. */
  readonly reason: string;
  /** The rules whose findings it acknowledges, sorted. */
  readonly ruleIds: string[];
  /** The findings, sorted by stack, resource and finding. */
  readonly findings: ReasonFinding[];
}

/** The environment variables of one Lambda function. */
export interface FunctionEnvironment {
  /** The stack name. */
  readonly stackName: string;
  /** CloudFormation logical ID of the function. */
  readonly logicalId: string;
  /** Construct path of the function's resource. */
  readonly resourcePath: string;
  /** The variable names, sorted (the values are not reported). */
  readonly variables: string[];
  /** The function sets a customer-managed key for its variables (`KmsKeyArn`). */
  readonly customerManagedKey: boolean;
  /** The function was built by this library, whose functions hold no secret in their variables. */
  readonly libraryFunction: boolean;
}

/** How a rule fared on one stack. */
export enum RuleStatus {
  /** Every resource the rule applies to complies. */
  PASSED = 'passed',
  /** Some resources fail the rule, and every such finding is acknowledged with a reason. */
  ACKNOWLEDGED = 'acknowledged',
  /** At least one finding is not acknowledged. */
  FAILED = 'failed',
}

/** One rule that applied to at least one resource of a stack. */
export interface RuleResult {
  /** The rule ID, for example `AwsSolutions-COG2`. */
  readonly ruleId: string;
  /** How the rule fared. */
  readonly status: RuleStatus;
  /** How many resources the rule applied to. */
  readonly resourcesChecked: number;
}

/** A finding that is acknowledged. */
export interface AcknowledgedFinding {
  /** The finding ID, for example `AwsSolutions-IAM5[Resource::*]`. */
  readonly findingId: string;
  /** Construct path of the resource the finding is on. */
  readonly resourcePath: string;
  /** CloudFormation logical ID of the resource, as in the stack's template. */
  readonly logicalId: string;
  /** Construct path the acknowledgement is recorded on (the resource or an ancestor). */
  readonly acknowledgedAt: string;
  /** The acknowledgement's reason. */
  readonly reason: string;
}

/** A finding that is not acknowledged. */
export interface UnacknowledgedFinding {
  /** The finding ID, for example `AwsSolutions-IAM5[Resource::*]`. */
  readonly findingId: string;
  /** Construct path of the resource the finding is on. */
  readonly resourcePath: string;
  /** CloudFormation logical ID of the resource, when the finding names one. */
  readonly logicalId?: string;
  /** The pack's description of the finding. */
  readonly description: string;
  /** `error` or `warning`. */
  readonly severity: string;
}

/** One pack's result on one stack. */
export interface PackResult {
  /** The pack name, for example `AwsSolutions`. */
  readonly pack: string;
  /** Rules that applied to at least one resource. */
  readonly rulesEvaluated: number;
  /** Evaluated rules every resource complies with. */
  readonly rulesPassed: number;
  /** Evaluated rules whose findings are all acknowledged. */
  readonly rulesAcknowledged: number;
  /** Evaluated rules with at least one unacknowledged finding. */
  readonly rulesFailed: number;
  /** Rules of the pack that applied to no resource of the stack. */
  readonly rulesNotApplicable: number;
  /** Every evaluated rule, sorted by ID. */
  readonly rules: RuleResult[];
  /** Acknowledged findings, sorted by finding and resource. */
  readonly acknowledged: AcknowledgedFinding[];
  /** Unacknowledged findings, sorted by finding and resource. */
  readonly failed: UnacknowledgedFinding[];
  /** Acknowledgements of this pack's rules recorded in the stack that matched no finding. */
  readonly unusedAcknowledgements: AcknowledgedRule[];
}

/** Every pack's result on one stack. */
export interface StackResult {
  /** The stack name. */
  readonly stackName: string;
  /** The stack's template file name in the cloud assembly, for example `MedflowAuthProd.template.json`. */
  readonly templateFile: string;
  /** The value of the `Environment` tag shared by the stack's tagged resources, when there is exactly one. */
  readonly environment?: string;
  /** CloudFormation resources in the stack, nested stacks included (AWS::CDK::Metadata excluded). */
  readonly resourceCount: number;
  /** One result per pack, in the order the packs were given. */
  readonly packs: PackResult[];
  /** The stack's Lambda functions that have environment variables. */
  readonly functionEnvironments: FunctionEnvironment[];
}

interface Invocation {
  readonly ruleId: string;
  /** The pack's one-line description of the rule. */
  readonly info: string;
  readonly node: CfnResource;
  /** Undefined when the rule did not apply; otherwise the finding IDs (empty when compliant). */
  readonly findings?: string[];
}

/**
 * Runs rule packs on every stack of an app and reports, per stack and pack, the rules evaluated,
 * passed, acknowledged and failed; per HIPAA Security Rule control, the rules that support it and
 * its status on each stack; and every acknowledgement once per reason, with the resources it covers
 * named by CloudFormation logical ID and construct path. Renders Markdown, JSON and SARIF 2.1.0,
 * with no file paths and no time of day, so a committed report shows exactly what changed.
 *
 * Works with `MedflowHealthcareChecks` and any cdk-nag 3 pack: it observes the rules a pack applies
 * through its `applyRule` method (cdk-nag's `NagPack.applyRule`). A plugin without one is refused,
 * because its rules could not be counted.
 *
 * Pass cdk-nag's packs (for example `new AwsSolutionsChecks()` and `new HIPAASecurityChecks()`)
 * next to `MedflowHealthcareChecks` when your app depends on cdk-nag 3.
 *
 * @example
 * const report = ComplianceReport.check(app, {
 *   packs: [new MedflowHealthcareChecks()],
 * });
 * const markdown = report.toMarkdown(); // for example, written to compliance/REPORT.md
 * const failed = report.unacknowledgedFindings > 0; // fail the pipeline when true
 * const sarif = report.toSarif(); // SARIF 2.1.0 for CI code scanning, for example compliance/report.sarif
 */
export class ComplianceReport {
  /**
   * Synthesizes the app `scope` belongs to (synthesis is cached, so an app you already synthesized
   * is not synthesized again), then runs `options.packs` on every top-level stack under `scope`.
   */
  public static check(scope: IConstruct, options: ComplianceReportOptions = {}): ComplianceReport {
    const packs = options.packs ?? [new MedflowHealthcareChecks()];
    if (packs.length === 0) throw new Error('ComplianceReport: invalid packs []; allowed: at least one rule pack, such as MedflowHealthcareChecks or a cdk-nag 3 pack.');
    if (options.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
      throw new Error(`ComplianceReport: invalid date "${options.date}"; allowed: a date written YYYY-MM-DD.`);
    }
    const observable = packs.map(observablePack);
    (Stage.isStage(scope) ? scope : Stage.of(scope))?.synth();
    const stacks = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nestedStackParent);
    if (stacks.length === 0) throw new Error(`ComplianceReport: no stack found under ${scope.node.path || 'the app'}.`);
    const versions = readVersions();
    const header: ReportHeader = {
      library: versions.library,
      libraryVersion: versions.libraryVersion,
      awsCdkLibVersion: versions.awsCdkLib,
      cdkNagVersion: versions.cdkNag,
      packs: observable.map((p) => ({
        pack: p.packName,
        version: p.packName === MedflowHealthcareChecks.PACK_NAME ? versions.libraryVersion : versions.cdkNag,
      })),
      commit: options.commit,
      date: options.date ?? new Date().toISOString().slice(0, 10),
    };
    const ruleInfo = new Map<string, string>();
    const results = stacks.map((stack) => checkStack(stack, observable, ruleInfo));
    return new ComplianceReport(options.title ?? 'Compliance report', header, results, observable, ruleInfo);
  }

  /** One result per stack, in construct-tree order. */
  public readonly stacks: StackResult[];
  /** The report's title. */
  public readonly title: string;
  /** Versions, packs, commit and date. */
  public readonly header: ReportHeader;
  /** Every HIPAA Security Rule control supported by an evaluated rule, in 45 CFR order. */
  public readonly controls: ControlResult[];
  /** Every acknowledged finding of every stack and pack, grouped by reason, in order of first appearance. */
  public readonly reasons: ReasonGroup[];
  private readonly healthcareRulesIncluded: boolean;
  private readonly ruleInfo: ReadonlyMap<string, string>;

  private constructor(title: string, header: ReportHeader, stacks: StackResult[], packs: ObservablePack[], ruleInfo: ReadonlyMap<string, string>) {
    this.title = title;
    this.ruleInfo = ruleInfo;
    this.header = header;
    this.stacks = stacks;
    this.healthcareRulesIncluded = packs.some((p) => p.packName === MedflowHealthcareChecks.PACK_NAME);
    this.controls = controlView(stacks);
    this.reasons = groupByReason(stacks);
  }

  /** Findings across every stack and pack that are not acknowledged. */
  public get unacknowledgedFindings(): number {
    return this.stacks.reduce((n, s) => n + s.packs.reduce((m, p) => m + p.failed.length, 0), 0);
  }

  /** Findings across every stack and pack that are acknowledged with a reason. */
  public get acknowledgedFindings(): number {
    return this.stacks.reduce((n, s) => n + s.packs.reduce((m, p) => m + p.acknowledged.length, 0), 0);
  }

  /** The report as JSON (stable key order, two-space indent, trailing newline). */
  public toJson(): string {
    const healthcareRules = this.healthcareRulesIncluded ? MedflowHealthcareChecks.describeRules() : undefined;
    return JSON.stringify({
      title: this.title,
      header: this.header,
      unacknowledgedFindings: this.unacknowledgedFindings,
      acknowledgedFindings: this.acknowledgedFindings,
      controls: this.controls,
      reasons: this.reasons,
      stacks: this.stacks,
      healthcareRules,
    }, null, 2) + '\n';
  }

  /**
   * The findings as a SARIF 2.1.0 log, one run per pack: unacknowledged findings are results of
   * level `error`; acknowledged ones are results with an `inSource` suppression whose justification
   * is the recorded reason. Each result names the stack's template and the resource's logical ID
   * and construct path.
   */
  public toSarif(): string {
    return renderSarif(this, this.ruleInfo);
  }

  /**
   * The report as Markdown: the header, a summary per stack and pack, the HIPAA Security Rule
   * controls, the unacknowledged findings, each acknowledgement reason once with what it covers,
   * the functions' environment variables and the rules evaluated.
   */
  public toMarkdown(): string {
    const h = this.header;
    const lines: string[] = [
      `# ${this.title}`,
      '',
      `| ${'library'} | ${h.library} ${h.libraryVersion} |`,
      '| --- | --- |',
      `| aws-cdk-lib | ${h.awsCdkLibVersion} |`,
      `| cdk-nag | ${h.cdkNagVersion ?? 'not installed'} |`,
      `| packs | ${h.packs.map((p) => `${p.pack}${p.version ? ` ${p.version}` : ''}`).join(', ')} |`,
      `| commit | ${h.commit ?? 'not recorded; see the commit holding this file'} |`,
      `| date | ${h.date} |`,
      '',
      'Each stack was checked by every pack. A rule is *evaluated* when it applies to at least one resource of the stack; it',
      '*passed* when every such resource complies, is *acknowledged* when every finding carries a recorded reason, and',
      '*failed* when any finding does not. A rule counts once however many resources it applies to; a *finding* is one rule',
      'on one resource.',
      '',
      '| stack | environment | pack | rules evaluated | passed | acknowledged | failed | acknowledged findings | unacknowledged findings |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...this.stacks.flatMap((s) => s.packs.map((p) =>
        `| ${s.stackName} | ${s.environment ?? '-'} | ${p.pack} | ${p.rulesEvaluated} | ${p.rulesPassed} | ${p.rulesAcknowledged} | ${p.rulesFailed} | ${p.acknowledged.length} | ${p.failed.length} |`)),
      '',
      `Acknowledged findings: **${this.acknowledgedFindings}**, under ${plural(this.reasons.length, 'distinct reason')}. Unacknowledged findings: **${this.unacknowledgedFindings}**.`,
      '',
    ];
    lines.push(...this.renderControls(), ...this.renderFailures(), ...this.renderReasons(), ...this.renderEnvironments(), ...this.renderRules());
    if (this.healthcareRulesIncluded) {
      lines.push(`## ${MedflowHealthcareChecks.PACK_NAME} rules`, '',
        '| rule | 45 CFR | control | checks |', '| --- | --- | --- | --- |',
        ...MedflowHealthcareChecks.describeRules().map((r) =>
          `| \`${r.ruleId}\` | ${r.hipaaControl} | ${r.hipaaControlTitle} | ${cell(r.info)} |`),
        '');
    }
    return lines.join('\n');
  }

  private renderControls(): string[] {
    if (this.controls.length === 0) return [];
    return [
      '## HIPAA Security Rule controls',
      '',
      'Each control of 45 CFR 164.3xx that an evaluated rule supports, the rules that support it (HIPAA.Security rules as',
      'cdk-nag documents them, Medflow.Healthcare rules as the pack declares them), and its status per stack: the worst',
      'status of those rules there, or `-` when none applied. AwsSolutions and NIST 800-53 rules are not mapped to HIPAA.',
      '',
      `| 45 CFR | control | rules | ${this.stacks.map((s) => s.stackName).join(' | ')} |`,
      `| --- | --- | --- | ${this.stacks.map(() => '---').join(' | ')} |`,
      ...this.controls.map((c) => `| ${c.control} | ${c.title} | ${c.ruleIds.map(shortRule).join(', ')} | ${c.stacks.map((s) => s.status ?? '-').join(' | ')} |`),
      '',
    ];
  }

  private renderFailures(): string[] {
    const failed = this.stacks.flatMap((s) => s.packs.flatMap((p) => p.failed.map((f) => ({ stack: s.stackName, ...f }))));
    if (failed.length === 0) return [];
    return [
      `## Unacknowledged findings (${failed.length})`,
      '',
      '| stack | finding | logical ID | construct path | description |',
      '| --- | --- | --- | --- | --- |',
      ...failed.map((f) => `| ${f.stack} | \`${f.findingId}\` | ${f.logicalId ? `\`${f.logicalId}\`` : '-'} | \`${f.resourcePath}\` | ${cell(f.description)} |`),
      '',
    ];
  }

  private renderReasons(): string[] {
    if (this.reasons.length === 0) return [];
    const lines = [
      `## Acknowledgements by reason (${plural(this.reasons.length, 'reason')}, ${plural(this.acknowledgedFindings, 'finding')})`,
      '',
      'Each reason once, with the findings it acknowledges. A resource is named by its logical ID in the stack\'s template',
      'and by its construct path.',
      '',
    ];
    this.reasons.forEach((group, i) => {
      lines.push(`### R${i + 1}. ${plural(group.findings.length, 'finding')}: ${group.ruleIds.map((r) => `\`${r}\``).join(', ')}`, `> ${cell(group.reason)}`, '');
      // One row per resource, with the rules it was acknowledged for when they are not all of the group's.
      const rows = new Map<string, { stack: string; logicalId: string; path: string; findings: string[] }>();
      for (const f of group.findings) {
        const key = `${f.stackName}\u0000${f.resourcePath}`;
        const row = rows.get(key) ?? { stack: f.stackName, logicalId: f.logicalId, path: f.resourcePath, findings: [] };
        row.findings.push(f.findingId);
        rows.set(key, row);
      }
      const uniform = [...rows.values()].every((r) => r.findings.length === group.ruleIds.length
        && group.ruleIds.every((id) => r.findings.some((f) => ruleOf(f) === id)));
      lines.push(uniform ? '| stack | logical ID | construct path |' : '| stack | logical ID | construct path | findings |',
        uniform ? '| --- | --- | --- |' : '| --- | --- | --- | --- |',
        ...[...rows.values()].map((r) => `| ${r.stack} | \`${r.logicalId}\` | \`${r.path}\` |${uniform ? '' : ` ${r.findings.map((f) => `\`${f}\``).join(', ')} |`}`),
        '');
    });
    return lines;
  }

  private renderEnvironments(): string[] {
    const functions = this.stacks.flatMap((s) => s.functionEnvironments.filter((f) => !f.customerManagedKey));
    if (functions.length === 0) return [];
    // One row per function path below its stack and set of variables, with the stacks it is in.
    const rows = new Map<string, { path: string; variables: string[]; library: boolean; stacks: string[]; logicalIds: Set<string> }>();
    for (const f of functions) {
      const path = f.resourcePath.split('/').slice(1).join('/');
      const key = `${path}\u0000${f.variables.join(',')}`;
      const row = rows.get(key) ?? { path, variables: f.variables, library: f.libraryFunction, stacks: [], logicalIds: new Set<string>() };
      row.stacks.push(f.stackName);
      row.logicalIds.add(f.logicalId);
      rows.set(key, row);
    }
    const library = functions.some((f) => f.libraryFunction);
    const others = functions.some((f) => !f.libraryFunction);
    return [
      '## Lambda environment variables',
      '',
      `${plural(functions.length, 'function')} keep environment variables without a customer-managed key (\`KmsKeyArn\`); Lambda encrypts them at`,
      'rest with an AWS managed key. Independent scanners flag this; the variables are listed by name so that it can be checked',
      'that none holds a secret.',
      ...(library ? ['', 'The functions built by this library hold only resource names, IDs and ARNs (user pool, app client, table, bucket, key,',
        'the Secrets Manager secret\'s ARN, never its value), numeric settings (attempt limits, durations, rates), the lockout',
        'failure mode, role names and the role-to-scope map. None is a secret; the backend reads the client secret from Secrets Manager.'] : []),
      ...(others ? ['', 'Functions marked *app* were not built by this library: their owners must confirm that their variables hold no secret.'] : []),
      '',
      '| function | logical ID | stacks | built by | variables |',
      '| --- | --- | --- | --- | --- |',
      ...[...rows.values()].map((r) => `| \`${r.path}\` | ${[...r.logicalIds].map((id) => `\`${id}\``).join(', ')} | ${r.stacks.join(', ')} | ${r.library ? 'library' : 'app'} | ${r.variables.map((v) => `\`${v}\``).join(', ')} |`),
      '',
    ];
  }

  private renderRules(): string[] {
    // One row per rule evaluated anywhere, one column per stack.
    const ids = [...new Set(this.stacks.flatMap((s) => s.packs.flatMap((p) => p.rules.map((r) => r.ruleId))))].sort(compare);
    if (ids.length === 0) return [];
    const statusOf = new Map<string, RuleResult>();
    for (const s of this.stacks) for (const p of s.packs) for (const r of p.rules) statusOf.set(`${s.stackName}\u0000${r.ruleId}`, r);
    // Rules of different packs with the same name and the same results on every stack share a row
    // (the HIPAA Security and NIST 800-53 packs share most of their rules).
    const rows = new Map<string, { ids: string[]; cells: string[] }>();
    for (const id of ids) {
      const cells = this.stacks.map((s) => {
        const r = statusOf.get(`${s.stackName}\u0000${id}`);
        return r ? `${r.status} (${r.resourcesChecked})` : '-';
      });
      const key = `${id.slice(id.indexOf('-') + 1)}\u0000${cells.join('|')}`;
      const row = rows.get(key) ?? { ids: [], cells };
      row.ids.push(id);
      rows.set(key, row);
    }
    return [
      '## Rules evaluated',
      '',
      'Per stack: the rule\'s status and, in brackets, how many resources it applied to; `-` when it applied to none. Rules of',
      'different packs with the same name and the same results share a row.',
      '',
      '<details><summary>Every rule evaluated on any stack</summary>',
      '',
      `| rule | ${this.stacks.map((s) => s.stackName).join(' | ')} |`,
      `| --- | ${this.stacks.map(() => '---').join(' | ')} |`,
      ...[...rows.values()].map((row) => `| ${row.ids.map((id) => `\`${id}\``).join(', ')} | ${row.cells.join(' | ')} |`),
      '',
      '</details>',
      '',
    ];
  }
}

/** The rule a finding belongs to: `AwsSolutions-IAM5[Resource::*]` belongs to `AwsSolutions-IAM5`. */
function ruleOf(findingId: string): string {
  const bracket = findingId.indexOf('[');
  return bracket < 0 ? findingId : findingId.slice(0, bracket);
}

/** A rule ID as Markdown code. */
function shortRule(ruleId: string): string {
  return `\`${ruleId}\``;
}

const STATUS_ORDER = [RuleStatus.PASSED, RuleStatus.ACKNOWLEDGED, RuleStatus.FAILED];

/** The HIPAA controls a rule supports, or none. */
function controlsOf(ruleId: string): string[] {
  const hipaa = /^HIPAA\.Security-(.+)$/.exec(ruleId);
  if (hipaa) return [...(CDK_NAG_HIPAA_SECURITY_CONTROLS[hipaa[1]] ?? [])];
  const healthcare = MedflowHealthcareChecks.describeRules().find((r) => r.ruleId === ruleId);
  return healthcare ? [healthcare.hipaaControl] : [];
}

function controlView(stacks: StackResult[]): ControlResult[] {
  const byControl = new Map<string, Set<string>>();
  for (const s of stacks) {
    for (const p of s.packs) {
      for (const r of p.rules) {
        for (const control of controlsOf(r.ruleId)) {
          const rules = byControl.get(control) ?? new Set<string>();
          rules.add(r.ruleId);
          byControl.set(control, rules);
        }
      }
    }
  }
  return [...byControl.keys()].sort(compareControls).map((control) => {
    const ruleIds = [...byControl.get(control)!].sort(compare);
    return {
      control,
      title: HIPAA_CONTROL_TITLES[control] ?? MedflowHealthcareChecks.describeRules().find((r) => r.hipaaControl === control)?.hipaaControlTitle ?? '',
      ruleIds,
      stacks: stacks.map((s) => {
        const statuses = s.packs.flatMap((p) => p.rules.filter((r) => ruleIds.includes(r.ruleId)).map((r) => r.status));
        const worst = statuses.reduce<RuleStatus | undefined>(
          (w, st) => (w === undefined || STATUS_ORDER.indexOf(st) > STATUS_ORDER.indexOf(w) ? st : w), undefined);
        return { stackName: s.stackName, status: worst };
      }),
    };
  });
}

function groupByReason(stacks: StackResult[]): ReasonGroup[] {
  const groups = new Map<string, { rules: Set<string>; findings: ReasonFinding[] }>();
  for (const s of stacks) {
    for (const p of s.packs) {
      for (const a of p.acknowledged) {
        const group = groups.get(a.reason) ?? { rules: new Set<string>(), findings: [] };
        group.rules.add(ruleOf(a.findingId));
        group.findings.push({ stackName: s.stackName, findingId: a.findingId, logicalId: a.logicalId, resourcePath: a.resourcePath });
        groups.set(a.reason, group);
      }
    }
  }
  const stackOrder = stacks.map((s) => s.stackName);
  return [...groups.entries()].map(([reason, g]) => ({
    reason,
    ruleIds: [...g.rules].sort(compare),
    findings: g.findings.sort((a, b) => stackOrder.indexOf(a.stackName) - stackOrder.indexOf(b.stackName)
      || compare(a.resourcePath, b.resourcePath) || compare(a.findingId, b.findingId)),
  }));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function checkStack(stack: Stack, packs: ObservablePack[], ruleInfo: Map<string, string>): StackResult {
  // AWS::CDK::Metadata depends on the toolchain's version reporting, not on the app.
  const resources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType !== 'AWS::CDK::Metadata');
  const environments = new Set<string>();
  for (const resource of resources) {
    const tags = TagManager.isTaggable(resource) ? (resource as ITaggable).tags.tagValues() : {};
    if (tags.Environment !== undefined) environments.add(tags.Environment);
  }
  return {
    stackName: stack.stackName,
    templateFile: stack.templateFile,
    environment: environments.size === 1 ? [...environments][0] : undefined,
    resourceCount: resources.length,
    packs: packs.map((pack) => checkPack(stack, pack, resources, ruleInfo)),
    functionEnvironments: functionEnvironments(stack, resources),
  };
}

function logicalIdOf(resource: CfnResource): string {
  return Stack.of(resource).resolve(resource.logicalId) as string;
}

function functionEnvironments(stack: Stack, resources: CfnResource[]): FunctionEnvironment[] {
  return resources.filter((r) => r.cfnResourceType === 'AWS::Lambda::Function').flatMap((resource) => {
    type FunctionProperties = { Environment?: { Variables?: Record<string, unknown> }; KmsKeyArn?: unknown };
    const properties = (renderCfnResource(resource)?.properties ?? {}) as FunctionProperties;
    const variables = Object.keys(properties.Environment?.Variables ?? {}).sort(compare);
    if (variables.length === 0) return [];
    return [{
      stackName: stack.stackName,
      logicalId: logicalIdOf(resource),
      resourcePath: resource.node.path,
      variables,
      customerManagedKey: properties.KmsKeyArn !== undefined,
      libraryFunction: isLibraryFunction(resource),
    }];
  });
}

function checkPack(stack: Stack, pack: ObservablePack, resources: CfnResource[], ruleInfo: Map<string, string>): PackResult {
  const invocations = observeRules(pack, () => pack.pack.validateScope(stack));
  const { report } = invocations;
  const packName = pack.packName;
  if (invocations.calls.length === 0 && stack.node.findAll().some((c) => CfnResource.isCfnResource(c))) {
    throw new Error(`ComplianceReport: pack ${packName} applied no rule through applyRule, so its rules cannot be counted.`);
  }
  const byPath = new Map(resources.map((r) => [r.node.path, r]));
  const open = new Set(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}\u0000${r.constructPath}`)));

  const rules = new Map<string, { resources: Set<string>; failed: boolean; acknowledged: boolean }>();
  const allRuleIds = new Set<string>();
  const acknowledged = new Map<string, AcknowledgedFinding>();
  const failed = new Map<string, UnacknowledgedFinding>();
  for (const call of invocations.calls) {
    allRuleIds.add(call.ruleId);
    if (!ruleInfo.has(call.ruleId)) ruleInfo.set(call.ruleId, call.info);
    if (call.findings === undefined) continue;
    const rule = rules.get(call.ruleId) ?? { resources: new Set<string>(), failed: false, acknowledged: false };
    rules.set(call.ruleId, rule);
    const path = call.node.node.path;
    rule.resources.add(path);
    for (const findingId of call.findings) {
      const key = `${findingId}\u0000${path}`;
      if (open.has(key)) {
        rule.failed = true;
        const violation = report.violations.find((v) => v.ruleName === findingId)!;
        failed.set(key, { findingId, resourcePath: path, logicalId: logicalIdOf(call.node), description: violation.description, severity: violation.severity ?? 'error' });
      } else {
        rule.acknowledged = true;
        const ack = findAcknowledgement(call.node, findingId);
        acknowledged.set(key, {
          findingId,
          resourcePath: path,
          logicalId: logicalIdOf(call.node),
          acknowledgedAt: ack?.constructPath ?? path,
          reason: ack?.reason ?? 'Acknowledged by a mechanism this report cannot read; no reason recorded.',
        });
      }
    }
  }
  // A violation the observer did not see (a pack bypassing applyRule for some rule) still fails.
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      const key = `${violation.ruleName}\u0000${resource.constructPath}`;
      if (!failed.has(key)) {
        const node = byPath.get(resource.constructPath ?? '');
        failed.set(key, {
          findingId: violation.ruleName,
          resourcePath: resource.constructPath ?? '',
          logicalId: node ? logicalIdOf(node) : undefined,
          description: violation.description,
          severity: violation.severity ?? 'error',
        });
      }
    }
  }

  const ruleResults: RuleResult[] = [...rules.entries()].map(([ruleId, r]) => ({
    ruleId,
    status: r.failed ? RuleStatus.FAILED : r.acknowledged ? RuleStatus.ACKNOWLEDGED : RuleStatus.PASSED,
    resourcesChecked: r.resources.size,
  })).sort((a, b) => compare(a.ruleId, b.ruleId));
  const usedAcks = new Set([...acknowledged.values()].map((a) => `${a.findingId}\u0000${a.acknowledgedAt}`));
  const unusedAcknowledgements = listAcknowledgements(stack)
    .filter((a) => a.id.startsWith(`${packName}-`) && !usedAcks.has(`${a.id}\u0000${a.path}`))
    .map((a) => ({ constructPath: a.path, ruleId: a.id, reason: a.reason }));

  return {
    pack: packName,
    rulesEvaluated: ruleResults.length,
    rulesPassed: ruleResults.filter((r) => r.status === RuleStatus.PASSED).length,
    rulesAcknowledged: ruleResults.filter((r) => r.status === RuleStatus.ACKNOWLEDGED).length,
    rulesFailed: ruleResults.filter((r) => r.status === RuleStatus.FAILED).length,
    rulesNotApplicable: [...allRuleIds].filter((id) => !rules.has(id)).length,
    rules: ruleResults,
    acknowledged: [...acknowledged.values()].sort((a, b) => compare(a.findingId, b.findingId) || compare(a.resourcePath, b.resourcePath)),
    failed: [...failed.values()].sort((a, b) => compare(a.findingId, b.findingId) || compare(a.resourcePath, b.resourcePath)),
    unusedAcknowledgements,
  };
}

/** The methods the report drives: cdk-nag 3 packs and MedflowHealthcareChecks have both. */
interface RulePack {
  validateScope(scope: IConstruct): PolicyValidationPluginReport;
  applyRule(application: RuleApplication): void;
}

/** A pack the report can observe, with the prefix of its finding IDs. */
interface ObservablePack {
  readonly packName: string;
  readonly pack: RulePack;
}

/** `plugin` as an `ObservablePack`, or a clear error naming what it lacks. */
function observablePack(plugin: IPolicyValidationPlugin): ObservablePack {
  const candidate = plugin as unknown as Record<string, unknown>;
  const missing = ['validateScope', 'applyRule'].filter((method) => typeof candidate[method] !== 'function');
  if (missing.length > 0) {
    throw new Error(`ComplianceReport: invalid pack ${plugin.name}: it has no ${missing.join(' or ')} method; `
      + 'allowed: MedflowHealthcareChecks or a cdk-nag 3 pack (NagPack).');
  }
  const readPackName = candidate.readPackName;
  const packName = typeof readPackName === 'string' && readPackName !== '' ? readPackName : plugin.name;
  return { packName, pack: plugin as unknown as RulePack };
}

/**
 * Runs `validate` while recording every rule `pack` applies: the pack's `applyRule` is wrapped on
 * this instance only, and restored afterwards.
 */
function observeRules<T>({ pack, packName }: ObservablePack, validate: () => T): { report: T; calls: Invocation[] } {
  const calls: Invocation[] = [];
  const hadOwn = Object.prototype.hasOwnProperty.call(pack, 'applyRule');
  const original = pack.applyRule;
  pack.applyRule = function observedApplyRule(this: unknown, params: RuleApplication): void {
    const suffix = params.ruleSuffixOverride ?? params.rule.name;
    const ruleId = `${packName}-${suffix}`;
    const observed: RuleApplication = {
      ruleSuffixOverride: suffix,
      info: params.info,
      explanation: params.explanation,
      level: params.level,
      node: params.node,
      rule: (node: CfnResource) => {
        let result: RuleVerdict;
        try {
          result = params.rule(node);
        } catch (error) {
          calls.push({ ruleId, info: params.info, node, findings: [ruleId] });
          throw error;
        }
        calls.push({ ruleId, info: params.info, node, findings: findingsOf(ruleId, result) });
        return result;
      },
    };
    original.call(this, observed);
  };
  try {
    return { report: validate(), calls };
  } finally {
    if (hadOwn) pack.applyRule = original;
    else delete (pack as { applyRule?: unknown }).applyRule;
  }
}

function findingsOf(ruleId: string, result: RuleVerdict): string[] | undefined {
  if (Array.isArray(result)) return result.map((finding) => `${ruleId}[${finding}]`);
  if (result === RULE_NON_COMPLIANT) return [ruleId];
  if (result === RULE_COMPLIANT) return [];
  return undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
