/*
 * Flow 8, backup round trip, on the staging stack of the example app deployed on moto: users with
 * all seven custom attributes and their groups are exported from one pool by the real export handler
 * (src/operations/backup/user-export.lambda.ts) into the export bucket created from the template, and
 * restored into a second pool by the restore tool (scripts/restore/*).
 *
 * moto 5.2.5 has no user import jobs (GetCSVHeader, CreateUserImportJob, StartUserImportJob and
 * DescribeUserImportJob are not implemented; a test below shows the tool's AWS port failing on the
 * first of them). The restore therefore runs the tool's applyRestore with its own AWS port for every
 * call moto implements, and a stand-in for the Cognito import job only: the stand-in builds the CSV
 * header as Cognito documents it and creates each row of the CSV the tool uploads with AdminCreateUser.
 * What is tested is the tool's plan, CSV, groups, assignments, disabling and old-to-new sub mapping,
 * not Cognito's import job.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminGetUserCommand, AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand, CreateUserPoolCommandInput, DescribeUserPoolCommand, GetCSVHeaderCommand, ListGroupsCommand, ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CognitoRehearsal } from './cognito-rehearsal';
import { Deployment, deployStack } from './deploy';
import { resetMoto } from './moto-server';
import { PHYSICIAN_ATTRIBUTES, REHEARSAL_PASSWORD } from './physician';
import { REGION, singleResource } from './template';
import { ApplyResult, ImportJobStatus, RestorePort, applyRestore } from '../../scripts/restore/apply';
import { awsRestorePort } from '../../scripts/restore/aws-port';
import { kmsMacVerifier } from '../../scripts/restore/kms-verifier';
import { MFA_COLUMN, STANDARD_CSV_COLUMNS, USERNAME_COLUMN, loadExport, parseImportCsv } from '../../scripts/restore/plan';
import { dryRun, parseArgs } from '../../scripts/restore-users';
import { handler as exportHandler } from '../../src/operations/backup/user-export.lambda';

const STACK = 'MedflowAuthStaging';
const PASSWORD = REHEARSAL_PASSWORD;
const SEVEN = {
  ...PHYSICIAN_ATTRIBUTES,
  // A comma inside a value: the import CSV escapes it with a backslash.
  'custom:specialties': '["Cardiologie","Médecine interne"]',
};
const USERS: Record<string, Record<string, string>> = {
  'dr.benali@clinic-one.example': { given_name: 'Amina', family_name: 'Benali', ...SEVEN },
  'nurse.haddad@clinic-one.example': {
    'given_name': 'ليلى',
    'family_name': 'Haddad',
    ...SEVEN,
    'custom:user_role': 'nurse',
    'custom:npi_number': '1245319599',
    'custom:preferred_language': 'ar',
    'custom:specialties': '["Soins intensifs"]',
    'custom:medical_license': 'MA-LIC-10442',
  },
  'dr.mansouri@clinic-two.example': {
    'given_name': 'Youssef',
    'family_name': 'Mansouri',
    ...SEVEN,
    'custom:clinic_id': '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
    'custom:npi_number': '1003000126',
    'custom:preferred_language': 'en',
    'custom:specialties': '["Pédiatrie"]',
    'custom:medical_license': 'MA-LIC-55120',
    'custom:license_state': 'MA-01',
  },
};
/** Beyond the group of each user's role (added by the rehearsal), one more membership. */
const EXTRA_MEMBERSHIP = { email: 'dr.benali@clinic-one.example', group: 'clinic_admin' };
const DISABLED = 'nurse.haddad@clinic-one.example';

const cognito = new CognitoIdentityProviderClient({});
let d: Deployment;
let exportDir: string;
let targetPoolId: string;
let result: ApplyResult;
/** The export function's MANIFEST_KEY_ARN: the HMAC key moto created from the template's KeySpec and KeyUsage. */
let manifestKeyArn: string;
const trust = () => ({ verifier: kmsMacVerifier(manifestKeyArn, new KMSClient({})), keyDescription: manifestKeyArn });

type UserSnapshot = { attributes: Record<string, string>; enabled: boolean; groups: string[] };

async function snapshot(userPoolId: string, email: string): Promise<UserSnapshot> {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  const groups = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: email }));
  return {
    attributes: Object.fromEntries(user.UserAttributes!.map((a) => [a.Name!, a.Value!])),
    enabled: user.Enabled!,
    groups: groups.Groups!.map((g) => g.GroupName!).sort(),
  };
}

/** The second pool: the template's user pool again, under another name, with no users and no groups. */
async function createTargetPool(): Promise<string> {
  const [, pool] = singleResource(d.template, 'AWS::Cognito::UserPool');
  const p = d.ids.resolve<Record<string, unknown>>(pool.Properties);
  const input = { ...p, PoolName: `${p.UserPoolName as string}-restore` } as Record<string, unknown>;
  for (const notAnInput of ['UserPoolName', 'EnabledMfas', 'WebAuthnRelyingPartyID', 'WebAuthnUserVerification', 'WebAuthnFactorConfiguration']) delete input[notAnInput];
  return (await cognito.send(new CreateUserPoolCommand(input as unknown as CreateUserPoolCommandInput))).UserPool!.Id!;
}

/**
 * Cognito's side of a user import job, which moto lacks: the CSV header is built as GetCSVHeader
 * documents it (standard attributes, the pool's custom attributes, cognito:mfa_enabled,
 * cognito:username), and each uploaded row becomes a user created with AdminCreateUser.
 */
function importJobStandIn(real: RestorePort): RestorePort & { uploads: string[] } {
  const uploads: string[] = [];
  const jobs = new Map<string, { userPoolId: string; csv?: string; status: ImportJobStatus }>();
  return {
    ...real,
    uploads,
    async getCsvHeader(userPoolId) {
      const pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool!;
      const custom = (pool.SchemaAttributes ?? []).map((a) => a.Name!).filter((n) => n.startsWith('custom:'));
      return [...STANDARD_CSV_COLUMNS, ...custom, MFA_COLUMN, USERNAME_COLUMN];
    },
    async createImportJob(userPoolId) {
      const jobId = `import-${jobs.size + 1}`;
      jobs.set(jobId, { userPoolId, status: { status: 'Created', imported: 0, skipped: 0, failed: 0 } });
      return { jobId, preSignedUrl: `stand-in://${jobId}` };
    },
    async uploadCsv(preSignedUrl, body) {
      uploads.push(body);
      jobs.get(preSignedUrl.replace('stand-in://', ''))!.csv = body;
    },
    async startImportJob(userPoolId, jobId) {
      const job = jobs.get(jobId)!;
      let imported = 0;
      for (const row of parseImportCsv(job.csv!)) {
        const attributes = Object.entries(row).filter(([name, value]) => value !== '' && name !== USERNAME_COLUMN && name !== MFA_COLUMN);
        await cognito.send(new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: row[USERNAME_COLUMN],
          MessageAction: 'SUPPRESS',
          UserAttributes: attributes.map(([Name, Value]) => ({ Name, Value })),
        }));
        imported++;
      }
      job.status = { status: 'Succeeded', imported, skipped: 0, failed: 0 };
    },
    async describeImportJob(_userPoolId, jobId) {
      return jobs.get(jobId)!.status;
    },
  };
}

beforeAll(async () => {
  await resetMoto();
  d = await deployStack(STACK);
  const rehearsal = new CognitoRehearsal(d, { now: () => Date.now() });
  for (const [email, attributes] of Object.entries(USERS)) await rehearsal.adminCreateUser(email, attributes, PASSWORD);
  await cognito.send(new AdminAddUserToGroupCommand({
    UserPoolId: d.userPoolId, Username: EXTRA_MEMBERSHIP.email, GroupName: EXTRA_MEMBERSHIP.group,
  }));
  await cognito.send(new AdminDisableUserCommand({ UserPoolId: d.userPoolId, Username: DISABLED }));
});

afterAll(() => {
  if (exportDir) fs.rmSync(exportDir, { recursive: true, force: true });
});

describe('8. backup round trip: export from one moto pool, restore into a second', () => {
  test('the scheduled export writes users, groups, memberships and the manifest to the export bucket', async () => {
    const [, schedule] = singleResource(d.template, 'AWS::Scheduler::Schedule');
    const target = d.ids.resolve<{ Arn: string; Input: string }>((schedule.Properties as { Target: unknown }).Target);
    const functionLogicalId = target.Arn.split(':function:')[1];
    const environment = d.functionEnvironment[functionLogicalId];
    expect(environment.USER_POOL_ID).toBe(d.userPoolId);
    const bucket = environment.BUCKET_NAME;
    manifestKeyArn = environment.MANIFEST_KEY_ARN;
    expect(manifestKeyArn).toMatch(/^arn:aws:kms:/);
    expect(Object.values(d.operations.buckets)).toContain(bucket);

    // The template's bucket policy denies every request without TLS 1.2 (Bool aws:SecureTransport,
    // NumericLessThan s3:TlsVersion). moto 5.2.5 evaluates only StringEquals conditions and treats any
    // other condition as met (moto/iam/policy_conditions.py), so on moto those statements deny every
    // object request, over TLS or not. Shown here, then the policy is lifted for the round trip.
    const s3 = new S3Client({ forcePathStyle: true });
    const denied = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'probe', Body: 'x' })).then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
    expect(denied?.$metadata?.httpStatusCode).toBe(403);
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    expect(policy.Statement.map((st: { Condition: unknown }) => st.Condition))
      .toEqual([{ Bool: { 'aws:SecureTransport': 'false' } }, { NumericLessThan: { 's3:TlsVersion': 1.2 } }]);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));

    // The schedule's own input, with the execution ID EventBridge Scheduler substitutes.
    const event = JSON.parse(target.Input.replace('<aws.scheduler.execution-id>', 'c0ffee00-1111-4222-8333-444455556666'));
    const saved = { ...process.env };
    Object.assign(process.env, environment);
    try {
      const outcome = await exportHandler(event, { invokedFunctionArn: target.Arn, getRemainingTimeInMillis: () => 15 * 60_000 });
      expect(outcome.status).toBe('complete');
    } finally {
      for (const name of Object.keys(environment)) if (saved[name] === undefined) delete process.env[name];
      Object.assign(process.env, saved);
    }

    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'exports/' }))).Contents!.map((o) => o.Key!);
    const manifestKey = keys.find((k) => k.endsWith('/manifest.json'))!;
    expect(manifestKey).toMatch(/^exports\/\d{4}-\d{2}-\d{2}\/\d{8}T\d{6}Z-c0ffee00-1111-4222-8333-444455556666\/manifest\.json$/);
    // The restore reads a local copy of one run (aws s3 sync s3://<bucket>/exports/<date>/<runId>/ ./export).
    const prefix = manifestKey.slice(0, -'manifest.json'.length);
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-e2e-export-'));
    for (const key of keys.filter((k) => k.startsWith(prefix))) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(object.ServerSideEncryption).toBe('aws:kms');
      fs.writeFileSync(path.join(exportDir, key.slice(prefix.length)), await object.Body!.transformToString());
    }
    const loaded = await loadExport(exportDir, trust());
    expect(loaded.manifest.signature?.algorithm).toBe('HMAC_SHA_256');
    expect(loaded.manifest.userPoolId).toBe(d.userPoolId);
    expect(loaded.manifest.counts).toEqual({ users: 3, groups: 4, memberships: 4 });
    const benali = loaded.users.find((u) => u.username === 'dr.benali@clinic-one.example' || u.attributes.email === 'dr.benali@clinic-one.example')!;
    for (const [name, value] of Object.entries(SEVEN)) expect(benali.attributes[name]).toBe(value);
  });

  test('KMS VerifyMac on moto: a changed file, a changed digest and a MAC checked under another HMAC key are refused', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-e2e-tampered-'));
    try {
      fs.cpSync(exportDir, copy, { recursive: true });
      const manifestPath = path.join(copy, 'manifest.json');
      const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
      const usersFile = manifest.files.users[0] as string;
      const original = fs.readFileSync(path.join(copy, usersFile), 'utf8');
      fs.writeFileSync(path.join(copy, usersFile), original.replace('"custom:user_role":"nurse"', '"custom:user_role":"clinic_admin"'));
      await expect(loadExport(copy, trust())).rejects.toThrow(`${usersFile} does not match its SHA-256 digest in the signed manifest`);
      fs.writeFileSync(path.join(copy, usersFile), original);

      fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, digests: { ...manifest.digests, [usersFile]: '0'.repeat(64) } }));
      await expect(loadExport(copy, trust())).rejects.toThrow(/the signature does not verify with arn:aws:kms:/);
      fs.writeFileSync(manifestPath, JSON.stringify(manifest));

      const other = await new KMSClient({}).send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
      const otherArn = other.KeyMetadata!.Arn!;
      await expect(loadExport(copy, { verifier: kmsMacVerifier(otherArn, new KMSClient({})), keyDescription: otherArn }))
        .rejects.toThrow(`the signature does not verify with ${otherArn}`);
      await expect(loadExport(copy, trust())).resolves.toMatchObject({ manifest: { runId: manifest.runId } });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('the dry run writes the plan, the import CSV with all seven attributes, and a mapping template', async () => {
    const out = path.join(exportDir, '..', `${path.basename(exportDir)}-plan`);
    try {
      await dryRun(parseArgs(['--export', exportDir, '--dry-run', '--mfa', 'OPTIONAL', '--out', out, '--signing-key', manifestKeyArn]));
      const rows = parseImportCsv(fs.readFileSync(path.join(out, 'users.csv'), 'utf8'));
      expect(rows.map((r) => r[USERNAME_COLUMN]).sort()).toEqual(Object.keys(USERS).sort());
      for (const row of rows) {
        for (const [name, value] of Object.entries(USERS[row[USERNAME_COLUMN]])) expect(row[name]).toBe(value);
        expect(row.email_verified).toBe('true');
      }
      const template = fs.readFileSync(path.join(out, 'sub-mapping.template.csv'), 'utf8').trim().split('\n');
      expect(template[0]).toBe('old_sub,new_sub,email,old_username,new_username');
      expect(template).toHaveLength(1 + Object.keys(USERS).length);
      expect(fs.readFileSync(path.join(out, 'plan.md'), 'utf8')).toContain('| users to disable after import | 1 |');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('moto has no user import jobs: the tool\'s AWS port fails on GetCSVHeader, CreateUserImportJob and StartUserImportJob', async () => {
    targetPoolId = await createTargetPool();
    const error = await awsRestorePort(REGION).getCsvHeader(targetPoolId)
      .then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
    expect(error?.$metadata?.httpStatusCode).toBe(500);
    expect(fs.readFileSync(process.env.MOTO_E2E_LOG!, 'utf8')).toContain('The get_csv_header action has not been implemented');
    await expect(cognito.send(new GetCSVHeaderCommand({ UserPoolId: targetPoolId }))).rejects.toThrow();
    const port = awsRestorePort(REGION);
    for (const [call, action] of [
      [() => port.createImportJob(targetPoolId, 'restore-probe', 'arn:aws:iam::111111111111:role/CognitoImport'), 'create_user_import_job'],
      [() => port.startImportJob(targetPoolId, 'import-probe'), 'start_user_import_job'],
    ] as const) {
      const failed = await call().then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
      expect(failed?.$metadata?.httpStatusCode).toBe(500);
      expect(fs.readFileSync(process.env.MOTO_E2E_LOG!, 'utf8')).toContain(`The ${action} action has not been implemented`);
    }
  });

  test('the restore brings back the same users, attributes and groups, and maps every old sub to its new sub', async () => {
    const port = importJobStandIn(awsRestorePort(REGION));
    result = await applyRestore(await loadExport(exportDir, trust()), port, {
      userPoolId: targetPoolId, importRoleArn: 'arn:aws:iam::111111111111:role/CognitoImport', sleep: async () => undefined,
    });
    expect(result.job.status).toBe('Succeeded');
    expect(result.unmapped).toEqual([]);
    expect(result.mapped).toBe(3);
    expect(result.assignmentsDone).toBe(4);
    expect(result.disabled).toBe(1);
    expect(port.uploads).toEqual([result.csv]);

    const sourceGroups = (await cognito.send(new ListGroupsCommand({ UserPoolId: d.userPoolId }))).Groups!;
    const targetGroups = (await cognito.send(new ListGroupsCommand({ UserPoolId: targetPoolId }))).Groups!;
    const shape = (groups: typeof sourceGroups) => groups.map((g) => [g.GroupName, g.Description, g.Precedence]).sort();
    expect(shape(targetGroups)).toEqual(shape(sourceGroups));

    const targetUsers = (await cognito.send(new ListUsersCommand({ UserPoolId: targetPoolId }))).Users!;
    expect(targetUsers).toHaveLength(3);
    for (const email of Object.keys(USERS)) {
      const before = await snapshot(d.userPoolId, email);
      const after = await snapshot(targetPoolId, email);
      expect(after.groups).toEqual(before.groups);
      expect(after.enabled).toBe(before.enabled);
      const { sub: oldSub, ...beforeRest } = before.attributes;
      const { sub: newSub, ...afterRest } = after.attributes;
      expect(afterRest).toEqual(beforeRest);
      for (const [name, value] of Object.entries(USERS[email])) expect(after.attributes[name]).toBe(value);
      expect(newSub).not.toBe(oldSub);
    }
    expect((await snapshot(targetPoolId, EXTRA_MEMBERSHIP.email)).groups).toEqual(['clinic_admin', 'physician']);
    expect((await snapshot(targetPoolId, DISABLED)).enabled).toBe(false);
  });

  test('the sub mapping file pairs each old sub with the new sub of the same user', async () => {
    const [header, ...lines] = result.mappingCsv.trim().split('\n');
    expect(header).toBe('old_sub,new_sub,email,old_username,new_username');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const [oldSub, newSub, email, , newUsername] = line.split(',');
      expect((await snapshot(d.userPoolId, email)).attributes.sub).toBe(oldSub);
      const restored = await snapshot(targetPoolId, email);
      expect(restored.attributes.sub).toBe(newSub);
      expect(newUsername).not.toBe('');
    }
  });
});
