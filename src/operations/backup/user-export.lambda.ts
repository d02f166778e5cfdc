/*
 * Scheduled user export. EventBridge Scheduler invokes it once a day (asynchronously) with
 * `{"source":"schedule","executionId":"<aws.scheduler.execution-id>"}`; the function invokes itself
 * with `{"checkpoint":{...}}` when a large pool needs more than one invocation. A checkpoint holds
 * pagination tokens, group names and counts, never user data. The function logs counts and keys
 * only, never user attributes or usernames.
 */
import { CognitoIdentityProviderClient, ListGroupsCommand, ListUsersCommand, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_MAC_ALGORITHM, MacGenerator } from './export-integrity';
import {
  CognitoPort,
  DEFAULT_EXPORTER_OPTIONS,
  ExportCheckpoint,
  ExporterDeps,
  ExporterOptions,
  StoragePort,
  isExportCheckpoint,
  newRun,
  runExport,
} from './user-exporter';
import {
  EXPORT_DURATION_METRIC,
  EXPORT_THROTTLE_RETRIES_METRIC,
  USERS_EXPORTED_METRIC,
  emfRecord,
} from '../metric-names';

export interface ScheduledEvent {
  readonly source: 'schedule' | 'manual';
  /** EventBridge Scheduler's execution ID: the same for every retry of one scheduled invocation. */
  readonly executionId?: string;
}

export interface ContinuationEvent {
  readonly checkpoint: ExportCheckpoint;
}

/** Lambda's limit on an asynchronous invocation's payload is 256 KB; stay under it. */
const MAX_CONTINUATION_BYTES = 240_000;

export type ExportEvent = ScheduledEvent | ContinuationEvent;

export interface LambdaContextLike {
  readonly invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

export interface HandlerEnvironment {
  readonly userPoolId: string;
  readonly bucketName: string;
  /** Key the exports are encrypted with; every PutObject names it, as the function's policy requires. */
  readonly kmsKeyArn?: string;
  /** The HMAC key that signs the manifest; the restore refuses an export without its signature. */
  readonly manifestKeyArn: string;
  readonly options: ExporterOptions;
}

export function readEnvironment(env: NodeJS.ProcessEnv): HandlerEnvironment {
  const userPoolId = env.USER_POOL_ID;
  const bucketName = env.BUCKET_NAME;
  if (!userPoolId || !bucketName) {
    throw new Error('USER_POOL_ID and BUCKET_NAME must be set; the construct sets both.');
  }
  const manifestKeyArn = env.MANIFEST_KEY_ARN;
  if (!manifestKeyArn || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(manifestKeyArn)) {
    throw new Error('MANIFEST_KEY_ARN must be the ARN of the KMS HMAC key that signs export manifests (arn:aws:kms:<region>:<account>:key/<id>); '
      + `got ${manifestKeyArn ? 'a value of another form' : 'nothing'}. The construct sets it.`);
  }
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`${name} must be a number; got "${raw}".`);
    return value;
  };
  return {
    userPoolId,
    bucketName,
    kmsKeyArn: env.KMS_KEY_ARN || undefined,
    manifestKeyArn,
    options: {
      ...DEFAULT_EXPORTER_OPTIONS,
      requestsPerSecond: number('REQUESTS_PER_SECOND', DEFAULT_EXPORTER_OPTIONS.requestsPerSecond),
      safetyMarginMs: number('SAFETY_MARGIN_SECONDS', DEFAULT_EXPORTER_OPTIONS.safetyMarginMs / 1000) * 1000,
      recordsPerFile: number('RECORDS_PER_FILE', DEFAULT_EXPORTER_OPTIONS.recordsPerFile),
    },
  };
}

/** Checks the event's shape and says what is expected when it is wrong. */
export function parseEvent(event: unknown): ExportEvent {
  const e = event as Record<string, unknown> | undefined;
  if (e && typeof e === 'object' && 'checkpoint' in e) {
    if (!isExportCheckpoint(e.checkpoint)) {
      throw new Error('Invalid user export continuation: "checkpoint" does not have the shape the exporter writes (runId, userPoolId, phase, files, counts...).');
    }
    return { checkpoint: e.checkpoint };
  }
  if (e && typeof e === 'object' && (e.source === 'schedule' || e.source === 'manual')) {
    return { source: e.source, executionId: typeof e.executionId === 'string' ? e.executionId : undefined };
  }
  throw new Error('Invalid user export event; expected {"source":"schedule"|"manual","executionId"?: string} '
    + 'or {"checkpoint":{...}} as the function sends itself.');
}

/** A run ID that is the same for every retry of one scheduled invocation, and safe in an S3 key. */
export function runIdFor(event: ScheduledEvent, now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const suffix = event.executionId
    ? event.executionId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 36)
    : random().toString(36).slice(2, 10);
  return `${stamp}-${suffix || 'run'}`;
}

export async function exportUsers(event: unknown, context: LambdaContextLike, deps: Omit<ExporterDeps, 'remainingMs' | 'continueWith'> & {
  readonly invoke: (functionArn: string, payload: ContinuationEvent) => Promise<void>;
}, environment: HandlerEnvironment) {
  const parsed = parseEvent(event);
  let start: ExportCheckpoint;
  if ('checkpoint' in parsed) {
    start = parsed.checkpoint;
    if (start.userPoolId !== environment.userPoolId) {
      throw new Error(`The checkpoint of run ${start.runId} belongs to user pool ${start.userPoolId}, not ${environment.userPoolId}; refusing to continue it.`);
    }
  } else {
    const now = new Date(deps.clock.now());
    start = newRun(environment.userPoolId, runIdFor(parsed, now), now.toISOString());
  }
  log('start', { runId: start.runId, phase: start.phase, invocation: start.invocations + 1 });

  const outcome = await runExport(start, {
    ...deps,
    remainingMs: () => context.getRemainingTimeInMillis(),
    continueWith: async (checkpoint) => {
      const payload: ContinuationEvent = { checkpoint };
      const size = Buffer.byteLength(JSON.stringify(payload));
      if (size > MAX_CONTINUATION_BYTES) {
        throw new Error(`The checkpoint is ${size} bytes, more than the ${MAX_CONTINUATION_BYTES} an asynchronous invocation carries; the pool has too many groups to export in several invocations.`);
      }
      await deps.invoke(context.invokedFunctionArn, payload);
    },
  }, environment.options);

  if (outcome.status === 'continued') {
    log('continued', { runId: start.runId, phase: outcome.checkpoint.phase, users: outcome.checkpoint.counts.users });
  } else {
    const { manifest } = outcome;
    const seconds = (Date.parse(manifest.completedAt) - Date.parse(manifest.startedAt)) / 1000;
    log('complete', { runId: manifest.runId, manifestKey: outcome.manifestKey, counts: manifest.counts, invocations: manifest.invocations });
    console.log(JSON.stringify(emfRecord(environment.userPoolId, [
      { name: USERS_EXPORTED_METRIC, value: manifest.counts.users, unit: 'Count' },
      { name: EXPORT_DURATION_METRIC, value: seconds, unit: 'Seconds' },
      { name: EXPORT_THROTTLE_RETRIES_METRIC, value: manifest.throttleRetries, unit: 'Count' },
    ])));
  }
  return { status: outcome.status, runId: start.runId };
}

function log(message: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ level: 'INFO', message, ...fields }));
}

let clients: { cognito: CognitoIdentityProviderClient; s3: S3Client; lambda: LambdaClient; kms: KMSClient } | undefined;

/** KMS GenerateMac with the manifest key (HMAC_256 keys take HMAC_SHA_256). */
export function kmsMacGenerator(kms: Pick<KMSClient, 'send'>, keyArn: string): MacGenerator {
  return {
    keyId: keyArn,
    generateMac: async (message) => {
      const out = await kms.send(new GenerateMacCommand({ KeyId: keyArn, MacAlgorithm: MANIFEST_MAC_ALGORITHM, Message: message }));
      if (!out.Mac) throw new Error('KMS GenerateMac returned no MAC; the manifest cannot be signed.');
      return out.Mac;
    },
  };
}

export async function handler(event: unknown, context: LambdaContextLike) {
  const environment = readEnvironment(process.env);
  clients ??= {
    cognito: new CognitoIdentityProviderClient({ maxAttempts: 1 }), s3: new S3Client({}), lambda: new LambdaClient({}), kms: new KMSClient({}),
  };
  const { cognito: idp, s3, lambda, kms } = clients;
  // The SDK's own retries are off for Cognito (maxAttempts 1): the exporter paces and backs off itself.
  const cognito: CognitoPort = {
    listUsers: (input) => idp.send(new ListUsersCommand(input)),
    listGroups: (input) => idp.send(new ListGroupsCommand(input)),
    listUsersInGroup: (input) => idp.send(new ListUsersInGroupCommand(input)),
  };
  const storage: StoragePort = {
    put: async (key, body, contentType) => {
      await s3.send(new PutObjectCommand({
        Bucket: environment.bucketName,
        Key: key,
        Body: body,
        ContentType: contentType,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: environment.kmsKeyArn,
        BucketKeyEnabled: true,
      }));
    },
  };
  return exportUsers(event, context, {
    cognito,
    storage,
    signer: kmsMacGenerator(kms, environment.manifestKeyArn),
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    invoke: async (functionArn, payload) => {
      await lambda.send(new InvokeCommand({ FunctionName: functionArn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
    },
  }, environment);
}
