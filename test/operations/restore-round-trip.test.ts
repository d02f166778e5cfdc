import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { FakeClock, GROUPS, MemoryStorage, StubCognito, StubUser, makeUsers } from './export-stub';
import { applyRestore, ImportJobStatus, RestorePort } from '../../scripts/restore/apply';
import { checkImportCsv, csvLine, loadExport, parseImportCsv, planRestore, renderCsv, escapeCsvValue, LoadedExport } from '../../scripts/restore/plan';
import { dryRun, parseArgs } from '../../scripts/restore-users';
import { ExportManifest } from '../../src/operations/backup/export-format';
import { LocalHmac, sha256Hex } from '../../src/operations/backup/export-integrity';
import { DEFAULT_EXPORTER_OPTIONS, newRun, runExport } from '../../src/operations/backup/user-exporter';

/*
 * The export key: KMS GenerateMac/VerifyMac are exercised on moto in test/e2e/backup-restore.e2e.ts; here a
 * local HMAC-SHA-256 with the same interface stands in for the key.
 */
const EXPORT_KEY = new LocalHmac(Buffer.alloc(32, 7), 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-4000-8000-000000000001');
const SIGNING_KEY_ARN = EXPORT_KEY.keyId;
const TRUST = { verifier: EXPORT_KEY, keyDescription: SIGNING_KEY_ARN };
const SOURCE_POOL = 'eu-west-3_Source1';
const TARGET_POOL = 'eu-west-3_Target1';
const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Exports `users` through the real exporter (with throttling) and copies the run to a local directory. */
async function exportToDir(users: StubUser[]): Promise<{ dir: string; manifest: ExportManifest }> {
  const clock = new FakeClock();
  const storage = new MemoryStorage();
  const cognito = new StubCognito(users, clock, { throttleCalls: [2, 4] });
  const outcome = await runExport(newRun(SOURCE_POOL, 'round-trip', '2026-03-01T03:00:00.000Z'), {
    cognito, storage, clock, signer: EXPORT_KEY, remainingMs: () => 900_000, continueWith: async () => undefined,
  }, { ...DEFAULT_EXPORTER_OPTIONS, recordsPerFile: 40 });
  if (outcome.status !== 'complete') throw new Error('export did not complete');
  const dir = tempDir('medflow-export-');
  const prefix = 'exports/2026-03-01/round-trip/';
  for (const [key, body] of storage.objects) {
    if (key.startsWith(prefix)) fs.writeFileSync(path.join(dir, key.slice(prefix.length)), body);
  }
  return { dir, manifest: outcome.manifest };
}

/** A target pool that imports the CSV the way Cognito does: new subs, usernames from cognito:username. */
class StubTargetPool implements RestorePort {
  public readonly users: { username: string; sub: string; email?: string; attributes: Record<string, string>; enabled: boolean }[] = [];
  public readonly groups = new Map<string, { description?: string; precedence?: number; members: Set<string> }>();
  public uploaded = '';
  public readonly calls: string[] = [];
  private polls = 0;

  constructor(private readonly header: string[], private readonly mfa: 'ON' | 'OFF' | 'OPTIONAL', preexisting = 0) {
    for (let i = 0; i < preexisting; i++) this.users.push({ username: `x${i}`, sub: `x${i}`, attributes: {}, enabled: true });
  }

  public async getCsvHeader() { this.calls.push('GetCSVHeader'); return this.header; }
  public async getMfaConfiguration() { return this.mfa; }
  public async hasUsers() { return this.users.length > 0; }
  public async listGroupNames() { return [...this.groups.keys()]; }
  public async createGroup(_pool: string, group: { name: string; description?: string; precedence?: number }) {
    this.calls.push(`CreateGroup ${group.name}`);
    this.groups.set(group.name, { description: group.description, precedence: group.precedence, members: new Set() });
  }
  public async createImportJob(_pool: string, jobName: string, roleArn: string) {
    this.calls.push(`CreateUserImportJob ${jobName} ${roleArn}`);
    return { jobId: 'import-abc123', preSignedUrl: 'https://upload.invalid/import-abc123' };
  }
  public async uploadCsv(_url: string, body: string) { this.uploaded = body; }
  public async startImportJob() {
    for (const [i, row] of parseImportCsv(this.uploaded).entries()) {
      const attributes = Object.fromEntries(Object.entries(row).filter(([k, v]) => v !== '' && !k.startsWith('cognito:')));
      this.users.push({ username: `new-${i}`, sub: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`, email: row.email, attributes, enabled: true });
    }
  }
  public async describeImportJob(): Promise<ImportJobStatus> {
    return this.polls++ < 2 ? { status: 'InProgress', imported: 0, skipped: 0, failed: 0 } : { status: 'Succeeded', imported: this.users.length, skipped: 0, failed: 0 };
  }
  public async listUsers() { return this.users.map(({ username, sub, email }) => ({ username, sub, email })); }
  public async addUserToGroup(_pool: string, username: string, group: string) { this.groups.get(group)!.members.add(username); }
  public async disableUser(_pool: string, username: string) { this.users.find((u) => u.username === username)!.enabled = false; }
}

function cognitoHeader(loaded: LoadedExport): string[] {
  // GetCSVHeader puts cognito:username first in the developer guide's example; order must not matter.
  const custom = [...new Set(loaded.users.flatMap((u) => Object.keys(u.attributes)).filter((a) => a.startsWith('custom:')))];
  return ['cognito:username', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
    'website', 'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified',
    'address', 'updated_at', ...custom, 'cognito:mfa_enabled'];
}

describe('export, restore plan, import: a round trip', () => {
  test('the restore plan carries the same users, attributes, groups and memberships as the source pool', async () => {
    const users = makeUsers(137);
    const { dir } = await exportToDir(users);
    const loaded = await loadExport(dir, TRUST);
    const plan = planRestore(loaded, { mfa: 'OPTIONAL' });
    const rows = parseImportCsv(renderCsv(plan));

    const importable = users.filter((u) => u.attributes.email_verified === 'true');
    expect(rows.map((r) => r['cognito:username'])).toEqual(importable.map((u) => u.attributes.email.toLowerCase()));
    for (const [i, user] of importable.entries()) {
      const { sub, ...expected } = user.attributes;
      const restored = Object.fromEntries(Object.entries(rows[i]).filter(([k, v]) => v !== '' && !k.startsWith('cognito:')));
      expect(restored).toEqual(expected);
      expect(sub).toBe(plan.users[i].oldSub);
    }
    // Commas inside values (family_name "Test, 0001", the specialties JSON) survive the CSV.
    expect(rows[1].family_name).toBe('Test, 0001');
    expect(rows[1]['custom:specialties']).toBe('["cardiology","general practice"]');
    expect(plan.groups).toEqual(GROUPS);
    const expectedAssignments = importable.flatMap((u) => u.groups.map((g) => `${g} ${u.attributes.sub}`)).sort();
    expect(plan.assignments.map((a) => `${a.group} ${a.oldSub}`).sort()).toEqual(expectedAssignments);
    expect(plan.skipped.map((s) => s.oldSub)).toEqual(users.filter((u) => u.attributes.email_verified !== 'true').map((u) => u.attributes.sub));
    expect(plan.disable.map((d) => d.oldSub)).toEqual(importable.filter((u) => !u.enabled).map((u) => u.attributes.sub));
  });

  test('the import lands the same users, attributes and groups in a new pool and maps every old sub to its new sub', async () => {
    const users = makeUsers(75);
    const { dir } = await exportToDir(users);
    const loaded = await loadExport(dir, TRUST);
    const target = new StubTargetPool(cognitoHeader(loaded), 'ON');
    const result = await applyRestore(loaded, target, {
      userPoolId: TARGET_POOL,
      importRoleArn: 'arn:aws:iam::111111111111:role/CognitoImportLogs',
      sleep: async () => undefined,
    });

    const importable = users.filter((u) => u.attributes.email_verified === 'true');
    expect(target.users.map((u) => u.email)).toEqual(importable.map((u) => u.attributes.email));
    for (const user of importable) {
      const restored = target.users.find((u) => u.email === user.attributes.email)!;
      const { sub, ...expected } = user.attributes;
      expect(restored.attributes).toEqual(expected);
      expect(restored.sub).not.toBe(sub);
      expect(restored.enabled).toBe(user.enabled);
      for (const group of user.groups) expect(target.groups.get(group)!.members.has(restored.username)).toBe(true);
    }
    expect([...target.groups.entries()].map(([name, g]) => ({ name, description: g.description, precedence: g.precedence }))).toEqual(GROUPS);
    // Required MFA: Cognito wants cognito:mfa_enabled true on every row.
    expect(parseImportCsv(target.uploaded).every((r) => r['cognito:mfa_enabled'] === 'true')).toBe(true);
    expect(result.plan.warnings.join(' ')).toMatch(/authenticator app again/);

    const mapping = result.mappingCsv.trim().split('\n').slice(1).map((line) => line.split(','));
    expect(mapping).toHaveLength(importable.length);
    for (const [oldSub, newSub, email] of mapping) {
      expect(users.find((u) => u.attributes.sub === oldSub)!.attributes.email).toBe(email);
      expect(target.users.find((u) => u.email === email)!.sub).toBe(newSub);
    }
    expect(result.unmapped).toEqual([]);
    expect(target.calls).toContain('CreateUserImportJob restore-round-trip arn:aws:iam::111111111111:role/CognitoImportLogs');
  });

  test('refuses to restore into a pool that already has users, unless told to', async () => {
    const { dir } = await exportToDir(makeUsers(3));
    const loaded = await loadExport(dir, TRUST);
    await expect(applyRestore(loaded, new StubTargetPool(cognitoHeader(loaded), 'OFF', 1), {
      userPoolId: TARGET_POOL, importRoleArn: 'arn:aws:iam::111111111111:role/R', sleep: async () => undefined,
    })).rejects.toThrow(/already has users\. Restore into a new or emptied pool, or pass --allow-non-empty/);
  });

  test('an export without its manifest is refused as incomplete', async () => {
    const { dir } = await exportToDir(makeUsers(3));
    fs.rmSync(path.join(dir, 'manifest.json'));
    await expect(loadExport(dir, TRUST)).rejects.toThrow(/manifest.json is missing: the export is incomplete/);
  });

  test('an export whose files disagree with the manifest is refused as damaged, naming the file', async () => {
    const { dir, manifest } = await exportToDir(makeUsers(70));
    fs.writeFileSync(path.join(dir, manifest.files.users[0]), '');
    await expect(loadExport(dir, TRUST)).rejects.toThrow(/^users-00001\.jsonl does not match its SHA-256 digest in the signed manifest/);
  });

  test('the dry run writes the CSV, groups, assignments, a mapping template and a plan that is honest about passwords and TOTP', async () => {
    const { dir } = await exportToDir(makeUsers(64));
    const out = tempDir('medflow-plan-');
    await dryRun(parseArgs(['--export', dir, '--dry-run', '--out', out, '--mfa', 'on', '--signing-key', SIGNING_KEY_ARN]), TRUST);
    expect(fs.readdirSync(out).sort()).toEqual(['group-assignments.jsonl', 'groups.json', 'plan.md', 'quarantine.jsonl', 'sub-mapping.template.csv', 'users.csv']);
    const summary = fs.readFileSync(path.join(out, 'plan.md'), 'utf8');
    expect(summary).toMatch(/\*\*Passwords\.\*\* Cognito never exports them/);
    expect(summary).toMatch(/\*\*TOTP secrets\.\*\*/);
    expect(summary).toMatch(/users to import \| 62 \|/);
    const template = fs.readFileSync(path.join(out, 'sub-mapping.template.csv'), 'utf8').trim().split('\n');
    expect(template[0]).toBe('old_sub,new_sub,email,old_username,new_username');
    expect(template[1]).toMatch(/^00000000-0000-4000-8000-000000000000,,User0000@Clinic-0\.example,/);
  });

  test('the command line names a bad or missing argument', () => {
    expect(() => parseArgs(['--dry-run'])).toThrow(/--export is required/);
    expect(() => parseArgs(['--export', 'x', '--signing-key', SIGNING_KEY_ARN])).toThrow(/--user-pool-id and --import-role-arn are required unless --dry-run/);
    expect(() => parseArgs(['--export', 'x', '--signing-key', SIGNING_KEY_ARN, '--dry-run', '--mfa', 'sometimes'])).toThrow(/--mfa must be ON, OFF or OPTIONAL; got "sometimes"/);
    expect(() => parseArgs(['--export', 'x', '--dry-run', '--force'])).toThrow(/Unknown argument "--force"/);
    expect(() => parseArgs(['--export', 'x', '--dry-run'])).toThrow(/--signing-key is required: the restore verifies the export's signed manifest/);
    expect(() => parseArgs(['--export', 'x', '--dry-run', '--signing-key', 'my-key'])).toThrow(/--signing-key must be a KMS key or alias ARN .*got "my-key"/);
  });

  test('Cognito CSV escaping: commas are backslash-escaped and values are never quoted', () => {
    expect(escapeCsvValue('Test, 1')).toBe('Test\\, 1');
    expect(parseImportCsv('a,b\nx\\,y,"q"\n')).toEqual([{ a: 'x,y', b: '"q"' }]);
  });
});

describe('the restore trusts nothing: signature, digests and every row', () => {
  async function signedExport(users = makeUsers(12)) {
    const { dir, manifest } = await exportToDir(users);
    const manifestPath = path.join(dir, 'manifest.json');
    return { dir, manifest, manifestPath, usersFile: path.join(dir, manifest.files.users[0]) };
  }

  test('a valid signed export loads, and verification uses the trusted key, not the key the manifest names', async () => {
    const { dir, manifest } = await signedExport();
    await expect(loadExport(dir, TRUST)).resolves.toMatchObject({ manifest: { runId: 'round-trip' } });
    expect(manifest.signature!.keyId).toBe(SIGNING_KEY_ARN);
    const otherKey = new LocalHmac(Buffer.alloc(32, 8), SIGNING_KEY_ARN);
    await expect(loadExport(dir, { verifier: otherKey, keyDescription: 'the other key' }))
      .rejects.toThrow(/manifest\.json: the signature does not verify with the other key; .*Nothing was restored/);
  });

  test('a tampered row (clinic_admin with a bogus NPI written into a users file) is refused, naming the file', async () => {
    const { dir, usersFile } = await signedExport();
    const lines = fs.readFileSync(usersFile, 'utf8').split('\n');
    const row = JSON.parse(lines[1]);
    row.attributes['custom:user_role'] = 'clinic_admin';
    row.attributes['custom:npi_number'] = '1234567890';
    lines[1] = JSON.stringify(row);
    fs.writeFileSync(usersFile, lines.join('\n'));
    await expect(loadExport(dir, TRUST)).rejects.toThrow(
      'users-00001.jsonl does not match its SHA-256 digest in the signed manifest: it was changed or damaged after the export. Nothing was restored.');
  });

  test('a tampered digest (the manifest rewritten to match a changed file) is refused: the signature no longer verifies', async () => {
    const { dir, manifest, manifestPath, usersFile } = await signedExport();
    fs.writeFileSync(usersFile, fs.readFileSync(usersFile, 'utf8').replace('"nurse"', '"clinic_admin"'));
    const digests = { ...manifest.digests, [manifest.files.users[0]]: sha256Hex(fs.readFileSync(usersFile, 'utf8')) };
    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, digests }));
    await expect(loadExport(dir, TRUST)).rejects.toThrow(/manifest\.json: the signature does not verify with arn:aws:kms:eu-west-3:111111111111:key\/0+-0+-4000-8000-0+1; the manifest was changed/);
  });

  test('a bad signature, a missing signature and an unsupported algorithm are refused', async () => {
    const { dir, manifest, manifestPath } = await signedExport();
    const write = (m: object) => fs.writeFileSync(manifestPath, JSON.stringify(m));
    write({ ...manifest, signature: { ...manifest.signature!, mac: Buffer.alloc(32, 1).toString('base64') } });
    await expect(loadExport(dir, TRUST)).rejects.toThrow(/the signature does not verify/);
    const { signature: _s, ...unsigned } = manifest;
    write(unsigned);
    await expect(loadExport(dir, TRUST)).rejects.toThrow(/manifest\.json is not signed; only exports signed by the export function can be restored/);
    write({ ...manifest, signature: { ...manifest.signature!, algorithm: 'NONE' } });
    await expect(loadExport(dir, TRUST)).rejects.toThrow(/is signed with "NONE"; only HMAC_SHA_256 is accepted/);
  });

  test('a file listed in the manifest but missing is refused, naming the file', async () => {
    const { dir, manifest } = await signedExport();
    fs.rmSync(path.join(dir, manifest.files.memberships[0]));
    await expect(loadExport(dir, TRUST)).rejects.toThrow(
      `memberships-00001.jsonl is listed in the manifest but missing from ${dir}; copy the whole export run again. Nothing was restored.`);
  });

  test('a version 1 manifest (no digests, no signature) is refused with what to do', async () => {
    const { dir, manifest, manifestPath } = await signedExport();
    const { digests: _d, signature: _s, ...v1 } = manifest;
    fs.writeFileSync(manifestPath, JSON.stringify({ ...v1, schemaVersion: 1 }));
    await expect(loadExport(dir, TRUST)).rejects.toThrow(/has schema version 1; this restore accepts only version 2, whose manifests are signed .*Take a new export/);
  });

  test('a signed export whose source held a clinic_admin with a bogus NPI: the row is quarantined, reported, kept and given no group', async () => {
    const users = makeUsers(12);
    const bad = users.find((u) => u.attributes.email_verified === 'true' && u.groups.length > 0)!;
    bad.attributes['custom:user_role'] = 'clinic_admin';
    bad.attributes['custom:npi_number'] = '1234567890';
    bad.groups.push('clinic_admin');
    const unknownRole = users.filter((u) => u !== bad && u.attributes.email_verified === 'true')[0];
    unknownRole.attributes['custom:user_role'] = 'superuser';
    const oddSpecialties = users.filter((u) => u !== bad && u !== unknownRole && u.attributes.email_verified === 'true')[0];
    oddSpecialties.attributes['custom:specialties'] = 'x\\';
    const { dir } = await exportToDir(users);
    const out = tempDir('medflow-quarantine-');
    await dryRun(parseArgs(['--export', dir, '--dry-run', '--out', out, '--signing-key', SIGNING_KEY_ARN]), TRUST);

    const quarantine = fs.readFileSync(path.join(out, 'quarantine.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantine.map((q) => q.oldSub).sort()).toEqual([bad, unknownRole, oddSpecialties].map((u) => u.attributes.sub).sort());
    const badEntry = quarantine.find((q) => q.oldSub === bad.attributes.sub);
    expect(badEntry.problems.map((p: { code: string }) => p.code)).toEqual(['NPI_CHECK_DIGIT']);
    expect(badEntry.user.attributes).toEqual(bad.attributes);
    expect(badEntry.memberships.map((m: { group: string }) => m.group)).toContain('clinic_admin');
    expect(quarantine.find((q) => q.oldSub === unknownRole.attributes.sub).problems[0].attribute).toBe('custom:user_role');
    expect(quarantine.find((q) => q.oldSub === oddSpecialties.attributes.sub).problems[0].attribute).toBe('custom:specialties');

    const summary = fs.readFileSync(path.join(out, 'plan.md'), 'utf8');
    expect(summary).toContain('| users quarantined (invalid healthcare attributes) | 3 |');
    expect(summary).toContain(`- \`${bad.attributes.sub}\`: custom:npi_number NPI_CHECK_DIGIT`);
    expect(summary).not.toContain('1234567890');
    const csv = parseImportCsv(fs.readFileSync(path.join(out, 'users.csv'), 'utf8'));
    expect(csv.map((r) => r.email)).not.toContain(bad.attributes.email);
    const assignments = fs.readFileSync(path.join(out, 'group-assignments.jsonl'), 'utf8');
    expect(assignments).not.toContain(bad.attributes.sub);

    // The real restore applies the same plan: nothing of the quarantined users reaches the pool.
    const loaded = await loadExport(dir, TRUST);
    const target = new StubTargetPool(cognitoHeader(loaded), 'OFF');
    const result = await applyRestore(loaded, target, { userPoolId: TARGET_POOL, importRoleArn: 'arn:aws:iam::111111111111:role/R', sleep: async () => undefined });
    expect(result.plan.quarantined).toHaveLength(3);
    expect(target.users.map((u) => u.email)).not.toContain(bad.attributes.email);
    expect([...target.groups.get('clinic_admin')!.members]).toHaveLength(
      result.plan.assignments.filter((a) => a.group === 'clinic_admin').length);
  });

  test('roles configured for the deployment decide: a custom role list quarantines roles outside it', async () => {
    const { dir } = await exportToDir(makeUsers(9));
    const loaded = await loadExport(dir, TRUST);
    const plan = planRestore(loaded, { mfa: 'OFF', roles: ['physician', 'nurse'], clinicalRoles: ['physician', 'nurse'] });
    const admins = loaded.users.filter((u) => u.attributes['custom:user_role'] === 'clinic_admin').map((u) => u.sub);
    expect(admins.length).toBeGreaterThan(0);
    expect(plan.quarantined.map((q) => q.oldSub).sort()).toEqual(admins.sort());
    expect(() => planRestore(loaded, { mfa: 'OFF', roles: ['physician'], clinicalRoles: ['nurse'] }))
      .toThrow(/The clinical roles nurse are not among the configured roles \(physician\)/);
    expect(() => planRestore(loaded, { mfa: 'OFF', roles: ['Physician!'] })).toThrow(/The configured roles are invalid/);
  });
});

describe('the import CSV: exactly what Cognito expects, and it round-trips', () => {
  const HEADER = ['cognito:username', 'email', 'custom:specialties', 'custom:medical_license'];

  test('a value ending in a backslash keeps its row: `x\\` in specialties does not swallow the next separator', () => {
    const line = csvLine(['dr@clinic.example', 'dr@clinic.example', 'x\\', 'MA-LIC-1']);
    expect(parseImportCsv(`${HEADER.join(',')}\n${line}\n`)).toEqual([
      { 'cognito:username': 'dr@clinic.example', 'email': 'dr@clinic.example', 'custom:specialties': 'x\\', 'custom:medical_license': 'MA-LIC-1' },
    ]);
  });

  test('a restored user whose values end in a backslash arrives with every attribute in its own column', async () => {
    const users = makeUsers(6);
    const owner = users.find((u) => u.attributes.email_verified === 'true')!;
    owner.attributes.family_name = 'x\\';
    const other = users.filter((u) => u.attributes.email_verified === 'true')[1];
    // Valid specialties (a JSON array) with a comma, quotes and an escaped backslash; a name ending in a backslash.
    other.attributes['custom:specialties'] = '["Cardiologie","Médecine, interne \\"x\\"","a\\\\"]';
    other.attributes.given_name = 'Amina\\';
    const { dir } = await exportToDir(users);
    const loaded = await loadExport(dir, TRUST);
    const target = new StubTargetPool(cognitoHeader(loaded), 'OFF');
    await applyRestore(loaded, target, { userPoolId: TARGET_POOL, importRoleArn: 'arn:aws:iam::111111111111:role/R', sleep: async () => undefined });
    for (const source of [owner, other]) {
      const restored = target.users.find((u) => u.email === source.attributes.email)!;
      for (const [name, value] of Object.entries(source.attributes)) {
        if (name === 'sub' || name.startsWith('cognito:') || value === '') continue;
        expect([name, restored.attributes[name]]).toEqual([name, value]);
      }
    }
  });

  const cell = fc.oneof(
    fc.constantFrom('x\\', '\\', '\\,', ',', '"', '""', '"q"', '\\\\', 'a"b,c\\', '\\"', '\n', '\r\n', 'a\nb', ''),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.constantFrom('\\', ',', '"', '\n', '\r', 'a', 'é', 'ع', '😀', ' ') }),
  );

  test('property: for arbitrary Unicode values, the parser reads back exactly what the writer wrote, or the writer refuses a line break by name', () => {
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: HEADER.length, maxLength: HEADER.length }), { maxLength: 8 }), (rows) => {
      const hasLineBreak = rows.some((row) => row.some((value) => /[\r\n]/.test(value)));
      let csv: string;
      try {
        csv = [HEADER.join(','), ...rows.map(csvLine)].join('\n') + '\n';
      } catch (error) {
        expect(hasLineBreak).toBe(true);
        expect((error as Error).message).toMatch(/contains a line break, which Cognito's user import CSV cannot hold/);
        return;
      }
      expect(hasLineBreak).toBe(false);
      expect(() => checkImportCsv(csv)).not.toThrow();
      expect(parseImportCsv(csv)).toEqual(rows.map((row) => Object.fromEntries(HEADER.map((column, i) => [column, row[i]]))));
    }), { numRuns: 1000 });
  });

  test('every row is checked against the header before upload, with an error naming the row and the counts', () => {
    expect(() => checkImportCsv('a,b,c\n1,2,3\n1\\,2,3\n')).toThrow(/^users\.csv row 2 has 2 cells but the header has 3; nothing was uploaded\.$/);
    expect(() => checkImportCsv('a,b\n1,2,3\n')).toThrow(/^users\.csv row 1 has 3 cells but the header has 2; nothing was uploaded\.$/);
    expect(() => checkImportCsv('a,b\n1,2\n')).not.toThrow();
  });

  test('a restore whose CSV rows do not match the header is stopped before anything is uploaded', async () => {
    const users = makeUsers(4);
    const { dir } = await exportToDir(users);
    const loaded = await loadExport(dir, TRUST);
    // A header column whose name holds a comma splits into two header cells: every row is one cell short.
    const header = [...cognitoHeader(loaded), 'custom:odd,name'];
    const target = new StubTargetPool(header, 'OFF');
    await expect(applyRestore(loaded, target, { userPoolId: TARGET_POOL, importRoleArn: 'arn:aws:iam::111111111111:role/R', sleep: async () => undefined }))
      .rejects.toThrow(/^users\.csv row 1 has \d+ cells but the header has \d+; nothing was uploaded\.$/);
    expect(target.uploaded).toBe('');
  });
});
