/*
 * The packs the project checks itself with, and the compliance report over an app. aws-cdk-lib
 * 2.257 cannot hand the construct tree to validation plugins, so the packs run through
 * `validateScope()` (inside ComplianceReport) rather than being registered on the app.
 */
import { App, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ComplianceReport, MedflowHealthcareChecks } from '../src';

/** A pack that can check a construct tree directly, as cdk-nag 3 packs and MedflowHealthcareChecks can. */
export type ScopePack = IPolicyValidationPlugin & { validateScope(scope: IConstruct): PolicyValidationPluginReport };

export function compliancePacks(): ScopePack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new MedflowHealthcareChecks()];
}

/** Runs every pack on every stack of `app` (synthesizing it first if needed). */
export function checkApp(app: App, options: { readonly date?: string; readonly commit?: string } = {}): ComplianceReport {
  return ComplianceReport.check(app, { packs: compliancePacks(), title: 'Compliance report: example app', ...options });
}

/** One line per unacknowledged finding, for the console. */
export function describeFailures(report: ComplianceReport): string[] {
  return report.stacks.flatMap((s) => s.packs.flatMap((p) => p.failed.map((f) =>
    `✗ ${s.stackName} ${f.findingId}: ${f.description} (${f.resourcePath})`)));
}
