/*
 * Runs the cdk-nag packs on synthesized stacks through `validateScope()`. aws-cdk-lib 2.257 cannot
 * hand the construct tree to validation plugins, so the packs cannot be registered on the app.
 */
import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { listAcknowledgements } from '../src/compliance/acknowledgements';

export interface PackResult {
  readonly pack: string;
  readonly findings: { rule: string; severity: string; description: string; resources: string[] }[];
  readonly acknowledged: { rule: string; path: string; reason: string }[];
}

export interface StackResult {
  readonly stack: string;
  readonly resources: number;
  readonly packs: PackResult[];
}

export function compliancePacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()];
}

export function checkStack(stack: Stack, template: { Resources?: object }): StackResult {
  const acknowledgements = listAcknowledgements(stack);
  return {
    stack: stack.stackName,
    resources: Object.keys(template.Resources ?? {}).length,
    packs: compliancePacks().map((pack) => {
      const report = pack.validateScope(stack);
      return {
        pack: pack.readPackName,
        findings: report.violations.map((v) => ({
          rule: v.ruleName,
          severity: v.severity ?? 'error',
          description: v.description,
          resources: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? ''),
        })),
        acknowledged: acknowledgements
          .filter((a) => a.id.startsWith(`${pack.readPackName}-`))
          .map((a) => ({ rule: a.id, path: a.path, reason: a.reason })),
      };
    }),
  };
}

export function unacknowledgedCount(results: StackResult[]): number {
  return results.reduce((sum, s) => sum + s.packs.reduce((n, p) => n + p.findings.length, 0), 0);
}
