/*
 * Turns a user export (src/operations/backup/export-format.ts) into a Cognito user import CSV,
 * the groups to create, the group assignments and the users to disable afterwards. Pure
 * functions: no AWS call, so the dry run and the tests use exactly what the real restore uses.
 *
 * What a restore cannot bring back, and says so in its plan: passwords and TOTP secrets (Cognito
 * never exports them; imported users reset their password on first sign-in and enrol their
 * authenticator again) and the old `sub` (each imported user gets a new one; the restore writes
 * an old-to-new mapping).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EXPORT_SCHEMA_VERSION,
  ExportManifest,
  ExportedGroup,
  ExportedMembership,
  ExportedUser,
  MANIFEST_FILE,
  isExportManifest,
  isExportedGroup,
  isExportedMembership,
  isExportedUser,
  parseJsonLines,
} from '../../src/operations/backup/export-format';
import { MANIFEST_MAC_ALGORITHM, MacVerifier, manifestMacMessage, sha256Hex } from '../../src/operations/backup/export-integrity';
import { HealthcareAttributeValidator } from '../../src/user-pool/healthcare-attribute-validator';

export interface LoadedExport {
  readonly manifest: ExportManifest;
  readonly users: ExportedUser[];
  readonly groups: ExportedGroup[];
  readonly memberships: ExportedMembership[];
}

/** Standard attributes in the order GetCSVHeader returns them (Cognito developer guide). */
export const STANDARD_CSV_COLUMNS = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
  'website', 'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number',
  'phone_number_verified', 'address', 'updated_at',
];
export const MFA_COLUMN = 'cognito:mfa_enabled';
export const USERNAME_COLUMN = 'cognito:username';
/** Attributes Cognito assigns itself; an import must not carry them. */
const NOT_IMPORTABLE = new Set(['sub', 'identities']);
/** Cognito's limit on one CSV row. */
const MAX_ROW_LENGTH = 16_000;
/** Cognito's limit on rows in one import file. */
export const MAX_ROWS_PER_IMPORT = 500_000;

export type UsernameSource = 'email' | 'username';
export type PoolMfa = 'ON' | 'OFF' | 'OPTIONAL';

export interface PlanOptions {
  /** `email` (default) for pools where users sign in with their email address; `username` keeps the old usernames. */
  readonly usernameSource?: UsernameSource;
  /** The target pool's MFA configuration; `ON` makes cognito:mfa_enabled true for every user, as Cognito requires. */
  readonly mfa: PoolMfa;
  /** The target pool's CSV header from GetCSVHeader. Without it, the header is built from the export. */
  readonly csvHeader?: string[];
  /** Role names accepted in `custom:user_role`, as the deployment configures them. @default HealthcareAttributeValidator.defaultRoles() */
  readonly roles?: string[];
  /** Roles that must carry a license and an NPI. @default HealthcareAttributeValidator.defaultClinicalRoles() */
  readonly clinicalRoles?: string[];
}

export interface PlannedUser {
  readonly oldSub: string;
  readonly oldUsername: string;
  readonly importUsername: string;
  readonly email?: string;
}

export interface SkippedUser {
  readonly oldSub: string;
  readonly reason: string;
}

/** A user whose attributes fail the healthcare validation: not imported, kept whole in quarantine.jsonl. */
export interface QuarantinedUser {
  readonly oldSub: string;
  /** Attribute, code and message of each problem; never a value. */
  readonly problems: { readonly attribute: string; readonly code: string; readonly message: string }[];
  /** The exported record, unchanged, so that nothing is lost. */
  readonly user: ExportedUser;
  /** The user's group memberships, which are not assigned either. */
  readonly memberships: ExportedMembership[];
}

export interface PlannedAssignment {
  readonly group: string;
  readonly oldSub: string;
  readonly importUsername: string;
}

export interface RestorePlan {
  readonly sourceUserPoolId: string;
  readonly sourceRunId: string;
  readonly header: string[];
  readonly rows: string[][];
  readonly users: PlannedUser[];
  readonly skipped: SkippedUser[];
  /** Users refused by HealthcareAttributeValidator and the configured roles. */
  readonly quarantined: QuarantinedUser[];
  readonly groups: ExportedGroup[];
  readonly assignments: PlannedAssignment[];
  /** Users disabled in the source pool: imported, then disabled with AdminDisableUser. */
  readonly disable: PlannedUser[];
  readonly warnings: string[];
}

/** What the restore trusts: a verifier bound to the manifest signing key the operator names, never the key the manifest names. */
export interface ExportTrust {
  readonly verifier: MacVerifier;
  /** The trusted key, for messages (its ARN or alias). */
  readonly keyDescription: string;
}

/**
 * Reads a complete export from a local directory (for example one synced with `aws s3 sync`) and trusts
 * nothing in it until checked: the manifest's MAC must verify under the trusted key, and every file the
 * manifest lists must be present with the SHA-256 the manifest records, before any record is parsed.
 */
export async function loadExport(dir: string, trust: ExportTrust): Promise<LoadedExport> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${manifestPath} is missing: the export is incomplete (the exporter writes the manifest last). Restore from an earlier export.`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch {
    throw new Error(`${manifestPath} is not valid JSON; the export is damaged. Nothing was restored.`);
  }
  const version = (manifest as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== undefined && version !== EXPORT_SCHEMA_VERSION) {
    throw new Error(`${manifestPath} has schema version ${JSON.stringify(version)}; this restore accepts only version ${EXPORT_SCHEMA_VERSION}, `
      + 'whose manifests are signed and carry a digest of every file. Take a new export and restore from it.');
  }
  if (!isExportManifest(manifest)) {
    throw new Error(`${manifestPath} is not a version ${EXPORT_SCHEMA_VERSION} user export manifest (schemaVersion, userPoolId, files, counts, digests).`);
  }
  await verifySignature(manifest, manifestPath, trust);
  const listed = [...manifest.files.users, ...manifest.files.groups, ...manifest.files.memberships];
  const bodies = new Map<string, string>();
  for (const file of listed) {
    // The manifest is signed, but a file name is still checked before it is joined to a path.
    if (!/^(users|groups|memberships)-\d{5}\.jsonl$/.test(file)) {
      throw new Error(`${manifestPath} lists "${file.slice(0, 80)}", which is not an export file name (users-00001.jsonl and the like). Nothing was restored.`);
    }
    const filePath = path.join(dir, file);
    if (!fs.existsSync(filePath)) {
      throw new Error(`${file} is listed in the manifest but missing from ${dir}; copy the whole export run again. Nothing was restored.`);
    }
    const body = fs.readFileSync(filePath, 'utf8');
    const expected = Object.prototype.hasOwnProperty.call(manifest.digests, file) ? manifest.digests[file] : undefined;
    if (expected === undefined) {
      throw new Error(`${file} has no digest in the manifest, so it cannot be checked; the export is damaged. Nothing was restored.`);
    }
    if (sha256Hex(body) !== expected) {
      throw new Error(`${file} does not match its SHA-256 digest in the signed manifest: it was changed or damaged after the export. Nothing was restored.`);
    }
    bodies.set(file, body);
  }
  const read = <T>(files: string[], check: (v: unknown) => v is T, expected: string): T[] =>
    files.flatMap((file) => parseJsonLines(bodies.get(file)!, file, check, expected));
  const loaded: LoadedExport = {
    manifest,
    users: read(manifest.files.users, isExportedUser, 'an exported user'),
    groups: read(manifest.files.groups, isExportedGroup, 'an exported group'),
    memberships: read(manifest.files.memberships, isExportedMembership, 'an exported membership'),
  };
  const counted: [keyof LoadedExport & keyof ExportManifest['counts'], number][] = [
    ['users', loaded.users.length], ['groups', loaded.groups.length], ['memberships', loaded.memberships.length],
  ];
  for (const [kind, count] of counted) {
    if (manifest.counts[kind] !== count) {
      throw new Error(`The manifest counts ${manifest.counts[kind]} ${kind} but the files hold ${count}; the export is damaged.`);
    }
  }
  return loaded;
}

async function verifySignature(manifest: ExportManifest, manifestPath: string, trust: ExportTrust): Promise<void> {
  const signature = manifest.signature;
  if (!signature || typeof signature.mac !== 'string' || signature.mac === '') {
    throw new Error(`${manifestPath} is not signed; only exports signed by the export function can be restored. Nothing was restored.`);
  }
  if (signature.algorithm !== MANIFEST_MAC_ALGORITHM) {
    throw new Error(`${manifestPath} is signed with ${JSON.stringify(String(signature.algorithm).slice(0, 40))}; only ${MANIFEST_MAC_ALGORITHM} is accepted. Nothing was restored.`);
  }
  const valid = await trust.verifier.verifyMac(manifestMacMessage(manifest), Buffer.from(signature.mac, 'base64'));
  if (!valid) {
    throw new Error(`${manifestPath}: the signature does not verify with ${trust.keyDescription}; the manifest was changed, or it was not signed by this `
      + 'deployment\'s export function. Nothing was restored.');
  }
}

/** The header for an offline plan: standard columns, the custom attributes in the export, then Cognito's two. */
export function defaultHeader(users: ExportedUser[]): string[] {
  const custom = new Set<string>();
  for (const user of users) {
    for (const name of Object.keys(user.attributes)) if (name.startsWith('custom:')) custom.add(name);
  }
  return [...STANDARD_CSV_COLUMNS, ...[...custom].sort(), MFA_COLUMN, USERNAME_COLUMN];
}

/*
 * The user import CSV, as the Amazon Cognito Developer Guide describes it ("Creating the user import CSV
 * file", https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-csv-header.html,
 * section "Formatting the CSV file"): the first row is the header GetCSVHeader returns, each later row is one
 * user; attribute values that are strings are not put in quotation marks, and a comma inside a value is
 * escaped with a backslash before it (`\,`). Each row ends at a line break.
 *
 * The guide says nothing about a backslash of the value itself, so a value ending in one (`x\`) would merge
 * with the separator that follows (`x\,`) and shift the rest of the row by one cell. The backslash is the
 * escape character, so a literal backslash is written escaped too (`\\`); a double quote is an ordinary
 * character and is written as it is. A line break cannot be written at all: there is no quoting, and the row
 * would end there. Such users are skipped by the plan (recreate them with AdminCreateUser), and the writer
 * refuses the value rather than split a row.
 */

/** One value as Cognito's import CSV holds it: `\` and `,` backslash-escaped, never quoted. Throws on a line break. */
export function escapeCsvValue(value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new Error('A value contains a line break, which Cognito\'s user import CSV cannot hold (values are never quoted and a row ends at the line break).');
  }
  return value.replace(/[\\,]/g, (c) => `\\${c}`);
}

/** One CSV row: each value escaped, joined by the separating commas. */
export function csvLine(values: string[]): string {
  return values.map(escapeCsvValue).join(',');
}

/** Splits one CSV line into its cells, undoing the backslash escapes (a backslash before any character stands for that character). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      cell += line[++i];
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}

export function planRestore(loaded: LoadedExport, options: PlanOptions): RestorePlan {
  const usernameSource = options.usernameSource ?? 'email';
  const header = options.csvHeader ?? defaultHeader(loaded.users);
  for (const required of [USERNAME_COLUMN, MFA_COLUMN, 'email', 'email_verified']) {
    if (!header.includes(required)) throw new Error(`The CSV header has no ${required} column; use the target pool's GetCSVHeader.`);
  }
  const roles = options.roles ?? HealthcareAttributeValidator.defaultRoles();
  const clinicalRoles = options.clinicalRoles ?? HealthcareAttributeValidator.defaultClinicalRoles();
  const roleProblems = HealthcareAttributeValidator.validateRoleNames(roles);
  if (roleProblems.length > 0) throw new Error(`The configured roles are invalid: ${roleProblems.join(' ')}`);
  const unknownClinical = clinicalRoles.filter((role) => !roles.includes(role));
  if (unknownClinical.length > 0) {
    throw new Error(`The clinical roles ${unknownClinical.join(', ')} are not among the configured roles (${roles.join(', ')}).`);
  }
  const warnings: string[] = [];
  const quarantined: QuarantinedUser[] = [];
  const missingColumns = new Set<string>();
  const rows: string[][] = [];
  const users: PlannedUser[] = [];
  const skipped: SkippedUser[] = [];
  const byOldUsername = new Map<string, PlannedUser>();
  const seenImportUsernames = new Set<string>();

  for (const user of loaded.users) {
    const email = user.attributes.email;
    const skip = (reason: string) => skipped.push({ oldSub: user.sub, reason });
    // The export is signed, but what the source pool held is validated again: a value that slipped
    // past the triggers there must not become a role or a licence in the new pool.
    const problems = HealthcareAttributeValidator.validate(user.attributes, roles, clinicalRoles);
    if (problems.length > 0) {
      quarantined.push({
        oldSub: user.sub,
        problems: problems.map(({ attribute, code, message }) => ({ attribute, code, message })),
        user,
        memberships: loaded.memberships.filter((m) => m.username === user.username),
      });
      continue;
    }
    if (user.attributes.email_verified !== 'true' || !email) {
      // Cognito imports a user only with a verified auto-verified attribute (email here).
      skip('email not verified: Cognito imports only users with a verified email; recreate with AdminCreateUser');
      continue;
    }
    const importUsername = usernameSource === 'email' ? email.toLowerCase() : user.username;
    if (/\s/.test(importUsername)) { skip('username contains whitespace, which cognito:username cannot hold'); continue; }
    if (seenImportUsernames.has(importUsername)) { skip(usernameSource === 'email' ? 'duplicate email (compared case-insensitively)' : 'duplicate username'); continue; }

    const values: Record<string, string> = {};
    let unrepresentable = false;
    for (const [name, value] of Object.entries(user.attributes)) {
      if (NOT_IMPORTABLE.has(name)) continue;
      if (!header.includes(name)) { missingColumns.add(name); continue; }
      if (/[\r\n]/.test(value)) { unrepresentable = true; break; }
      values[name] = value;
    }
    if (unrepresentable) { skip('an attribute value contains a line break, which the import CSV cannot hold'); continue; }
    values[USERNAME_COLUMN] = importUsername;
    values[MFA_COLUMN] = options.mfa === 'ON' ? 'true' : 'false';
    const row = header.map((column) => escapeCsvValue(values[column] ?? ''));
    if (row.join(',').length > MAX_ROW_LENGTH) { skip(`the CSV row is longer than Cognito's ${MAX_ROW_LENGTH}-character limit`); continue; }

    seenImportUsernames.add(importUsername);
    rows.push(row);
    const planned: PlannedUser = { oldSub: user.sub, oldUsername: user.username, importUsername, email };
    users.push(planned);
    byOldUsername.set(user.username, planned);
  }

  if (missingColumns.size > 0) {
    warnings.push(`The target pool has no column for ${[...missingColumns].sort().join(', ')}; those values are not restored. Deploy the same attribute schema (custom attributes are append-only) before restoring.`);
  }
  if (rows.length > MAX_ROWS_PER_IMPORT) {
    warnings.push(`${rows.length} users exceed Cognito's ${MAX_ROWS_PER_IMPORT} rows per import file; split users.csv and run one import job per file.`);
  }
  if (options.mfa === 'ON') {
    warnings.push('The target pool requires MFA: every imported user sets up their authenticator app again at first sign-in, because TOTP secrets cannot be exported.');
  }

  const assignments: PlannedAssignment[] = [];
  for (const membership of loaded.memberships) {
    const planned = byOldUsername.get(membership.username);
    if (planned) assignments.push({ group: membership.group, oldSub: planned.oldSub, importUsername: planned.importUsername });
  }
  const disable = loaded.users.filter((u) => !u.enabled).map((u) => byOldUsername.get(u.username)).filter((u): u is PlannedUser => !!u);

  return {
    sourceUserPoolId: loaded.manifest.userPoolId,
    sourceRunId: loaded.manifest.runId,
    header,
    rows,
    users,
    skipped,
    quarantined,
    groups: loaded.groups,
    assignments,
    disable,
    warnings,
  };
}

/** quarantine.jsonl: one quarantined user per line, with its problems, record and memberships. */
export function renderQuarantine(plan: RestorePlan): string {
  return plan.quarantined.map((q) => JSON.stringify(q)).join('\n') + (plan.quarantined.length ? '\n' : '');
}

export function renderCsv(plan: RestorePlan): string {
  return [plan.header.join(','), ...plan.rows.map((row) => row.join(','))].join('\n') + '\n';
}

/** Reads a CSV written by `renderCsv` back into records, undoing the escaping. */
export function parseImportCsv(text: string): Record<string, string>[] {
  const [headerLine, ...lines] = text.split('\n').filter((line) => line !== '');
  const header = splitCsvLine(headerLine);
  return lines.map((line, index) => {
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) throw new Error(rowCountMessage(index + 1, cells.length, header.length));
    return Object.fromEntries(header.map((column, i) => [column, cells[i]]));
  });
}

/**
 * Checks, before upload, that every row of the import CSV has exactly as many cells as the header: a row
 * that does not would put values into the wrong attributes. The error names the row (1 is the first user)
 * and the counts, never a value.
 */
export function checkImportCsv(text: string): void {
  const [headerLine, ...lines] = text.split('\n').filter((line) => line !== '');
  if (headerLine === undefined) throw new Error('users.csv is empty; it must start with the header row.');
  const columns = splitCsvLine(headerLine).length;
  lines.forEach((line, index) => {
    const cells = splitCsvLine(line).length;
    if (cells !== columns) throw new Error(rowCountMessage(index + 1, cells, columns));
  });
}

function rowCountMessage(row: number, cells: number, columns: number): string {
  return `users.csv row ${row} has ${cells} cells but the header has ${columns}; nothing was uploaded.`;
}

/** old_sub,new_sub,email,old_username,new_username for every planned user; new_sub is empty until the import ran. */
export function subMappingCsv(plan: RestorePlan, newUsers: Map<string, { username: string; sub: string }> = new Map()): string {
  const lines = ['old_sub,new_sub,email,old_username,new_username'];
  for (const user of plan.users) {
    const found = newUsers.get(mappingKey(user));
    lines.push([user.oldSub, found?.sub ?? '', user.email ?? '', user.oldUsername, found?.username ?? ''].map(escapeCsvValue).join(','));
  }
  return lines.join('\n') + '\n';
}

/** How a planned user is found again in the target pool: by email, which is unique there. */
export function mappingKey(user: { email?: string; importUsername: string }): string {
  return (user.email ?? user.importUsername).toLowerCase();
}

export function renderSummary(plan: RestorePlan, mode: 'dry run' | 'restore'): string {
  return [
    `# User restore plan (${mode})`,
    '',
    `Source: user pool \`${plan.sourceUserPoolId}\`, export run \`${plan.sourceRunId}\`.`,
    '',
    '| item | count |',
    '| --- | ---: |',
    `| users to import | ${plan.users.length} |`,
    `| users skipped | ${plan.skipped.length} |`,
    `| users quarantined (invalid healthcare attributes) | ${plan.quarantined.length} |`,
    `| groups | ${plan.groups.length} |`,
    `| group assignments | ${plan.assignments.length} |`,
    `| users to disable after import | ${plan.disable.length} |`,
    '',
    '## What a restore cannot bring back',
    '',
    '- **Passwords.** Cognito never exports them. Every imported user must reset their password at first sign-in',
    '  (the app receives `PasswordResetRequiredException`, or `NotAuthorizedException` with preventUserExistenceErrors,',
    '  and runs the forgot-password flow). Tell clinics before the restore.',
    '- **TOTP secrets.** Users with MFA enrol their authenticator app again.',
    '- **`sub`.** Each imported user gets a new `sub`; `sub-mapping.csv` maps old to new. Update every table keyed on `sub`.',
    '- **Sessions and devices.** Refresh tokens and remembered devices of the old pool are gone.',
    '',
    ...(plan.warnings.length ? ['## Warnings', '', ...plan.warnings.map((w) => `- ${w}`), ''] : []),
    ...(plan.quarantined.length ? [
      '## Quarantined users (by old sub)',
      '',
      'Not imported and not added to any group. Their exported records and memberships are in `quarantine.jsonl`;',
      'correct them at the source or recreate them with AdminCreateUser after review.',
      '',
      ...plan.quarantined.map((q) => `- \`${q.oldSub}\`: ${q.problems.map((p) => `${p.attribute} ${p.code}`).join('; ')}`),
      '',
    ] : []),
    ...(plan.skipped.length ? ['## Skipped users (by old sub)', '', ...plan.skipped.map((s) => `- \`${s.oldSub}\`: ${s.reason}`), ''] : []),
  ].join('\n');
}
