// cdk-nag 3 in plugin mode, as a consumer on a newer aws-cdk-lib registers it: the AWS Solutions, HIPAA
// Security and NIST 800-53 rev 5 packs and the library's MedflowHealthcareChecks run as policy validation
// plugins of the app (`Validations.of(app).addPlugins`) when it synthesizes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations, aws_cognito as cognito } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { EmailSender, EnvironmentPreset, MedflowCognito, MedflowHealthcareChecks } from '@medflow/cognito-construct';
import { checkInstalledVersions } from './checks';

interface ValidationReport {
  readonly pluginReports: Array<{
    readonly summary: { readonly pluginName: string; readonly status: string; readonly metadata?: unknown };
    readonly violations: Array<{ readonly ruleName: string }>;
  }>;
}

/** The packs registered below; other plugins aws-cdk-lib adds itself (its CloudFormation checks) are reported, not judged. */
const PACKS = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', new MedflowHealthcareChecks().name];

function appWithPlugins(): App {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-plugins-')),
    // Also write the report in the JSON format aws-cdk-lib has written since plugins were introduced.
    context: { [cxapi.VALIDATION_REPORT_JSON_CONTEXT]: true },
  });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new MedflowHealthcareChecks(),
  );
  return app;
}

/**
 * Synthesizes the app and returns whether synthesis failed and the policy validation report aws-cdk-lib
 * writes next to the templates.
 */
function synthesizeWithReport(app: App): { failed: boolean; report: ValidationReport } {
  let failed = false;
  try {
    app.synth();
  } catch (error) {
    if (!/Validation failed/.test(String(error))) throw error;
    failed = true;
  }
  const reportFile = path.join(app.outdir, 'policy-validation-report.json');
  assert.ok(fs.existsSync(reportFile), `no policy validation report at ${reportFile}: the plugins did not run`);
  return { failed, report: JSON.parse(fs.readFileSync(reportFile, 'utf-8')) };
}

checkInstalledVersions();

// Control: the same plugins report a deliberately weak pool, so a clean report below means something.
const weakApp = appWithPlugins();
new cognito.UserPool(new Stack(weakApp, 'Weak'), 'Pool', { mfa: cognito.Mfa.OFF });
const weak = synthesizeWithReport(weakApp);
assert.ok(weak.failed || process.exitCode === 1, 'synthesis of the weak pool did not fail');
const weakRules = weak.report.pluginReports.flatMap((report) => report.violations.map((v) => v.ruleName));
assert.ok(weakRules.includes('AwsSolutions-COG2'), `cdk-nag did not report the weak pool: ${weakRules.join(', ')}`);
assert.ok(weakRules.includes('Medflow.Healthcare-CognitoDeletionProtection'),
  `MedflowHealthcareChecks did not report the weak pool: ${weakRules.join(', ')}`);
// aws-cdk-lib marks the process as failed when validation fails; that was the control's purpose.
process.exitCode = 0;
console.log(`plugins: the weak pool is reported (${new Set(weakRules).size} rules)`);

// The library's three presets synthesize clean under every pack.
const app = appWithPlugins();
for (const [name, preset] of [['Dev', EnvironmentPreset.dev()], ['Staging', EnvironmentPreset.staging()], ['Prod', EnvironmentPreset.prod()]] as const) {
  new MedflowCognito(new Stack(app, `MedflowAuth${name}`, { env: { region: 'eu-west-1' } }), 'Auth', { preset, email: EmailSender.ses({ fromAddress: 'no-reply@clinic.example' }) });
}
const { failed, report } = synthesizeWithReport(app);
const findings = report.pluginReports.map((r) => ({
  plugin: r.summary.pluginName,
  status: r.summary.status,
  metadata: r.summary.metadata,
  rules: [...new Set(r.violations.map((v) => v.ruleName))],
}));
for (const other of findings.filter((f) => !PACKS.includes(f.plugin))) {
  console.log(`plugins: aws-cdk-lib's own ${other.plugin} (${other.status}): ${other.rules.join(', ')}`);
}
assert.deepEqual(findings.filter((f) => PACKS.includes(f.plugin) || f.status !== 'success'), [],
  `the presets are not clean in plugin mode:\n${JSON.stringify(findings, null, 2)}`);
assert.equal(failed, false, 'synthesis failed');
assert.equal(process.exitCode ?? 0, 0);
console.log('plugins: dev, staging and prod synthesize clean under AwsSolutions, HIPAA Security, NIST 800-53 rev 5 and MedflowHealthcareChecks');
