/*
 * Rotates the backend app client's secret with Cognito's client secret API, which keeps up to two
 * active secrets per app client, so a rotation never invalidates the secret the backend is using.
 *
 * Secrets Manager invokes it for the four rotation steps:
 * - createSecret: Cognito generates a second secret (AddUserPoolClientSecret); it is stored as the
 *   AWSPENDING version together with its ClientSecretId. Both the old and the new secret are valid.
 * - setSecret: confirms that the pending secret is active on the client (ListUserPoolClientSecrets).
 * - testSecret: checks that the pending value belongs to this pool and client and is active on it.
 * - finishSecret: moves AWSCURRENT to the new version. The old secret stays valid.
 * An hourly EventBridge event ({"action": "deleteExpiredClientSecrets"}) deletes secrets that stopped
 * being AWSCURRENT more than the grace period ago (DeleteUserPoolClientSecret).
 *
 * Every step can be rerun after a failure and ends in the same state. No secret value is ever
 * logged or put in an error message: errors from the SDK are redacted before they leave.
 */
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = typeof ROTATION_STEPS[number];
export const CLEANUP_ACTION = 'deleteExpiredClientSecrets';

/** The event Secrets Manager sends for each rotation step. */
export interface RotationEvent {
  readonly Step: RotationStep;
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

/** The event the hourly schedule sends. */
export interface CleanupEvent {
  readonly action: typeof CLEANUP_ACTION;
}

/** The JSON value of every version of the secret. */
export interface ClientSecretValue {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Cognito's identifier of `clientSecret`; absent on the value written when the client was created. */
  readonly clientSecretId?: string;
}

/** What the cleanup did, by ClientSecretId (identifiers, never values). */
export interface CleanupResult {
  readonly deleted: string[];
  readonly kept: string[];
  readonly note?: string;
}

interface Config {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly secretArn: string;
  readonly gracePeriodMs: number;
}

interface ListedSecret {
  readonly id: string;
  readonly createdAt: number;
}

/** A secret created after the current one became current, by a createSecret whose value was never stored, is deletable once this old. */
export const ORPHAN_MINIMUM_AGE_MS = 15 * 60 * 1000;
const CLIENT_SECRET_PATTERN = /^[\w+]{24,64}$/;
const REQUIRED_ENVIRONMENT = ['USER_POOL_ID', 'CLIENT_ID', 'SECRET_ARN', 'GRACE_PERIOD_SECONDS'];

const cognito = new CognitoIdentityProviderClient({});
const secretsManager = new SecretsManagerClient({});

export async function handler(event: RotationEvent | CleanupEvent): Promise<CleanupResult | void> {
  const knownValues = new Set<string>();
  try {
    const config = readConfig();
    if (isCleanupEvent(event)) {
      return await deleteExpiredSecrets(config, knownValues);
    }
    const { Step, SecretId, ClientRequestToken } = validateRotationEvent(event, config);
    log('INFO', 'step started', { step: Step, token: ClientRequestToken });
    const metadata = await describeSecret(SecretId);
    if (!metadata.rotationEnabled) {
      throw new Error(`Rotation is not enabled on secret ${SecretId}; enable it before rotating.`);
    }
    const stages = metadata.versions[ClientRequestToken];
    if (!stages) {
      throw new Error(`Version ${ClientRequestToken} is not a version of secret ${SecretId}.`);
    }
    if (stages.includes('AWSCURRENT')) {
      log('INFO', 'version is already AWSCURRENT; nothing to do', { step: Step, token: ClientRequestToken });
      return;
    }
    if (!stages.includes('AWSPENDING')) {
      throw new Error(`Version ${ClientRequestToken} of secret ${SecretId} is not staged AWSPENDING (stages: ${stages.join(', ') || 'none'}).`);
    }
    switch (Step) {
      case 'createSecret':
        await createSecret(config, ClientRequestToken, metadata, knownValues);
        break;
      case 'setSecret':
        await setSecret(config, ClientRequestToken, knownValues);
        break;
      case 'testSecret':
        await testSecret(config, ClientRequestToken, knownValues);
        break;
      case 'finishSecret':
        await finishSecret(config, ClientRequestToken, metadata);
        break;
    }
    log('INFO', 'step finished', { step: Step, token: ClientRequestToken });
  } catch (error) {
    const safe = redact(error, knownValues);
    log('ERROR', 'rotation failed', { reason: safe.message });
    throw safe;
  }
}

function readConfig(): Config {
  const missing = REQUIRED_ENVIRONMENT.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`Missing environment variables: ${missing.join(', ')}. Required: ${REQUIRED_ENVIRONMENT.join(', ')}.`);
  }
  const graceSeconds = Number(process.env.GRACE_PERIOD_SECONDS);
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0) {
    throw new Error(`GRACE_PERIOD_SECONDS must be a whole number of seconds, got "${process.env.GRACE_PERIOD_SECONDS}".`);
  }
  return {
    userPoolId: process.env.USER_POOL_ID!,
    clientId: process.env.CLIENT_ID!,
    secretArn: process.env.SECRET_ARN!,
    gracePeriodMs: graceSeconds * 1000,
  };
}

function isCleanupEvent(event: unknown): event is CleanupEvent {
  return typeof event === 'object' && event !== null && (event as { action?: unknown }).action === CLEANUP_ACTION;
}

function validateRotationEvent(event: unknown, config: Config): RotationEvent {
  const candidate = (typeof event === 'object' && event !== null ? event : {}) as Partial<Record<keyof RotationEvent, unknown>>;
  const problems: string[] = [];
  if (!ROTATION_STEPS.includes(candidate.Step as RotationStep)) {
    problems.push(`Step ${JSON.stringify(candidate.Step)} (expected one of ${ROTATION_STEPS.join(', ')})`);
  }
  if (typeof candidate.ClientRequestToken !== 'string' || candidate.ClientRequestToken === '') {
    problems.push('ClientRequestToken (expected a non-empty string)');
  }
  if (candidate.SecretId !== config.secretArn) {
    problems.push(`SecretId ${JSON.stringify(candidate.SecretId)} (this function rotates only ${config.secretArn})`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid rotation event: ${problems.join('; ')}. Expected a Secrets Manager rotation event or {"action": "${CLEANUP_ACTION}"}.`);
  }
  return candidate as RotationEvent;
}

interface SecretMetadata {
  readonly rotationEnabled: boolean;
  readonly versions: Record<string, string[]>;
  readonly currentVersionId?: string;
  readonly pendingVersionId?: string;
  /** When the current version became current: the later of the last rotation and the current version's creation. */
  readonly currentSince?: number;
}

async function describeSecret(secretId: string): Promise<SecretMetadata> {
  const described = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  const versions = described.VersionIdsToStages ?? {};
  const find = (stage: string) => Object.keys(versions).find((id) => versions[id].includes(stage));
  const currentVersionId = find('AWSCURRENT');
  const pendingVersionId = find('AWSPENDING');
  const lastRotated = described.LastRotatedDate?.getTime();
  let currentCreated: number | undefined;
  if (currentVersionId) {
    let nextToken: string | undefined;
    do {
      const page = await secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: secretId, NextToken: nextToken }));
      const match = page.Versions?.find((v) => v.VersionId === currentVersionId);
      if (match?.CreatedDate) currentCreated = match.CreatedDate.getTime();
      nextToken = match ? undefined : page.NextToken;
    } while (nextToken);
  }
  const candidates = [lastRotated, currentCreated].filter((t): t is number => typeof t === 'number');
  return {
    rotationEnabled: described.RotationEnabled === true,
    versions,
    currentVersionId,
    pendingVersionId: pendingVersionId !== currentVersionId ? pendingVersionId : undefined,
    currentSince: candidates.length > 0 ? Math.max(...candidates) : undefined,
  };
}

async function readVersion(
  config: Config, selector: { VersionId: string } | { VersionStage: string }, knownValues: Set<string>,
): Promise<ClientSecretValue | undefined> {
  let secretString: string | undefined;
  try {
    const result = await secretsManager.send(new GetSecretValueCommand({ SecretId: config.secretArn, ...selector }));
    secretString = result.SecretString;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
  if (secretString === undefined) return undefined;
  knownValues.add(secretString);
  const what = 'VersionId' in selector ? `version ${selector.VersionId}` : `stage ${selector.VersionStage}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new Error(`The ${what} of ${config.secretArn} is not JSON; expected {"userPoolId", "clientId", "clientSecret"}.`);
  }
  const value = parsed as Partial<ClientSecretValue>;
  if (typeof value.clientSecret === 'string') knownValues.add(value.clientSecret);
  const problems: string[] = [];
  if (value.userPoolId !== config.userPoolId) problems.push(`userPoolId ${JSON.stringify(value.userPoolId)} is not ${config.userPoolId}`);
  if (value.clientId !== config.clientId) problems.push(`clientId ${JSON.stringify(value.clientId)} is not ${config.clientId}`);
  if (typeof value.clientSecret !== 'string' || !CLIENT_SECRET_PATTERN.test(value.clientSecret)) {
    problems.push('clientSecret is missing or not 24-64 word characters');
  }
  if (value.clientSecretId !== undefined && typeof value.clientSecretId !== 'string') problems.push('clientSecretId is not a string');
  if (problems.length > 0) {
    throw new Error(`The ${what} of ${config.secretArn} is malformed: ${problems.join('; ')}.`);
  }
  return value as ClientSecretValue;
}

async function listClientSecrets(config: Config): Promise<ListedSecret[]> {
  const listed: ListedSecret[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolClientSecretsCommand({
      UserPoolId: config.userPoolId, ClientId: config.clientId, NextToken: nextToken,
    }));
    for (const s of page.ClientSecrets ?? []) {
      if (s.ClientSecretId) listed.push({ id: s.ClientSecretId, createdAt: s.ClientSecretCreateDate?.getTime() ?? 0 });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return listed;
}

type Disposition = 'current' | 'pending' | 'orphan' | 'expired' | 'in-grace';

interface Classified extends ListedSecret {
  readonly disposition: Disposition;
}

interface Classification {
  readonly secrets: Classified[];
  /** The ClientSecretId of AWSCURRENT, stored or inferred; undefined when it cannot be told. */
  readonly currentId?: string;
  readonly graceEndsAt?: number;
}

/**
 * Sorts the client's active secrets into the one AWSCURRENT holds, the one AWSPENDING holds, and the
 * others: superseded ones (deletable once the grace period has passed since the current version became
 * current) and orphans left by a createSecret that failed between AddUserPoolClientSecret and storing.
 */
function classify(
  listed: ListedSecret[], current: ClientSecretValue, pendingId: string | undefined,
  metadata: SecretMetadata, config: Config, now: number,
): Classification {
  const currentSince = metadata.currentSince ?? now;
  let currentId = current.clientSecretId;
  if (currentId === undefined) {
    // The value written when the client was created carries no identifier. The secret it holds was
    // created before the current version became current; if exactly one listed secret was, it is that one.
    const candidates = listed.filter((s) => s.id !== pendingId && s.createdAt <= currentSince);
    if (candidates.length === 1) currentId = candidates[0].id;
  }
  const graceEndsAt = currentSince + config.gracePeriodMs;
  const secrets = listed.map((s): Classified => {
    let disposition: Disposition;
    if (currentId === undefined) disposition = s.id === pendingId ? 'pending' : 'current';
    else if (s.id === currentId) disposition = 'current';
    else if (s.id === pendingId) disposition = 'pending';
    else if (s.createdAt > currentSince) disposition = 'orphan';
    else if (now >= graceEndsAt) disposition = 'expired';
    else disposition = 'in-grace';
    return { ...s, disposition };
  });
  return { secrets, currentId, graceEndsAt };
}

async function deleteClientSecret(config: Config, id: string): Promise<void> {
  try {
    await cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: config.userPoolId, ClientId: config.clientId, ClientSecretId: id }));
  } catch (error) {
    // Deleted already, by an earlier attempt of the same step.
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  log('INFO', 'deleted client secret', { clientSecretId: id });
}

async function createSecret(config: Config, token: string, metadata: SecretMetadata, knownValues: Set<string>): Promise<void> {
  if (await readVersion(config, { VersionId: token }, knownValues)) {
    log('INFO', 'pending version already holds a new client secret', { token });
    return;
  }
  const current = await readVersion(config, { VersionStage: 'AWSCURRENT' }, knownValues);
  if (!current) {
    throw new Error(`Secret ${config.secretArn} has no AWSCURRENT value yet; the client secret sync writes it when the stack is deployed.`);
  }
  const now = Date.now();
  const { secrets, currentId, graceEndsAt } = classify(await listClientSecrets(config), current, undefined, metadata, config, now);
  if (currentId === undefined && secrets.length > 1) {
    throw new Error(`Cannot tell which of the ${secrets.length} active secrets of client ${config.clientId} the AWSCURRENT version holds `
      + `(${secrets.map((s) => s.id).join(', ')}); delete the one not in use with DeleteUserPoolClientSecret, then rotate again.`);
  }
  // createSecret runs once at a time per secret, so an orphan of any age is an earlier attempt's.
  for (const s of secrets.filter((x) => x.disposition === 'orphan' || x.disposition === 'expired')) {
    await deleteClientSecret(config, s.id);
  }
  const remaining = secrets.filter((s) => s.disposition === 'current' || s.disposition === 'in-grace');
  if (remaining.length >= 2) {
    const inGrace = remaining.filter((s) => s.disposition === 'in-grace').map((s) => s.id);
    throw new Error(`Client ${config.clientId} already has two active secrets; the previous one (${inGrace.join(', ')}) stays valid until `
      + `${new Date(graceEndsAt!).toISOString()} (grace period). Rotate after then, or delete it with DeleteUserPoolClientSecret to rotate now.`);
  }
  const added = await cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: config.userPoolId, ClientId: config.clientId }));
  const descriptor = added.ClientSecretDescriptor;
  if (descriptor?.ClientSecretValue) knownValues.add(descriptor.ClientSecretValue);
  if (!descriptor?.ClientSecretId || !descriptor.ClientSecretValue) {
    throw new Error(`AddUserPoolClientSecret returned no secret identifier or value for client ${config.clientId}.`);
  }
  const value: ClientSecretValue = {
    userPoolId: config.userPoolId,
    clientId: config.clientId,
    clientSecret: descriptor.ClientSecretValue,
    clientSecretId: descriptor.ClientSecretId,
  };
  await secretsManager.send(new PutSecretValueCommand({
    SecretId: config.secretArn,
    ClientRequestToken: token,
    SecretString: JSON.stringify(value),
    VersionStages: ['AWSPENDING'],
  }));
  log('INFO', 'created pending client secret', { token, clientSecretId: descriptor.ClientSecretId });
}

async function setSecret(config: Config, token: string, knownValues: Set<string>): Promise<void> {
  const pending = await requirePending(config, token, knownValues);
  if (pending.clientSecretId === undefined) return assertIsCurrentCopy(config, token, pending, knownValues);
  await assertActive(config, pending.clientSecretId, token);
  log('INFO', 'pending client secret is active on the client', { token, clientSecretId: pending.clientSecretId });
}

async function testSecret(config: Config, token: string, knownValues: Set<string>): Promise<void> {
  // readVersion checks the pool, the client and the secret's format.
  const pending = await requirePending(config, token, knownValues);
  if (pending.clientSecretId === undefined) return assertIsCurrentCopy(config, token, pending, knownValues);
  await assertActive(config, pending.clientSecretId, token);
  log('INFO', 'pending client secret passed the test', { token, clientSecretId: pending.clientSecretId });
}

async function finishSecret(config: Config, token: string, metadata: SecretMetadata): Promise<void> {
  await secretsManager.send(new UpdateSecretVersionStageCommand({
    SecretId: config.secretArn,
    VersionStage: 'AWSCURRENT',
    MoveToVersionId: token,
    RemoveFromVersionId: metadata.currentVersionId,
  }));
  log('INFO', 'new client secret is AWSCURRENT; the previous one stays valid for the grace period',
    { token, gracePeriodSeconds: config.gracePeriodMs / 1000 });
}

async function requirePending(config: Config, token: string, knownValues: Set<string>): Promise<ClientSecretValue> {
  const pending = await readVersion(config, { VersionId: token }, knownValues);
  if (!pending) {
    throw new Error(`Version ${token} of ${config.secretArn} has no value; run createSecret first.`);
  }
  return pending;
}

/** A pending version without an identifier is only accepted as a copy of the current value (a configuration test). */
async function assertIsCurrentCopy(config: Config, token: string, pending: ClientSecretValue, knownValues: Set<string>): Promise<void> {
  const current = await readVersion(config, { VersionStage: 'AWSCURRENT' }, knownValues);
  if (!current || current.clientSecret !== pending.clientSecret) {
    throw new Error(`Version ${token} of ${config.secretArn} has no clientSecretId and is not the current value; `
      + 'cancel this rotation and rotate again so that createSecret stores a new secret.');
  }
  log('INFO', 'pending version repeats the current value; nothing to change', { token });
}

async function assertActive(config: Config, clientSecretId: string, token: string): Promise<void> {
  const listed = await listClientSecrets(config);
  if (!listed.some((s) => s.id === clientSecretId)) {
    throw new Error(`The pending client secret ${clientSecretId} (version ${token}) is not active on client ${config.clientId}; `
      + 'it was deleted outside the rotation. Cancel this rotation and rotate again.');
  }
}

async function deleteExpiredSecrets(config: Config, knownValues: Set<string>): Promise<CleanupResult> {
  const metadata = await describeSecret(config.secretArn);
  const current = await readVersion(config, { VersionStage: 'AWSCURRENT' }, knownValues);
  if (!current) {
    return report({ deleted: [], kept: [], note: 'the secret has no AWSCURRENT value yet' });
  }
  const pending = metadata.pendingVersionId
    ? await readVersion(config, { VersionId: metadata.pendingVersionId }, knownValues)
    : undefined;
  const now = Date.now();
  const { secrets, currentId } = classify(await listClientSecrets(config), current, pending?.clientSecretId, metadata, config, now);
  if (currentId === undefined) {
    return report({ deleted: [], kept: secrets.map((s) => s.id), note: 'cannot tell which active secret AWSCURRENT holds; nothing deleted' });
  }
  const deletable = secrets.filter((s) => s.disposition === 'expired'
    || (s.disposition === 'orphan' && now - s.createdAt >= ORPHAN_MINIMUM_AGE_MS));
  for (const s of deletable) {
    await deleteClientSecret(config, s.id);
  }
  return report({
    deleted: deletable.map((s) => s.id),
    kept: secrets.filter((s) => !deletable.includes(s)).map((s) => s.id),
  });
}

function report(result: CleanupResult): CleanupResult {
  log('INFO', 'cleanup finished', { ...result });
  return result;
}

/** Rebuilds an error with every known secret value replaced, so neither the log nor Secrets Manager sees one. */
function redact(error: unknown, knownValues: Set<string>): Error {
  const name = error instanceof Error ? error.name : 'Error';
  let message = error instanceof Error ? error.message : 'Unknown error';
  for (const value of knownValues) {
    if (value.length >= 8) message = message.split(value).join('[REDACTED]');
  }
  // Anything shaped like a client secret that was not known is redacted too.
  message = message.replace(/\b[a-z0-9]{40,64}\b/gi, '[REDACTED]');
  const safe = new Error(`${name}: ${message}`.slice(0, 1000));
  safe.name = 'ClientSecretRotationError';
  return safe;
}

function log(level: 'INFO' | 'ERROR', message: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ level, message, ...fields }));
}
