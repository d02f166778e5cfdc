/*
 * Fails when a doc comment in the compiled assembly (.jsii) carries a tag jsii does not know. jsii reads
 * any `@word` after whitespace as a tag, so a comment that mentions, for example, a context key starting
 * with `@medflow/` is cut off there and the rest becomes a stray custom tag: Python, Java and Go docs then
 * show half a sentence. Write such text after a backtick (`` `@medflow/...` ``) so it stays text.
 *
 * Run by the `rosetta` task after compile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Tags the project writes on purpose (jsii keeps every non-standard tag under `docs.custom`). */
const KNOWN_CUSTOM_TAGS = new Set(['jsii', 'internal', 'pattern', 'resource', 'attribute']);

const assembly = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '.jsii'), 'utf-8'));
const stray: string[] = [];

function visit(node: unknown, where: string): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => visit(child, `${where}[${(child as { name?: string })?.name ?? i}]`));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  const custom = (record.docs as { custom?: Record<string, string> } | undefined)?.custom ?? {};
  for (const [tag, text] of Object.entries(custom)) {
    if (!KNOWN_CUSTOM_TAGS.has(tag)) stray.push(`${where}: @${tag} ${JSON.stringify(text).slice(0, 100)}`);
  }
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'docs') visit(child, `${where}.${key}`);
  }
}

for (const [fqn, type] of Object.entries(assembly.types ?? {})) visit(type, fqn);
if (stray.length > 0) {
  console.error(`check-doc-tags: ${stray.length} doc comment(s) end at an unknown tag:`);
  for (const line of stray) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-doc-tags: no stray doc tags in ${Object.keys(assembly.types ?? {}).length} types`);
