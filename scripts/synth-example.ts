/*
 * Synthesizes the example app (dev, staging, prod) into cdk.out/, checks every stack with the AWS
 * Solutions, HIPAA Security, NIST 800-53 rev 5 and MedflowHealthcareChecks packs, writes each
 * stack's result as JSON next to its template plus the report (cdk.out/compliance-report.md,
 * .json and .sarif), and fails on any unacknowledged finding.
 *
 *   --report-dir <dir>   also write <dir>/REPORT.md, <dir>/report.json and <dir>/report.sarif (the committed report)
 *
 * The report's date and commit are chosen so that regenerating it from the same sources gives the
 * same file (CI checks that the committed report is current):
 * - date: COMPLIANCE_REPORT_DATE (YYYY-MM-DD) when set; otherwise the UTC date of the last commit
 *   that changed the report's inputs (src/, examples/, scripts/, package.json), or today when those
 *   inputs have uncommitted changes (the report then describes the commit about to be made);
 * - commit: COMPLIANCE_REPORT_COMMIT when set (a release pipeline stamping its evidence); otherwise
 *   none, since a report committed together with its sources cannot name the commit holding it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkApp, describeFailures } from './nag';
import { reportCommit, reportDate } from './report-date';
import { buildExampleApp } from '../examples/app';

const OUTDIR = path.resolve('cdk.out');

function reportDir(): string | undefined {
  const i = process.argv.indexOf('--report-dir');
  if (i < 0) return undefined;
  const dir = process.argv[i + 1];
  if (!dir || dir.startsWith('--')) throw new Error('synth-example: invalid --report-dir (missing); allowed: a directory such as compliance.');
  return path.resolve(dir);
}

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function main(): void {
  const committedDir = reportDir();
  fs.rmSync(OUTDIR, { recursive: true, force: true });
  const app = buildExampleApp(OUTDIR);
  app.synth();
  const report = checkApp(app, { date: reportDate(process.env, git), commit: reportCommit(process.env) });

  for (const stack of report.stacks) {
    fs.writeFileSync(path.join(OUTDIR, `${stack.stackName}.nag-findings.json`), JSON.stringify(stack, null, 2) + '\n');
  }
  const markdown = report.toMarkdown();
  const json = report.toJson();
  const sarif = report.toSarif();
  fs.writeFileSync(path.join(OUTDIR, 'compliance-report.md'), markdown);
  fs.writeFileSync(path.join(OUTDIR, 'compliance-report.json'), json);
  fs.writeFileSync(path.join(OUTDIR, 'compliance-report.sarif'), sarif);
  if (committedDir) {
    fs.mkdirSync(committedDir, { recursive: true });
    fs.writeFileSync(path.join(committedDir, 'REPORT.md'), markdown);
    fs.writeFileSync(path.join(committedDir, 'report.json'), json);
    fs.writeFileSync(path.join(committedDir, 'report.sarif'), sarif);
  }
  console.log(renderSummary(report));

  if (report.unacknowledgedFindings > 0) {
    for (const line of describeFailures(report)) console.error(line);
    console.error(`\n${report.unacknowledgedFindings} unacknowledged finding(s). Fix them, or acknowledge a deliberate choice with a specific reason.`);
    process.exit(1);
  }
  const written = [path.relative(process.cwd(), OUTDIR), ...(committedDir ? [path.relative(process.cwd(), committedDir)] : [])];
  console.log(`\nAll ${report.stacks.length} stacks pass every pack. Reports: ${written.map((d) => `${d}/`).join(', ')}`);
}

function renderSummary(report: ReturnType<typeof checkApp>): string {
  const header = `${'stack'.padEnd(20)} ${'pack'.padEnd(20)} ${'evaluated'.padStart(9)} ${'passed'.padStart(6)} ${'acknowledged'.padStart(12)} ${'failed'.padStart(6)}`;
  const rows = report.stacks.flatMap((s) => s.packs.map((p) =>
    `${s.stackName.padEnd(20)} ${p.pack.padEnd(20)} ${String(p.rulesEvaluated).padStart(9)} ${String(p.rulesPassed).padStart(6)} `
    + `${String(p.rulesAcknowledged).padStart(12)} ${String(p.rulesFailed).padStart(6)}`));
  return [header, ...rows].join('\n');
}

main();
