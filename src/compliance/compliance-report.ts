import { CfnResource, IPolicyValidationPlugin, ITaggable, PolicyValidationPluginReport, Stack, Stage, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MedflowHealthcareChecks } from './medflow-healthcare-checks';
import { RULE_COMPLIANT, RULE_NON_COMPLIANT, RuleApplication, RuleVerdict } from './rule-application';
import { AcknowledgedRule, findAcknowledgement, listAcknowledgements } from '../internal/acknowledgements';

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
  /** The value of the `Environment` tag shared by the stack's tagged resources, when there is exactly one. */
  readonly environment?: string;
  /** CloudFormation resources in the stack, nested stacks included (AWS::CDK::Metadata excluded). */
  readonly resourceCount: number;
  /** One result per pack, in the order the packs were given. */
  readonly packs: PackResult[];
}

interface Invocation {
  readonly ruleId: string;
  readonly node: CfnResource;
  /** Undefined when the rule did not apply; otherwise the finding IDs (empty when compliant). */
  readonly findings?: string[];
}

/**
 * Runs rule packs on every stack of an app and counts, per stack and pack, the rules evaluated,
 * passed, acknowledged and failed, with each acknowledged finding's resource and reason. Renders
 * the result as Markdown or JSON without timestamps or file paths, so a committed report shows
 * exactly what changed.
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
 */
export class ComplianceReport {
  /**
   * Synthesizes the app `scope` belongs to (synthesis is cached, so an app you already synthesized
   * is not synthesized again), then runs `options.packs` on every top-level stack under `scope`.
   */
  public static check(scope: IConstruct, options: ComplianceReportOptions = {}): ComplianceReport {
    const packs = options.packs ?? [new MedflowHealthcareChecks()];
    if (packs.length === 0) throw new Error('ComplianceReport: invalid packs []; allowed: at least one rule pack, such as MedflowHealthcareChecks or a cdk-nag 3 pack.');
    const observable = packs.map(observablePack);
    (Stage.isStage(scope) ? scope : Stage.of(scope))?.synth();
    const stacks = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nestedStackParent);
    if (stacks.length === 0) throw new Error(`ComplianceReport: no stack found under ${scope.node.path || 'the app'}.`);
    return new ComplianceReport(options.title ?? 'Compliance report', stacks.map((stack) => checkStack(stack, observable)), observable);
  }

  /** One result per stack, in construct-tree order. */
  public readonly stacks: StackResult[];
  /** The report's title. */
  public readonly title: string;
  private readonly healthcareRulesIncluded: boolean;

  private constructor(title: string, stacks: StackResult[], packs: ObservablePack[]) {
    this.title = title;
    this.stacks = stacks;
    this.healthcareRulesIncluded = packs.some((p) => p.packName === MedflowHealthcareChecks.PACK_NAME);
  }

  /** Findings across every stack and pack that are not acknowledged. */
  public get unacknowledgedFindings(): number {
    return this.stacks.reduce((n, s) => n + s.packs.reduce((m, p) => m + p.failed.length, 0), 0);
  }

  /** The report as JSON (stable key order, two-space indent, trailing newline). */
  public toJson(): string {
    const healthcareRules = this.healthcareRulesIncluded ? MedflowHealthcareChecks.describeRules() : undefined;
    return JSON.stringify({ title: this.title, unacknowledgedFindings: this.unacknowledgedFindings, stacks: this.stacks, healthcareRules }, null, 2) + '\n';
  }

  /** The report as Markdown: a summary table, then per stack and pack the failed and acknowledged findings and the rules evaluated. */
  public toMarkdown(): string {
    const lines: string[] = [
      `# ${this.title}`,
      '',
      'Each stack was checked by every pack. A rule is *evaluated* when it applies to at least one resource of the stack; it',
      '*passed* when every such resource complies, is *acknowledged* when every finding carries a recorded reason, and',
      '*failed* when any finding does not.',
      '',
      '| stack | environment | pack | rules evaluated | passed | acknowledged | failed |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: |',
      ...this.stacks.flatMap((s) => s.packs.map((p) =>
        `| ${s.stackName} | ${s.environment ?? '-'} | ${p.pack} | ${p.rulesEvaluated} | ${p.rulesPassed} | ${p.rulesAcknowledged} | ${p.rulesFailed} |`)),
      '',
      `Unacknowledged findings: **${this.unacknowledgedFindings}**.`,
      '',
    ];
    for (const stack of this.stacks) {
      lines.push(`## ${stack.stackName}${stack.environment ? ` (${stack.environment})` : ''}`, '', `${plural(stack.resourceCount, 'CloudFormation resource')}.`, '');
      for (const pack of stack.packs) lines.push(...renderPack(pack));
    }
    if (this.healthcareRulesIncluded) {
      lines.push(`## ${MedflowHealthcareChecks.PACK_NAME}: HIPAA Security Rule controls`, '',
        '| rule | 45 CFR | control | checks |', '| --- | --- | --- | --- |',
        ...MedflowHealthcareChecks.describeRules().map((r) =>
          `| \`${r.ruleId}\` | ${r.hipaaControl} | ${r.hipaaControlTitle} | ${cell(r.info)} |`),
        '');
    }
    return lines.join('\n');
  }
}

function renderPack(pack: PackResult): string[] {
  const lines = [
    `### ${pack.pack}`,
    '',
    `${plural(pack.rulesEvaluated, 'rule')} evaluated: ${pack.rulesPassed} passed, ${pack.rulesAcknowledged} acknowledged, ${pack.rulesFailed} failed `
      + `(not applicable: ${plural(pack.rulesNotApplicable, 'other rule')} of the pack).`,
    '',
  ];
  if (pack.failed.length > 0) {
    lines.push('**Unacknowledged findings**', '', '| finding | resource | description |', '| --- | --- | --- |',
      ...pack.failed.map((f) => `| \`${f.findingId}\` | \`${f.resourcePath}\` | ${cell(f.description)} |`), '');
  }
  if (pack.acknowledged.length > 0) {
    lines.push('| acknowledged finding | resource | reason |', '| --- | --- | --- |',
      ...pack.acknowledged.map((a) => `| \`${a.findingId}\` | \`${a.resourcePath}\` | ${cell(a.reason)} |`), '');
  }
  if (pack.unusedAcknowledgements.length > 0) {
    lines.push('**Acknowledgements that matched no finding** (remove them):', '',
      ...pack.unusedAcknowledgements.map((a) => `- \`${a.ruleId}\` on \`${a.constructPath}\``), '');
  }
  if (pack.rules.length > 0) {
    lines.push('<details><summary>Rules evaluated</summary>', '', '| rule | resources | status |', '| --- | ---: | --- |',
      ...pack.rules.map((r) => `| \`${r.ruleId}\` | ${r.resourcesChecked} | ${r.status} |`), '', '</details>', '');
  }
  return lines;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function checkStack(stack: Stack, packs: ObservablePack[]): StackResult {
  // AWS::CDK::Metadata depends on the toolchain's version reporting, not on the app.
  const resources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType !== 'AWS::CDK::Metadata');
  const environments = new Set<string>();
  for (const resource of resources) {
    const tags = TagManager.isTaggable(resource) ? (resource as ITaggable).tags.tagValues() : {};
    if (tags.Environment !== undefined) environments.add(tags.Environment);
  }
  return {
    stackName: stack.stackName,
    environment: environments.size === 1 ? [...environments][0] : undefined,
    resourceCount: resources.length,
    packs: packs.map((pack) => checkPack(stack, pack)),
  };
}

function checkPack(stack: Stack, pack: ObservablePack): PackResult {
  const invocations = observeRules(pack, () => pack.pack.validateScope(stack));
  const { report } = invocations;
  const packName = pack.packName;
  if (invocations.calls.length === 0 && stack.node.findAll().some((c) => CfnResource.isCfnResource(c))) {
    throw new Error(`ComplianceReport: pack ${packName} applied no rule through applyRule, so its rules cannot be counted.`);
  }
  const open = new Set(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}\u0000${r.constructPath}`)));

  const rules = new Map<string, { resources: Set<string>; failed: boolean; acknowledged: boolean }>();
  const allRuleIds = new Set<string>();
  const acknowledged = new Map<string, AcknowledgedFinding>();
  const failed = new Map<string, UnacknowledgedFinding>();
  for (const call of invocations.calls) {
    allRuleIds.add(call.ruleId);
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
        failed.set(key, { findingId, resourcePath: path, description: violation.description, severity: violation.severity ?? 'error' });
      } else {
        rule.acknowledged = true;
        const ack = findAcknowledgement(call.node, findingId);
        acknowledged.set(key, {
          findingId,
          resourcePath: path,
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
        failed.set(key, { findingId: violation.ruleName, resourcePath: resource.constructPath ?? '', description: violation.description, severity: violation.severity ?? 'error' });
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
          calls.push({ ruleId, node, findings: [ruleId] });
          throw error;
        }
        calls.push({ ruleId, node, findings: findingsOf(ruleId, result) });
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
