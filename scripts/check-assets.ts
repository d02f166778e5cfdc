/*
 * Refuses to package without the bundled Lambda handlers. Every `src/**\/<name>.lambda.ts` must have its
 * esbuild bundle at `assets/<same path>/<name>.lambda/index.js`, and every asset directory a construct
 * loads (`assets/...` in a generated `*-function.ts`) must exist. Without this, jsii-pacmak would build a
 * wheel, jar or Go module whose stacks fail at synth with "Cannot find asset".
 *
 * Run by every package:<language> task after `bundle`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

const required = new Set<string>();
for (const handler of filesUnder(path.join(root, 'src'), (name) => name.endsWith('.lambda.ts'))) {
  required.add(path.join('assets', path.relative('src', handler).replace(/\.ts$/, ''), 'index.js'));
}
for (const construct of filesUnder(path.join(root, 'src'), (name) => name.endsWith('-function.ts'))) {
  const source = fs.readFileSync(path.join(root, construct), 'utf-8');
  for (const match of source.matchAll(/['"](?:\.\.\/)+(assets\/[^'"]+)['"]/g)) {
    required.add(path.join(match[1], 'index.js'));
  }
}

if (required.size === 0) {
  console.error('check-assets: found no Lambda handler under src/; the search no longer matches the layout.');
  process.exit(1);
}
const missing = [...required].sort().filter((file) => {
  const full = path.join(root, file);
  return !fs.existsSync(full) || fs.statSync(full).size === 0;
});
if (missing.length > 0) {
  console.error(`check-assets: ${missing.length} bundled Lambda handler(s) missing; run \`npx projen bundle\`:`);
  for (const file of missing) console.error(`  ${file}`);
  process.exit(1);
}
console.log(`check-assets: all ${required.size} bundled Lambda handlers present in assets/`);
