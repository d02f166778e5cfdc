/*
 * Synthesizes the example app (dev, staging, prod) into cdk.out/, runs the AWS Solutions,
 * HIPAA Security and NIST 800-53 rev 5 packs on every stack, writes each stack's findings as
 * JSON next to its template plus a compliance report, and fails on any unacknowledged finding.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { StackResult, checkStack, unacknowledgedCount } from './nag';
import { buildExampleApp } from '../examples/app';

const OUTDIR = path.resolve(process.argv[2] ?? 'cdk.out');

function main(): void {
  fs.rmSync(OUTDIR, { recursive: true, force: true });
  const app = buildExampleApp(OUTDIR);
  const assembly = app.synth();
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));

  const results: StackResult[] = stacks.map((stack) => {
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const result = checkStack(stack, artifact.template);
    fs.writeFileSync(path.join(OUTDIR, `${stack.artifactId}.nag-findings.json`), JSON.stringify(result, null, 2) + '\n');
    return result;
  });

  fs.writeFileSync(path.join(OUTDIR, 'compliance-report.json'), JSON.stringify({ stacks: results }, null, 2) + '\n');
  fs.writeFileSync(path.join(OUTDIR, 'compliance-report.md'), renderMarkdown(results));
  console.log(renderSummary(results));

  const open = unacknowledgedCount(results);
  if (open > 0) {
    for (const s of results) {
      for (const p of s.packs) {
        for (const f of p.findings) console.error(`✗ ${s.stack} ${f.rule}: ${f.description} (${f.resources.join(', ')})`);
      }
    }
    console.error(`\n${open} unacknowledged finding(s). Fix them, or acknowledge a deliberate choice with a specific reason.`);
    process.exit(1);
  }
  console.log(`\nAll ${results.length} stacks pass every pack. Templates and reports: ${path.relative(process.cwd(), OUTDIR)}/`);
}

function renderSummary(results: StackResult[]): string {
  const rows = results.flatMap((s) => s.packs.map((p) =>
    `${s.stack.padEnd(20)} ${p.pack.padEnd(16)} ${String(p.findings.length).padStart(8)} ${String(p.acknowledged.length).padStart(12)}`));
  return [`${'stack'.padEnd(20)} ${'pack'.padEnd(16)} ${'findings'.padStart(8)} ${'acknowledged'.padStart(12)}`, ...rows].join('\n');
}

function renderMarkdown(results: StackResult[]): string {
  const lines = [
    '# Compliance report: example app',
    '',
    'Each stack was checked with `validateScope()` of every pack. A finding is a rule that failed and was not acknowledged;',
    'an acknowledgement is a deliberate, explained exception recorded on the narrowest construct.',
    '',
    '| stack | resources | pack | findings | acknowledged |',
    '| --- | ---: | --- | ---: | ---: |',
    ...results.flatMap((s) => s.packs.map((p) => `| ${s.stack} | ${s.resources} | ${p.pack} | ${p.findings.length} | ${p.acknowledged.length} |`)),
    '',
  ];
  for (const s of results) {
    lines.push(`## ${s.stack}`, '');
    for (const p of s.packs) {
      lines.push(`### ${p.pack}`, '');
      if (p.findings.length === 0) lines.push('No unacknowledged findings.', '');
      for (const f of p.findings) lines.push(`- **FAIL** \`${f.rule}\`: ${f.description} (${f.resources.join(', ')})`);
      if (p.acknowledged.length > 0) {
        lines.push('| acknowledged rule | construct | reason |', '| --- | --- | --- |');
        for (const a of p.acknowledged) lines.push(`| \`${a.rule}\` | \`${a.path}\` | ${a.reason.replace(/\|/g, '\\|')} |`);
        lines.push('');
      }
    }
  }
  return lines.join('\n');
}

main();
