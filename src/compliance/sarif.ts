/*
 * The compliance report's findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange
 * Format), for CI systems that show code-scanning results: one run per pack, one result per finding.
 * Unacknowledged findings are results of level "error". Acknowledged findings are results too, with
 * an "inSource" suppression (the acknowledgement is recorded in the app's code) whose justification
 * is the recorded reason, so that readers of the log hide them but can audit why.
 */
import type { ComplianceReport } from './compliance-report';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const CDK_NAG_URI = 'https://github.com/cdklabs/cdk-nag';
/** The base the template paths are relative to. */
export const SARIF_URI_BASE = 'CDK_OUT';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error';
  message: { text: string };
  locations: unknown[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource'; status: 'accepted'; justification: string }[];
  properties: { findingId: string; stack: string };
}

/** Renders `report` as a SARIF 2.1.0 log: two-space indent, trailing newline, no timestamps. */
export function renderSarif(report: ComplianceReport, ruleInfo: ReadonlyMap<string, string>): string {
  const packs = [...new Set(report.stacks.flatMap((s) => s.packs.map((p) => p.pack)))];
  const runs = packs.map((pack) => {
    const packResults = report.stacks.flatMap((stack) => stack.packs.filter((p) => p.pack === pack).map((p) => ({ stack, p })));
    const ruleIds = [...new Set(packResults.flatMap(({ p }) => [
      ...p.rules.map((r) => r.ruleId),
      ...p.failed.map((f) => ruleOf(f.findingId)),
    ]))].sort();
    const version = report.header.packs.find((h) => h.pack === pack)?.version;
    const results: SarifResult[] = [];
    for (const { stack, p } of packResults) {
      const location = (logicalId: string | undefined, resourcePath: string) => ({
        physicalLocation: { artifactLocation: { uri: stack.templateFile, uriBaseId: SARIF_URI_BASE } },
        logicalLocations: [{ name: logicalId ?? resourcePath, fullyQualifiedName: resourcePath, kind: 'resource' }],
      });
      const result = (findingId: string, logicalId: string | undefined, resourcePath: string, text: string): SarifResult => ({
        ruleId: ruleOf(findingId),
        ruleIndex: ruleIds.indexOf(ruleOf(findingId)),
        level: 'error',
        message: { text: `${findingId} on ${logicalId ?? resourcePath} (${resourcePath}) in stack ${stack.stackName}: ${text}` },
        locations: [location(logicalId, resourcePath)],
        partialFingerprints: { 'medflowFinding/v1': `${stack.stackName}/${logicalId ?? resourcePath}/${findingId}` },
        properties: { findingId, stack: stack.stackName },
      });
      for (const f of p.failed) results.push(result(f.findingId, f.logicalId, f.resourcePath, f.description));
      for (const a of p.acknowledged) {
        results.push({
          ...result(a.findingId, a.logicalId, a.resourcePath, ruleInfo.get(ruleOf(a.findingId)) ?? 'The resource does not comply with the rule.'),
          suppressions: [{ kind: 'inSource', status: 'accepted', justification: a.reason }],
        });
      }
    }
    return {
      tool: {
        driver: {
          name: pack,
          ...(version ? { version } : {}),
          informationUri: pack === 'Medflow.Healthcare' ? 'https://github.com/medflow/cognito-construct/blob/main/docs/compliance.md' : CDK_NAG_URI,
          rules: ruleIds.map((id) => ({
            id,
            shortDescription: { text: ruleInfo.get(id) ?? id },
            ...(controlTags(report, id).length > 0 ? { properties: { tags: controlTags(report, id) } } : {}),
          })),
        },
      },
      originalUriBaseIds: {
        [SARIF_URI_BASE]: { description: { text: 'The cloud assembly directory (cdk.out) the stacks were synthesized into.' } },
      },
      results,
    };
  });
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs }, null, 2) + '\n';
}

function controlTags(report: ComplianceReport, ruleId: string): string[] {
  return report.controls.filter((c) => c.ruleIds.includes(ruleId)).map((c) => `HIPAA ${c.control}`);
}

function ruleOf(findingId: string): string {
  const bracket = findingId.indexOf('[');
  return bracket < 0 ? findingId : findingId.slice(0, bracket);
}
