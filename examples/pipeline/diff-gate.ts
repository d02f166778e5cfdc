/*
 * Deployment gate on `cdk diff` output: fails when the diff against the deployed stack would
 * replace, destroy or orphan a user pool, its hosted UI domain or an identity pool. The replacement
 * guard compares each synthesis with the committed lock file; this gate compares with what is
 * actually deployed, so it also catches a lock file that drifted from the environment.
 *
 *   npx cdk diff --app pipeline.out/assembly-MedflowCognitoPipeline-Staging 2>&1 | tee diff.txt
 *   npx ts-node --project tsconfig.dev.json examples/pipeline/diff-gate.ts < diff.txt
 */
import * as fs from 'node:fs';

const GUARDED_TYPES = ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolDomain', 'AWS::Cognito::IdentityPool'];
// How `cdk diff` marks the impact after the logical ID; a "(OR move ...)" note may follow.
const DANGEROUS_IMPACT = /\s(may be replaced|replace|destroy|orphan)(?=\s|$)/;

export interface DiffFinding {
  /** The resource type. */
  readonly resourceType: string;
  /** The resource as the diff names it (construct path and logical ID). */
  readonly resource: string;
  /** `replace`, `may be replaced`, `destroy`, `orphan` or `remove`. */
  readonly impact: string;
}

/** The guarded resources that `cdk diff` output would replace, destroy or orphan. */
export function findDangerousChanges(diffOutput: string): DiffFinding[] {
  // eslint-disable-next-line no-control-regex
  const plain = diffOutput.replace(/\u001b\[[0-9;]*m/g, '');
  const findings: DiffFinding[] = [];
  for (const line of plain.split(/\r?\n/)) {
    const match = /^\[([-~+])\]\s+(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)\s+(.*)$/.exec(line.trim());
    if (!match || !GUARDED_TYPES.includes(match[2])) continue;
    const [, sign, resourceType, rest] = match;
    const impact = DANGEROUS_IMPACT.exec(rest);
    if (sign === '-' || impact) {
      findings.push({ resourceType, resource: (impact ? rest.slice(0, impact.index) : rest).trim(), impact: impact?.[1] ?? 'remove' });
    }
  }
  return findings;
}

function main(): void {
  const findings = findDangerousChanges(fs.readFileSync(0, 'utf8'));
  if (findings.length === 0) {
    console.log('diff gate: no user pool, domain or identity pool would be replaced or removed.');
    return;
  }
  for (const f of findings) console.error(`✗ ${f.resourceType} ${f.resource}: ${f.impact}`);
  console.error('diff gate: this deployment would replace or remove Cognito resources; every user and password in a replaced pool is lost. '
    + 'Stop here unless this is a planned migration (docs/deployment.md).');
  process.exit(1);
}

if (require.main === module) main();
