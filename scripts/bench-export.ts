/*
 * Benchmark of the user export against a stub pool of 1k, 10k and 100k users, on a simulated
 * clock: how many Cognito calls a run makes, how long it takes at the default 5 requests per
 * second, how many 15-minute invocations it needs, and how much real CPU time the exporter itself
 * and the stub spend together. Each simulated Cognito call takes LATENCY_MS. Prints a table;
 * asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_EXPORTER_OPTIONS, ExportCheckpoint, CognitoPort, newRun, runExport } from '../src/operations/backup/user-exporter';
import { FakeClock, MemoryStorage, StubCognito, makeUsers } from '../test/operations/export-stub';

const LATENCY_MS = Number(process.env.LATENCY_MS ?? 120);
const TIMEOUT_MS = 15 * 60 * 1000;
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);

async function bench(users: number) {
  const clock = new FakeClock();
  const stub = new StubCognito(makeUsers(users), clock);
  const slow: CognitoPort = {
    listUsers: async (input) => { await clock.sleep(LATENCY_MS); return stub.listUsers(input); },
    listGroups: async (input) => { await clock.sleep(LATENCY_MS); return stub.listGroups(input); },
    listUsersInGroup: async (input) => { await clock.sleep(LATENCY_MS); return stub.listUsersInGroup(input); },
  };
  const storage = new MemoryStorage();
  let start: ExportCheckpoint = newRun('eu-west-3_Bench', `bench-${users}`, new Date(clock.now()).toISOString());
  const began = clock.now();
  let invocationStart = clock.now();
  let cpu = 0;
  for (;;) {
    invocationStart = clock.now();
    const t0 = performance.now();
    const outcome = await runExport(start, {
      cognito: slow,
      storage,
      clock,
      remainingMs: () => TIMEOUT_MS - (clock.now() - invocationStart),
      continueWith: async () => undefined,
    }, DEFAULT_EXPORTER_OPTIONS);
    cpu += performance.now() - t0;
    if (outcome.status === 'complete') {
      const bytes = [...storage.objects.entries()].filter(([k]) => k.startsWith('exports/')).reduce((n, [, v]) => n + Buffer.byteLength(v), 0);
      return {
        users,
        memberships: outcome.manifest.counts.memberships,
        calls: stub.calls.length,
        minutes: (clock.now() - began) / 60_000,
        invocations: outcome.manifest.invocations,
        cpuMs: cpu,
        megabytes: bytes / 1_000_000,
        peakRps: peakRps(stub.calls.map((c) => c.at)),
      };
    }
    start = outcome.checkpoint;
  }
}

function peakRps(times: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function main(): Promise<void> {
  const rows = [];
  for (const size of SIZES) rows.push(await bench(size));
  const header = ['users', 'memberships', 'Cognito calls', 'peak calls/s', 'simulated minutes', 'invocations', 'CPU ms (exporter+stub)', 'export MB'];
  const lines = rows.map((r) => [
    r.users, r.memberships, r.calls, r.peakRps, r.minutes.toFixed(1), r.invocations, r.cpuMs.toFixed(0), r.megabytes.toFixed(1),
  ].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(`User export at ${DEFAULT_EXPORTER_OPTIONS.requestsPerSecond} requests per second, ${LATENCY_MS} ms simulated latency per call, 15-minute invocations`);
  console.log(fmt(header));
  for (const line of lines) console.log(fmt(line));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
