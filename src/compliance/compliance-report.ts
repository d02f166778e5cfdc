import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MedflowHealthcareChecks } from './medflow-healthcare-checks';
import { ObservablePack, checkStack, compare, controlView, groupByReason, observablePack, ruleOf } from './report-evaluation';
import { ComplianceReportOptions, ControlResult, ReasonGroup, ReportHeader, RuleResult, StackResult } from './report-types';
import { renderSarif } from './sarif';
import { readVersions } from './versions';

export { RuleStatus } from './report-types';
export type {
  AcknowledgedFinding, ComplianceReportOptions, ControlResult, ControlStackStatus, FunctionEnvironment, PackResult, PackVersion,
  ReasonFinding, ReasonGroup, ReportHeader, RuleResult, StackResult, UnacknowledgedFinding,
} from './report-types';

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

function shortRule(ruleId: string): string {
  return `\`${ruleId}\``;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
