/*
 * Runs a restore plan against a new or emptied user pool: creates the groups, runs one Cognito
 * user import job with the CSV, adds the imported users to their groups, disables the users that
 * were disabled, and writes the old-sub to new-sub mapping. All AWS calls go through a port.
 */
import { LoadedExport, PlanOptions, PoolMfa, RestorePlan, checkImportCsv, mappingKey, planRestore, subMappingCsv, renderCsv } from './plan';

export interface ImportJobStatus {
  readonly status: string;
  readonly imported: number;
  readonly skipped: number;
  readonly failed: number;
  readonly message?: string;
}

/** The Cognito calls a restore makes. */
export interface RestorePort {
  getCsvHeader(userPoolId: string): Promise<string[]>;
  getMfaConfiguration(userPoolId: string): Promise<PoolMfa>;
  hasUsers(userPoolId: string): Promise<boolean>;
  listGroupNames(userPoolId: string): Promise<string[]>;
  createGroup(userPoolId: string, group: { name: string; description?: string; precedence?: number }): Promise<void>;
  createImportJob(userPoolId: string, jobName: string, cloudWatchLogsRoleArn: string): Promise<{ jobId: string; preSignedUrl: string }>;
  uploadCsv(preSignedUrl: string, body: string): Promise<void>;
  startImportJob(userPoolId: string, jobId: string): Promise<void>;
  describeImportJob(userPoolId: string, jobId: string): Promise<ImportJobStatus>;
  /** Every user with its username, sub and email. */
  listUsers(userPoolId: string): Promise<{ username: string; sub: string; email?: string }[]>;
  addUserToGroup(userPoolId: string, username: string, group: string): Promise<void>;
  disableUser(userPoolId: string, username: string): Promise<void>;
}

export interface ApplyOptions {
  readonly userPoolId: string;
  /** IAM role Cognito assumes to write the import job's CloudWatch Logs. */
  readonly importRoleArn: string;
  readonly usernameSource?: PlanOptions['usernameSource'];
  /** The deployment's healthcare roles; users outside them are quarantined. @default the library's default roles */
  readonly roles?: string[];
  readonly clinicalRoles?: string[];
  /** Restore into a pool that already has users (only the missing ones import). */
  readonly allowNonEmpty?: boolean;
  /** Admin calls per second for group assignments and disabling (UserResourceUpdate and UserUpdate allow 25). */
  readonly requestsPerSecond?: number;
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export interface ApplyResult {
  readonly plan: RestorePlan;
  readonly csv: string;
  readonly job: ImportJobStatus;
  readonly mappingCsv: string;
  readonly mapped: number;
  readonly unmapped: string[];
  readonly assignmentsDone: number;
  readonly disabled: number;
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped', 'Expired']);

export async function applyRestore(loaded: LoadedExport, port: RestorePort, options: ApplyOptions): Promise<ApplyResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = options.log ?? (() => undefined);
  const interval = 1000 / (options.requestsPerSecond ?? 10);
  const { userPoolId } = options;

  if (!options.allowNonEmpty && await port.hasUsers(userPoolId)) {
    throw new Error(`User pool ${userPoolId} already has users. Restore into a new or emptied pool, or pass --allow-non-empty to import only the missing users.`);
  }
  const header = await port.getCsvHeader(userPoolId);
  const mfa = await port.getMfaConfiguration(userPoolId);
  const plan = planRestore(loaded, {
    csvHeader: header, mfa, usernameSource: options.usernameSource, roles: options.roles, clinicalRoles: options.clinicalRoles,
  });
  const csv = renderCsv(plan);
  // Every row must have exactly the header's cell count, or values would land in the wrong attributes.
  checkImportCsv(csv);
  log(`plan: ${plan.users.length} users, ${plan.skipped.length} skipped, ${plan.quarantined.length} quarantined, ${plan.groups.length} groups, ${plan.assignments.length} assignments`);

  const existing = new Set(await port.listGroupNames(userPoolId));
  for (const group of plan.groups) {
    if (existing.has(group.name)) continue;
    await port.createGroup(userPoolId, group);
    await sleep(interval);
  }

  const jobName = `restore-${loaded.manifest.runId}`.replace(/[^\w-]/g, '').slice(0, 128);
  const { jobId, preSignedUrl } = await port.createImportJob(userPoolId, jobName, options.importRoleArn);
  await port.uploadCsv(preSignedUrl, csv);
  await port.startImportJob(userPoolId, jobId);
  log(`import job ${jobId} started`);
  let job = await port.describeImportJob(userPoolId, jobId);
  while (!TERMINAL.has(job.status)) {
    await sleep(options.pollIntervalMs ?? 10_000);
    job = await port.describeImportJob(userPoolId, jobId);
  }
  log(`import job ${jobId}: ${job.status}, ${job.imported} imported, ${job.skipped} skipped, ${job.failed} failed`);
  if (job.status !== 'Succeeded') {
    throw new Error(`Import job ${jobId} ended ${job.status}: ${job.message ?? 'no message'}. Its CloudWatch Logs (/aws/cognito/userpools/${userPoolId}/...) list each failed row.`);
  }

  const byKey = new Map<string, { username: string; sub: string }>();
  for (const user of await port.listUsers(userPoolId)) {
    byKey.set((user.email ?? user.username).toLowerCase(), { username: user.username, sub: user.sub });
  }
  const unmapped = plan.users.filter((u) => !byKey.has(mappingKey(u))).map((u) => u.oldSub);

  let assignmentsDone = 0;
  for (const assignment of plan.assignments) {
    const target = byKey.get(mappingKey(plan.users.find((u) => u.oldSub === assignment.oldSub)!));
    if (!target) continue;
    await port.addUserToGroup(userPoolId, target.username, assignment.group);
    assignmentsDone++;
    await sleep(interval);
  }
  let disabled = 0;
  for (const user of plan.disable) {
    const target = byKey.get(mappingKey(user));
    if (!target) continue;
    await port.disableUser(userPoolId, target.username);
    disabled++;
    await sleep(interval);
  }

  return {
    plan,
    csv,
    job,
    mappingCsv: subMappingCsv(plan, byKey),
    mapped: plan.users.length - unmapped.length,
    unmapped,
    assignmentsDone,
    disabled,
  };
}
