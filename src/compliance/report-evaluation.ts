/*
 * How ComplianceReport evaluates an app: it runs each pack on each stack, observing the rules the
 * pack applies, and builds the per-stack results, the HIPAA control view and the reason groups.
 */
import { CfnResource, IPolicyValidationPlugin, ITaggable, PolicyValidationPluginReport, Stack, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CDK_NAG_HIPAA_SECURITY_CONTROLS, HIPAA_CONTROL_TITLES, compareControls } from './hipaa-controls';
import { MedflowHealthcareChecks } from './medflow-healthcare-checks';
import { AcknowledgedFinding, ControlResult, FunctionEnvironment, PackResult, ReasonFinding, ReasonGroup, RuleResult, RuleStatus, StackResult, UnacknowledgedFinding } from './report-types';
import { RULE_COMPLIANT, RULE_NON_COMPLIANT, RuleApplication, RuleVerdict } from './rule-application';
import { findAcknowledgement, listAcknowledgements } from '../internal/acknowledgements';
import { isLibraryFunction } from '../internal/library-function';
import { renderCfnResource } from '../internal/rendered-resource';

export interface Invocation {
  readonly ruleId: string;
  /** The pack's one-line description of the rule. */
  readonly info: string;
  readonly node: CfnResource;
  /** Undefined when the rule did not apply; otherwise the finding IDs (empty when compliant). */
  readonly findings?: string[];
}

/** The rule a finding belongs to: `AwsSolutions-IAM5[Resource::*]` belongs to `AwsSolutions-IAM5`. */
export function ruleOf(findingId: string): string {
  const bracket = findingId.indexOf('[');
  return bracket < 0 ? findingId : findingId.slice(0, bracket);
}

/** A rule ID as Markdown code. */
export const STATUS_ORDER = [RuleStatus.PASSED, RuleStatus.ACKNOWLEDGED, RuleStatus.FAILED];

/** The HIPAA controls a rule supports, or none. */
export function controlsOf(ruleId: string): string[] {
  const hipaa = /^HIPAA\.Security-(.+)$/.exec(ruleId);
  if (hipaa) return [...(CDK_NAG_HIPAA_SECURITY_CONTROLS[hipaa[1]] ?? [])];
  const healthcare = MedflowHealthcareChecks.describeRules().find((r) => r.ruleId === ruleId);
  return healthcare ? [healthcare.hipaaControl] : [];
}

export function controlView(stacks: StackResult[]): ControlResult[] {
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

export function groupByReason(stacks: StackResult[]): ReasonGroup[] {
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

export function checkStack(stack: Stack, packs: ObservablePack[], ruleInfo: Map<string, string>): StackResult {
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

export function logicalIdOf(resource: CfnResource): string {
  return Stack.of(resource).resolve(resource.logicalId) as string;
}

export function functionEnvironments(stack: Stack, resources: CfnResource[]): FunctionEnvironment[] {
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

export function checkPack(stack: Stack, pack: ObservablePack, resources: CfnResource[], ruleInfo: Map<string, string>): PackResult {
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
export interface RulePack {
  validateScope(scope: IConstruct): PolicyValidationPluginReport;
  applyRule(application: RuleApplication): void;
}

/** A pack the report can observe, with the prefix of its finding IDs. */
export interface ObservablePack {
  readonly packName: string;
  readonly pack: RulePack;
}

/** `plugin` as an `ObservablePack`, or a clear error naming what it lacks. */
export function observablePack(plugin: IPolicyValidationPlugin): ObservablePack {
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
export function observeRules<T>({ pack, packName }: ObservablePack, validate: () => T): { report: T; calls: Invocation[] } {
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

export function findingsOf(ruleId: string, result: RuleVerdict): string[] | undefined {
  if (Array.isArray(result)) return result.map((finding) => `${ruleId}[${finding}]`);
  if (result === RULE_NON_COMPLIANT) return [ruleId];
  if (result === RULE_COMPLIANT) return [];
  return undefined;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
