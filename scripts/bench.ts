/*
 * Benchmark: wall time to synthesize the example app (three MedflowCognito stacks) against a
 * bare app with the same three stacks each holding one default UserPool, measured in the same
 * run, alternating, after a warm-up. Prints medians and ratios; asserts nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkApp, compliancePacks } from './nag';
import { buildExampleApp, EXAMPLE_REGION } from '../examples/app';
import { MedflowHealthcareChecks } from '../src';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STACK_IDS = ['MedflowAuthDev', 'MedflowAuthStaging', 'MedflowAuthProd'];

function bareApp(outdir: string): App {
  const app = new App({ outdir });
  for (const id of STACK_IDS) {
    new cognito.UserPool(new Stack(app, id, { env: { region: EXAMPLE_REGION } }), 'UserPool');
  }
  return app;
}

function timed(action: () => void): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-bench-'));
  const outdir = (name: string, i: number) => path.join(scratch, `${name}-${i}`);
  const samples = { bare: [] as number[], example: [] as number[], nag: [] as number[], healthcare: [] as number[], report: [] as number[] };

  // Warm-up: module loading and JIT are paid once, outside the samples.
  bareApp(outdir('warm-bare', 0)).synth();
  buildExampleApp(outdir('warm-example', 0)).synth();

  let stackCount = 0;
  for (let i = 0; i < RUNS; i++) {
    samples.bare.push(timed(() => bareApp(outdir('bare', i)).synth()));
    let example: App | undefined;
    samples.example.push(timed(() => { example = buildExampleApp(outdir('example', i)); example.synth(); }));
    const stacks = example!.node.children.filter((c): c is Stack => Stack.isStack(c));
    stackCount = stacks.length;
    samples.nag.push(timed(() => stacks.forEach((s) => compliancePacks().forEach((p) => p.validateScope(s)))));
    samples.healthcare.push(timed(() => stacks.forEach((s) => new MedflowHealthcareChecks().validateScope(s))));
    samples.report.push(timed(() => checkApp(example!)));
  }
  fs.rmSync(scratch, { recursive: true, force: true });

  const bare = median(samples.bare);
  const example = median(samples.example);
  const nag = median(samples.nag);
  const healthcare = median(samples.healthcare);
  const report = median(samples.report);
  const rows: [string, string, string][] = [
    ['bare app synth (3 stacks x 1 default UserPool)', bare.toFixed(1), '1.00'],
    ['example app synth (3 MedflowCognito stacks + 3 backend stacks)', example.toFixed(1), (example / bare).toFixed(2)],
    [`nag packs on the example (${compliancePacks().length} packs x ${stackCount} stacks)`, nag.toFixed(1), (nag / bare).toFixed(2)],
    [`MedflowHealthcareChecks alone on the example (${stackCount} stacks)`, healthcare.toFixed(1), (healthcare / bare).toFixed(2)],
    ['ComplianceReport on the example (same packs, counting rules)', report.toFixed(1), (report / bare).toFixed(2)],
  ];
  console.log(`node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, median of ${RUNS} runs after one warm-up\n`);
  console.log('| measurement | median ms | ratio to bare |\n| --- | ---: | ---: |');
  for (const [name, ms, ratio] of rows) console.log(`| ${name} | ${ms} | ${ratio} |`);
}

main();
