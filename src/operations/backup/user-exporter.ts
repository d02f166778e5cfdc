/*
 * Exports a user pool's users, attributes, groups and memberships as JSON Lines, within
 * Cognito's request-rate quotas and across as many Lambda invocations as the pool needs.
 *
 * - ListUsers and ListUsersInGroup share the UserList category: 30 requests per second for the
 *   whole account and region, not adjustable. The exporter paces itself at a fraction of it
 *   (5 RPS by default) so sign-in traffic and the backend keep the rest.
 * - A throttled call is retried with exponential backoff and full jitter.
 * - Before each call it checks the invocation's remaining time; when less than the safety margin
 *   is left it writes what it has, saves a checkpoint with the pagination token, and hands the
 *   checkpoint to a fresh invocation in its event (a copy goes to the bucket for troubleshooting).
 *
 * All I/O goes through ports so that tests can drive it with stubs and a fake clock.
 */
import {
  ExportCounts,
  ExportFiles,
  ExportManifest,
  ExportedGroup,
  ExportedMembership,
  ExportedUser,
  EXPORT_SCHEMA_VERSION,
  MANIFEST_FILE,
  NOT_EXPORTED,
  checkpointKey,
  exportPrefix,
  partFileName,
  toJsonLines,
} from './export-format';
import { MANIFEST_MAC_ALGORITHM, MacGenerator, manifestMacMessage, sha256Hex } from './export-integrity';

type Attributes = { Name?: string; Value?: string }[];

/** A user as ListUsers returns it. */
export interface ListedUser {
  readonly Username?: string;
  readonly Attributes?: Attributes;
  readonly Enabled?: boolean;
  readonly UserStatus?: string;
  readonly UserCreateDate?: Date;
  readonly UserLastModifiedDate?: Date;
}

/** The Cognito calls the exporter makes, with the SDK's request and response shapes. */
export interface CognitoPort {
  listUsers(input: { UserPoolId: string; Limit: number; PaginationToken?: string }): Promise<{ Users?: ListedUser[]; PaginationToken?: string }>;
  listGroups(input: { UserPoolId: string; Limit: number; NextToken?: string }): Promise<{
    Groups?: { GroupName?: string; Description?: string; Precedence?: number }[];
    NextToken?: string;
  }>;
  listUsersInGroup(input: { UserPoolId: string; GroupName: string; Limit: number; NextToken?: string }): Promise<{
    Users?: { Username?: string; Attributes?: Attributes }[];
    NextToken?: string;
  }>;
}

/** Object storage for export files and checkpoint copies (the backup bucket). Write-only. */
export interface StoragePort {
  put(key: string, body: string, contentType: string): Promise<void>;
}

/** Time, so tests can run without waiting. */
export interface ClockPort {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type ExportPhase = 'users' | 'groups' | 'memberships' | 'manifest' | 'done';

/** Everything needed to continue a run in another invocation. Contains no user data. */
export interface ExportCheckpoint {
  readonly runId: string;
  readonly userPoolId: string;
  readonly startedAt: string;
  readonly phase: ExportPhase;
  readonly token?: string;
  readonly groupNames: string[];
  readonly groupIndex: number;
  readonly userPart: number;
  readonly membershipPart: number;
  readonly files: ExportFiles;
  /** SHA-256 of each file written so far (hashes of files, no user data). */
  readonly digests?: Record<string, string>;
  readonly counts: ExportCounts;
  readonly invocations: number;
  readonly throttleRetries: number;
}

export interface ExporterOptions {
  /** Cognito calls per second the exporter allows itself. */
  readonly requestsPerSecond: number;
  /** Time left in the invocation below which the exporter checkpoints instead of calling Cognito again. */
  readonly safetyMarginMs: number;
  /** Users or memberships per JSON Lines file. */
  readonly recordsPerFile: number;
  /** Attempts per call before a throttled call fails the run. */
  readonly maxAttempts: number;
  /** First backoff delay; it doubles per attempt up to `maxBackoffMs`. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_EXPORTER_OPTIONS: ExporterOptions = {
  requestsPerSecond: 5,
  safetyMarginMs: 60_000,
  recordsPerFile: 10_000,
  maxAttempts: 8,
  baseBackoffMs: 200,
  maxBackoffMs: 10_000,
};

/** The largest page ListUsers, ListGroups and ListUsersInGroup return. */
export const PAGE_SIZE = 60;
/** The UserList category quota (ListUsers, ListUsersInGroup): requests per second, not adjustable. */
export const USER_LIST_QUOTA_RPS = 30;

export interface ExporterDeps {
  readonly cognito: CognitoPort;
  readonly storage: StoragePort;
  readonly clock: ClockPort;
  /** Milliseconds left in the current invocation. */
  readonly remainingMs: () => number;
  /** Starts the next invocation with the checkpoint (a copy is kept at `key` for troubleshooting). */
  readonly continueWith: (checkpoint: ExportCheckpoint, key: string) => Promise<void>;
  /** Random number in [0, 1) for jitter. */
  readonly random?: () => number;
  /**
   * Signs the manifest (KMS GenerateMac in the Lambda). The restore refuses an unsigned export, so
   * only tests of the export's pacing and pagination leave it out.
   */
  readonly signer?: MacGenerator;
}

export type ExportOutcome =
  | { readonly status: 'complete'; readonly manifestKey: string; readonly manifest: ExportManifest }
  | { readonly status: 'continued'; readonly checkpointKey: string; readonly checkpoint: ExportCheckpoint };

const THROTTLE_ERRORS = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException']);

export function isThrottle(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return !!e && (THROTTLE_ERRORS.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429);
}

const PHASES: ExportPhase[] = ['users', 'groups', 'memberships', 'manifest', 'done'];

/** Whether `value` has the shape of a checkpoint; a continuation event is checked with it. */
export function isExportCheckpoint(value: unknown): value is ExportCheckpoint {
  const v = value as ExportCheckpoint;
  return !!v && typeof v === 'object' && typeof v.runId === 'string' && /^[A-Za-z0-9-]{1,80}$/.test(v.runId)
    && typeof v.userPoolId === 'string' && typeof v.startedAt === 'string' && PHASES.includes(v.phase)
    && (v.token === undefined || typeof v.token === 'string')
    && Array.isArray(v.groupNames) && v.groupNames.every((g) => typeof g === 'string')
    && Number.isInteger(v.groupIndex) && Number.isInteger(v.userPart) && Number.isInteger(v.membershipPart)
    && !!v.files && Array.isArray(v.files.users) && Array.isArray(v.files.groups) && Array.isArray(v.files.memberships)
    && (v.digests === undefined || (!!v.digests && typeof v.digests === 'object' && Object.values(v.digests).every((d) => typeof d === 'string' && /^[0-9a-f]{64}$/.test(d))))
    && !!v.counts && typeof v.counts.users === 'number' && typeof v.counts.groups === 'number' && typeof v.counts.memberships === 'number'
    && Number.isInteger(v.invocations) && Number.isInteger(v.throttleRetries);
}

export function validateExporterOptions(options: ExporterOptions): void {
  const { requestsPerSecond, safetyMarginMs, recordsPerFile, maxAttempts } = options;
  if (!(requestsPerSecond > 0 && requestsPerSecond <= USER_LIST_QUOTA_RPS - 5)) {
    throw new Error(`requestsPerSecond ${requestsPerSecond} is out of range; allowed: more than 0 and at most ${USER_LIST_QUOTA_RPS - 5}, leaving the rest of the ${USER_LIST_QUOTA_RPS} RPS UserList quota to the application.`);
  }
  if (!(safetyMarginMs >= 5_000)) throw new Error(`safetyMarginMs ${safetyMarginMs} is too small; allowed: at least 5000.`);
  if (!(Number.isInteger(recordsPerFile) && recordsPerFile >= 1)) throw new Error(`recordsPerFile ${recordsPerFile} must be a whole number of at least 1.`);
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) throw new Error(`maxAttempts ${maxAttempts} must be a whole number of at least 1.`);
}

/** A new run's initial checkpoint. */
export function newRun(userPoolId: string, runId: string, startedAt: string): ExportCheckpoint {
  return {
    runId,
    userPoolId,
    startedAt,
    phase: 'users',
    groupNames: [],
    groupIndex: 0,
    userPart: 1,
    membershipPart: 1,
    files: { users: [], groups: [], memberships: [] },
    counts: { users: 0, groups: 0, memberships: 0 },
    invocations: 0,
    throttleRetries: 0,
  };
}

/** Runs one invocation's worth of the export from `start`. */
export async function runExport(
  start: ExportCheckpoint, deps: ExporterDeps, options: ExporterOptions = DEFAULT_EXPORTER_OPTIONS,
): Promise<ExportOutcome> {
  validateExporterOptions(options);
  const random = deps.random ?? Math.random;
  const prefix = exportPrefix(start.runId, start.startedAt);
  const minIntervalMs = 1000 / options.requestsPerSecond;
  // A continued run paces its first call too, so the pace holds across the invocation boundary.
  let lastCallAt = start.invocations > 0 ? deps.clock.now() : Number.NEGATIVE_INFINITY;
  let callsThisInvocation = 0;

  // Mutable working copy of the checkpoint.
  const state = {
    ...start,
    groupNames: [...start.groupNames],
    files: { users: [...start.files.users], groups: [...start.files.groups], memberships: [...start.files.memberships] },
    digests: { ...start.digests } as Record<string, string>,
    counts: { ...start.counts },
    invocations: start.invocations + 1,
  };
  const users: ExportedUser[] = [];
  const groups: ExportedGroup[] = [];
  const memberships: ExportedMembership[] = [];

  async function paced<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const wait = lastCallAt + minIntervalMs - deps.clock.now();
      if (wait > 0) await deps.clock.sleep(wait);
      lastCallAt = deps.clock.now();
      callsThisInvocation++;
      try {
        return await call();
      } catch (error) {
        if (!isThrottle(error) || attempt >= options.maxAttempts) throw error;
        state.throttleRetries++;
        const ceiling = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** (attempt - 1));
        await deps.clock.sleep(Math.max(minIntervalMs, random() * ceiling));
      }
    }
  }

  /** Writes one export file and records its digest for the manifest. */
  async function putFile(name: string, body: string): Promise<void> {
    await deps.storage.put(prefix + name, body, 'application/x-ndjson');
    state.digests[name] = sha256Hex(body);
  }

  async function flushUsers(): Promise<void> {
    if (users.length === 0) return;
    const name = partFileName('users', state.userPart++);
    await putFile(name, toJsonLines(users));
    state.files.users.push(name);
    users.length = 0;
  }

  async function flushMemberships(): Promise<void> {
    if (memberships.length === 0) return;
    const name = partFileName('memberships', state.membershipPart++);
    await putFile(name, toJsonLines(memberships));
    state.files.memberships.push(name);
    memberships.length = 0;
  }

  while (state.phase !== 'manifest' && state.phase !== 'done') {
    if (deps.remainingMs() < options.safetyMarginMs) {
      if (callsThisInvocation === 0) {
        // Continuing now would start an endless chain of invocations that each do nothing.
        throw new Error(`Only ${deps.remainingMs()} ms were left at the start of the invocation, less than the ${options.safetyMarginMs} ms safety margin; `
          + 'raise the function timeout or lower SAFETY_MARGIN_SECONDS.');
      }
      await flushUsers();
      await flushMemberships();
      const checkpoint: ExportCheckpoint = { ...state };
      const key = checkpointKey(state.runId);
      await deps.storage.put(key, JSON.stringify(checkpoint), 'application/json');
      await deps.continueWith(checkpoint, key);
      return { status: 'continued', checkpointKey: key, checkpoint };
    }

    if (state.phase === 'users') {
      const page = await paced(() => deps.cognito.listUsers({ UserPoolId: state.userPoolId, Limit: PAGE_SIZE, PaginationToken: state.token }));
      for (const user of page.Users ?? []) {
        users.push(toExportedUser(user));
        state.counts.users++;
        if (users.length >= options.recordsPerFile) await flushUsers();
      }
      state.token = page.PaginationToken;
      if (!state.token) {
        await flushUsers();
        state.phase = 'groups';
      }
    } else if (state.phase === 'groups') {
      // Groups are few (at most 10,000 per pool); they are listed in one invocation.
      let token: string | undefined;
      do {
        const page = await paced(() => deps.cognito.listGroups({ UserPoolId: state.userPoolId, Limit: PAGE_SIZE, NextToken: token }));
        for (const group of page.Groups ?? []) {
          if (!group.GroupName) continue;
          groups.push({ name: group.GroupName, description: group.Description, precedence: group.Precedence });
        }
        token = page.NextToken;
      } while (token);
      const name = partFileName('groups', 1);
      await putFile(name, toJsonLines(groups));
      state.files.groups = [name];
      state.counts.groups = groups.length;
      state.groupNames = groups.map((g) => g.name);
      state.groupIndex = 0;
      state.token = undefined;
      state.phase = 'memberships';
    } else {
      const groupName = state.groupNames[state.groupIndex];
      if (groupName === undefined) {
        await flushMemberships();
        state.phase = 'manifest';
        break;
      }
      const page = await paced(() => deps.cognito.listUsersInGroup({
        UserPoolId: state.userPoolId, GroupName: groupName, Limit: PAGE_SIZE, NextToken: state.token,
      }));
      for (const user of page.Users ?? []) {
        if (!user.Username) continue;
        memberships.push({ group: groupName, username: user.Username, sub: attribute(user.Attributes, 'sub') });
        state.counts.memberships++;
        if (memberships.length >= options.recordsPerFile) await flushMemberships();
      }
      state.token = page.NextToken;
      if (!state.token) state.groupIndex++;
    }
  }

  const listed = [...state.files.users, ...state.files.groups, ...state.files.memberships];
  const undigested = listed.filter((name) => state.digests[name] === undefined);
  if (undigested.length > 0) {
    // A run continued from a checkpoint written before digests existed cannot vouch for its files.
    throw new Error(`Run ${state.runId} has no digest for ${undigested.join(', ')}; start a new export run.`);
  }
  const unsigned: ExportManifest = {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    userPoolId: state.userPoolId,
    runId: state.runId,
    startedAt: state.startedAt,
    completedAt: new Date(deps.clock.now()).toISOString(),
    invocations: state.invocations,
    throttleRetries: state.throttleRetries,
    counts: state.counts,
    files: state.files,
    notExported: NOT_EXPORTED,
    digests: Object.fromEntries(listed.map((name) => [name, state.digests[name]])),
  };
  const manifest: ExportManifest = deps.signer
    ? {
      ...unsigned,
      signature: {
        algorithm: MANIFEST_MAC_ALGORITHM,
        keyId: deps.signer.keyId,
        mac: Buffer.from(await deps.signer.generateMac(manifestMacMessage(unsigned))).toString('base64'),
      },
    }
    : unsigned;
  const manifestKey = prefix + MANIFEST_FILE;
  await deps.storage.put(manifestKey, JSON.stringify(manifest, null, 2) + '\n', 'application/json');
  return { status: 'complete', manifestKey, manifest };
}

function attribute(attributes: Attributes | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value;
}

function toExportedUser(user: ListedUser): ExportedUser {
  const attributes: Record<string, string> = {};
  for (const { Name, Value } of user.Attributes ?? []) {
    if (Name !== undefined && Value !== undefined) attributes[Name] = Value;
  }
  if (!user.Username) throw new Error('ListUsers returned a user without a Username; the export cannot identify it.');
  return {
    username: user.Username,
    sub: attributes.sub ?? '',
    enabled: user.Enabled ?? true,
    status: user.UserStatus ?? 'UNKNOWN',
    createdAt: user.UserCreateDate?.toISOString(),
    lastModifiedAt: user.UserLastModifiedDate?.toISOString(),
    attributes,
  };
}
