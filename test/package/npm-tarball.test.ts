/*
 * The npm tarball as `npm publish` would upload it: packed here with `npm pack`, then its file list and
 * size are checked. Needs the compiled lib/, the .jsii assembly and the bundled handlers in assets/, so
 * it runs in `package:js` (after bundle and compile), not in the unit test run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const MAX_PACKED_BYTES = 6 * 1024 * 1024;

interface Packed {
  readonly tarball: string;
  readonly files: string[];
}

function pack(): Packed {
  const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-pack-'));
  const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
    cwd: root,
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
  const tarball = path.join(destination, filename);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf-8' })
    .split('\n')
    .filter((line) => line.length > 0 && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''));
  return { tarball, files };
}

function handlerBundles(): string[] {
  return fs.readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf-8' })
    .filter((file) => file.endsWith('.lambda.ts'))
    .map((file) => path.posix.join('assets', file.split(path.sep).join('/').replace(/\.ts$/, ''), 'index.js'))
    .sort();
}

describe('npm tarball', () => {
  let packed: Packed;
  beforeAll(() => {
    for (const built of ['lib/index.js', '.jsii', 'assets']) {
      if (!fs.existsSync(path.join(root, built))) {
        throw new Error(`${built} is missing: run \`npx projen bundle\` and \`npx projen compile\` before the tarball test`);
      }
    }
    packed = pack();
  });
  afterAll(() => {
    if (packed) fs.rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
  });

  test('holds only lib/, the bundled handlers, .jsii, package.json, README, LICENSE and API.md', () => {
    const unexpected = packed.files.filter((file) =>
      !/^lib\/.+\.(js|d\.ts)$/.test(file)
      && !/^assets\/.+\/index\.js$/.test(file)
      && !['.jsii', 'package.json', 'README.md', 'LICENSE', 'API.md'].includes(file));
    expect(unexpected).toEqual([]);
  });

  test('holds nothing from tests, virtualenvs, examples, sources or scripts', () => {
    const forbidden = /(^|\/)(test|tests|\.venv[^/]*|venv|examples|integ|src|scripts|node_modules|cdk\.out|coverage)\//;
    expect(packed.files.filter((file) => forbidden.test(file))).toEqual([]);
    expect(packed.files.filter((file) => /\.test\.(js|d\.ts)$|\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
  });

  test('holds the entry point, the assembly, the docs and the licence', () => {
    expect(packed.files).toEqual(expect.arrayContaining(['package.json', 'lib/index.js', 'lib/index.d.ts', '.jsii', 'README.md', 'LICENSE', 'API.md']));
  });

  test('holds one bundled handler for every src/**/*.lambda.ts', () => {
    const bundles = handlerBundles();
    expect(bundles.length).toBeGreaterThan(0);
    expect(packed.files.filter((file) => file.startsWith('assets/')).sort()).toEqual(bundles);
  });

  test(`is at most ${MAX_PACKED_BYTES / 1024 / 1024} MB packed`, () => {
    const size = fs.statSync(packed.tarball).size;
    console.log(`npm tarball: ${packed.files.length} files, ${(size / 1024 / 1024).toFixed(2)} MB packed`);
    expect(size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
  });
});
