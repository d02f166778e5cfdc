/*
 * Restores a user export into a new or emptied user pool (docs/disaster-recovery.md).
 *
 *   npx projen restore:users -- --export ./export --dry-run [--out ./restore-plan]
 *   npx projen restore:users -- --export ./export --user-pool-id eu-west-3_AbC --import-role-arn arn:aws:iam::...:role/CognitoImport
 *
 * --export           a local copy of one export run (aws s3 sync s3://<bucket>/exports/<date>/<runId>/ ./export)
 * --signing-key      ARN of the deployment's manifest signing key (UserPoolBackup.manifestSigningKey); the
 *                    manifest's MAC is checked with KMS VerifyMac on it, also in a dry run (needs kms:VerifyMac)
 * --roles            the deployment's healthcare roles, comma-separated (default clinic_admin,physician,nurse,receptionist)
 * --clinical-roles   the roles that must carry a license and an NPI (default physician,nurse)
 * --dry-run          make no Cognito call: write the CSV, groups, assignments, quarantine, plan and a mapping template
 * --user-pool-id     the target pool (required without --dry-run)
 * --import-role-arn  role Cognito assumes to log the import job (required without --dry-run)
 * --username-source  email (default) or username: what goes into cognito:username
 * --mfa              ON, OFF or OPTIONAL: the target pool's MFA, for a dry run (a restore reads it)
 * --allow-non-empty  import into a pool that already has users
 * --region           AWS region of the target pool
 * --out              output directory (default ./restore-<runId>)
 *
 * Passwords and TOTP secrets are not in any export: restored users reset their password at first
 * sign-in and enrol MFA again. Each gets a new sub; sub-mapping.csv maps old to new.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { applyRestore } from './restore/apply';
import { awsRestorePort } from './restore/aws-port';
import { kmsMacVerifier } from './restore/kms-verifier';
import { ExportTrust, PoolMfa, UsernameSource, loadExport, planRestore, renderCsv, renderQuarantine, renderSummary, subMappingCsv } from './restore/plan';

export interface CliOptions {
  readonly exportDir: string;
  readonly outDir?: string;
  readonly dryRun: boolean;
  readonly userPoolId?: string;
  readonly importRoleArn?: string;
  readonly usernameSource: UsernameSource;
  readonly mfa: PoolMfa;
  readonly allowNonEmpty: boolean;
  readonly region?: string;
  /** The manifest signing key's ARN, given by the operator: the manifest's own keyId is never trusted. */
  readonly signingKeyArn: string;
  readonly roles?: string[];
  readonly clinicalRoles?: string[];
}

const USAGE = 'usage: restore:users -- --export <dir> --signing-key <kms key arn> (--dry-run | --user-pool-id <id> --import-role-arn <arn>) '
  + '[--roles a,b] [--clinical-roles a] [--username-source email|username] [--mfa ON|OFF|OPTIONAL] [--allow-non-empty] [--region <region>] [--out <dir>]';

export function parseArgs(argv: string[]): CliOptions {
  const flags = new Set(['--dry-run', '--allow-non-empty']);
  const values: Record<string, string> = {};
  const present = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (flags.has(arg)) { present.add(arg); continue; }
    if (!['--export', '--out', '--user-pool-id', '--import-role-arn', '--username-source', '--mfa', '--region', '--signing-key', '--roles', '--clinical-roles'].includes(arg)) {
      throw new Error(`Unknown argument "${arg}". ${USAGE}`);
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value. ${USAGE}`);
    values[arg] = value;
  }
  if (!values['--export']) throw new Error(`--export is required. ${USAGE}`);
  const signingKeyArn = values['--signing-key'];
  if (!signingKeyArn) throw new Error(`--signing-key is required: the restore verifies the export's signed manifest before anything else. ${USAGE}`);
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/.test(signingKeyArn)) {
    throw new Error(`--signing-key must be a KMS key or alias ARN (arn:aws:kms:<region>:<account>:key/<id>); got "${signingKeyArn.slice(0, 120)}".`);
  }
  const list = (name: string) => (values[name] === undefined ? undefined : values[name].split(',').map((v) => v.trim()).filter((v) => v !== ''));
  const isDryRun = present.has('--dry-run');
  if (!isDryRun && (!values['--user-pool-id'] || !values['--import-role-arn'])) {
    throw new Error(`--user-pool-id and --import-role-arn are required unless --dry-run is given. ${USAGE}`);
  }
  const usernameSource = (values['--username-source'] ?? 'email') as UsernameSource;
  if (!['email', 'username'].includes(usernameSource)) throw new Error(`--username-source must be email or username; got "${usernameSource}".`);
  const mfa = (values['--mfa'] ?? 'OPTIONAL').toUpperCase() as PoolMfa;
  if (!['ON', 'OFF', 'OPTIONAL'].includes(mfa)) throw new Error(`--mfa must be ON, OFF or OPTIONAL; got "${values['--mfa']}".`);
  return {
    exportDir: values['--export'],
    outDir: values['--out'],
    dryRun: isDryRun,
    userPoolId: values['--user-pool-id'],
    importRoleArn: values['--import-role-arn'],
    usernameSource,
    mfa,
    allowNonEmpty: present.has('--allow-non-empty'),
    region: values['--region'],
    signingKeyArn,
    roles: list('--roles'),
    clinicalRoles: list('--clinical-roles'),
  };
}

export function kmsTrust(options: CliOptions): ExportTrust {
  return { verifier: kmsMacVerifier(options.signingKeyArn, new KMSClient({ region: options.region })), keyDescription: options.signingKeyArn };
}

/**
 * Runs the dry run: verifies and reads the export (one KMS VerifyMac call), writes the plan files and the
 * same quarantine report a restore writes, and makes no Cognito call. Returns the output directory.
 */
export async function dryRun(options: CliOptions, trust: ExportTrust = kmsTrust(options)): Promise<string> {
  const loaded = await loadExport(options.exportDir, trust);
  const plan = planRestore(loaded, {
    mfa: options.mfa, usernameSource: options.usernameSource, roles: options.roles, clinicalRoles: options.clinicalRoles,
  });
  const outDir = options.outDir ?? `restore-${loaded.manifest.runId}`;
  writePlanFiles(outDir, plan, renderCsv(plan), subMappingCsv(plan), 'dry run');
  return outDir;
}

function writePlanFiles(outDir: string, plan: ReturnType<typeof planRestore>, csv: string, mapping: string, mode: 'dry run' | 'restore'): void {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'users.csv'), csv);
  fs.writeFileSync(path.join(outDir, 'quarantine.jsonl'), renderQuarantine(plan));
  fs.writeFileSync(path.join(outDir, 'groups.json'), JSON.stringify(plan.groups, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'group-assignments.jsonl'), plan.assignments.map((a) => JSON.stringify(a)).join('\n') + (plan.assignments.length ? '\n' : ''));
  fs.writeFileSync(path.join(outDir, mode === 'dry run' ? 'sub-mapping.template.csv' : 'sub-mapping.csv'), mapping);
  fs.writeFileSync(path.join(outDir, 'plan.md'), renderSummary(plan, mode));
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.dryRun) {
    const outDir = await dryRun(options);
    console.log(`Dry run: no Cognito call made. Plan written to ${outDir}/ (plan.md, users.csv, quarantine.jsonl, groups.json, group-assignments.jsonl, sub-mapping.template.csv).`);
    return;
  }
  const loaded = await loadExport(options.exportDir, kmsTrust(options));
  const result = await applyRestore(loaded, awsRestorePort(options.region), {
    roles: options.roles,
    clinicalRoles: options.clinicalRoles,
    userPoolId: options.userPoolId!,
    importRoleArn: options.importRoleArn!,
    usernameSource: options.usernameSource,
    allowNonEmpty: options.allowNonEmpty,
    log: (line) => console.log(line),
  });
  const outDir = options.outDir ?? `restore-${loaded.manifest.runId}`;
  writePlanFiles(outDir, result.plan, result.csv, result.mappingCsv, 'restore');
  console.log(`Restored ${result.mapped} users into ${options.userPoolId}; ${result.assignmentsDone} group assignments, ${result.disabled} disabled.`);
  if (result.plan.quarantined.length > 0) {
    console.error(`${result.plan.quarantined.length} users were quarantined for invalid healthcare attributes and not imported: see plan.md and ${path.join(outDir, 'quarantine.jsonl')}.`);
  }
  console.log(`Old-to-new sub mapping: ${path.join(outDir, 'sub-mapping.csv')}. Users reset their password at first sign-in.`);
  if (result.unmapped.length > 0) {
    console.error(`${result.unmapped.length} planned users were not found after the import (old subs listed in plan.md); check the import job's log.`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
