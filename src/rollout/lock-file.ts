import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The replacement-relevant settings of one guarded `MedflowCognito`, as recorded in the lock file.
 * Every value is the resolved CloudFormation value; `null` stands for "not set".
 */
export interface LockedResources {
  readonly userPool: Record<string, unknown>;
  readonly domain?: Record<string, unknown>;
  readonly identityPool?: Record<string, unknown>;
  /** The pool's `AWS::Cognito::UserPoolReplica`, when a `MedflowCognitoReplica` adds one. */
  readonly userPoolReplica?: Record<string, unknown>;
}

export interface LockFileContent {
  readonly version: number;
  readonly about: string;
  readonly constructs: Record<string, LockedResources>;
}

export const LOCK_FILE_VERSION = 1;
const ABOUT = 'Settings of the Cognito user pool, hosted UI domain and identity pool that CloudFormation cannot change '
  + 'in place. Commit this file. A change to them fails synthesis unless acknowledged; see docs/deployment.md.';

/** One difference between the lock file and the synthesized template. */
export interface LockDifference {
  /** `UserPool.Schema[clinic_id]`, `Domain.Domain`, ... */
  readonly property: string;
  readonly before: unknown;
  readonly after: unknown;
  /** Whether CloudFormation can apply the difference in place (a new optional attribute, a new domain). */
  readonly allowed: boolean;
  /** What happens on deploy, in plain words. */
  readonly consequence: string;
}

const POOL_LOST = 'every user and password would be lost';

/** The differences between a locked entry and the current one, in a stable order. */
export function compareLocked(before: LockedResources, after: LockedResources): LockDifference[] {
  const diffs: LockDifference[] = [];
  comparePool(before.userPool, after.userPool, diffs);
  compareOptional('Domain', before.domain, after.domain, diffs, {
    removed: 'CloudFormation would delete the hosted UI domain: sign-in links, OAuth callbacks and federation metadata URLs stop working, and the prefix may be taken by another account',
    changed: 'CloudFormation would replace the hosted UI domain: the old sign-in URL, OAuth endpoints and identity provider reply URLs stop working',
  });
  compareOptional('IdentityPool', before.identityPool, after.identityPool, diffs, {
    removed: 'CloudFormation would delete the identity pool: every identity ID is lost and clients holding one can no longer get AWS credentials',
    changed: 'CloudFormation would replace the identity pool: every identity ID is lost and clients holding one can no longer get AWS credentials',
  });
  compareOptional('UserPoolReplica', before.userPoolReplica, after.userPoolReplica, diffs, {
    created: 'CloudFormation creates the secondary pool in the replica Region (INACTIVE); nothing existing is touched',
    removed: 'CloudFormation would delete the secondary pool: no Region is left to fail over to, and a secondary activated during a failover stops serving sign-in',
    changed: 'every property of a user pool replica is create-only, so CloudFormation would replace the secondary (or fail, since a directory has at most one): '
      + 'a new secondary starts INACTIVE without its regional configuration, and one activated during a failover stops serving sign-in',
  });
  return diffs;
}

function comparePool(before: Record<string, unknown>, after: Record<string, unknown>, diffs: LockDifference[]): void {
  const consequence = (what: string) => `${what}: CloudFormation would replace the user pool (or fail the update, since Cognito cannot change it in place): ${POOL_LOST}`;
  const scalar: [string, string][] = [
    ['LogicalId', 'the user pool\'s logical ID changed, so CloudFormation would create a new, empty user pool and delete the old one (or orphan it when retained)'],
    ['UsernameAttributes', consequence('the sign-in username attributes are fixed when the pool is created')],
    ['AliasAttributes', consequence('the sign-in alias attributes are fixed when the pool is created')],
    ['UsernameConfiguration', consequence('username case sensitivity is fixed when the pool is created')],
  ];
  for (const [key, text] of scalar) {
    if (!sameValue(before[key], after[key])) {
      diffs.push({ property: `UserPool.${key}`, before: before[key] ?? null, after: after[key] ?? null, allowed: false, consequence: key === 'LogicalId' ? `${text}: ${POOL_LOST}` : text });
    }
  }
  const oldSchema = (before.Schema ?? {}) as Record<string, Record<string, unknown>>;
  const newSchema = (after.Schema ?? {}) as Record<string, Record<string, unknown>>;
  for (const name of sortedUnion(oldSchema, newSchema)) {
    const property = `UserPool.Schema[${name}]`;
    const was = oldSchema[name];
    const now = newSchema[name];
    if (was && !now) {
      diffs.push({ property, before: was, after: null, allowed: false, consequence: consequence('an attribute cannot be removed from an existing pool') });
    } else if (!was && now) {
      const required = now.Required === true || now.Required === 'true';
      diffs.push(required
        ? { property, before: null, after: now, allowed: false, consequence: consequence('a required attribute cannot be added to an existing pool') }
        : { property, before: null, after: now, allowed: true, consequence: 'Cognito adds the attribute in place; existing users keep their data' });
    } else if (!sameValue(was, now)) {
      diffs.push({ property, before: was, after: now, allowed: false, consequence: consequence('an existing attribute\'s type, constraints, mutability or required flag cannot change') });
    }
  }
}

function compareOptional(
  resource: string,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  diffs: LockDifference[],
  consequences: { created?: string; removed: string; changed: string },
): void {
  if (!before && !after) return;
  if (!before) {
    diffs.push({
      property: resource,
      before: null,
      after,
      allowed: true,
      consequence: consequences.created ?? `CloudFormation creates the ${resource === 'Domain' ? 'hosted UI domain' : 'identity pool'}; nothing existing is touched`,
    });
    return;
  }
  if (!after) {
    diffs.push({ property: resource, before, after: null, allowed: false, consequence: consequences.removed });
    return;
  }
  for (const key of sortedUnion(before, after)) {
    if (!sameValue(before[key], after[key])) {
      diffs.push({ property: `${resource}.${key}`, before: before[key] ?? null, after: after[key] ?? null, allowed: false, consequence: consequences.changed });
    }
  }
}

function sortedUnion(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/** JSON with object keys sorted at every level, so equal values always print the same. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), undefined, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A short fingerprint of a value, so an acknowledgement names the exact new value it accepts. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value ?? null)).digest('hex').slice(0, 8);
}

/** Whether a resolved value still holds a CloudFormation intrinsic (a value known only at deploy time). */
export function deployTimeReferences(value: unknown, localResources: Set<string>): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node && typeof node === 'object') {
      for (const [key, inner] of Object.entries(node)) {
        if (key === 'Ref' && typeof inner === 'string') {
          if (!localResources.has(inner)) found.push(`Ref ${inner}`);
        } else if (key === 'Fn::GetAtt' && Array.isArray(inner)) {
          if (!localResources.has(String(inner[0]))) found.push(`Fn::GetAtt ${String(inner[0])}`);
        } else if (key.startsWith('Fn::') && key !== 'Fn::GetAtt') {
          found.push(key);
          visit(inner);
        } else {
          visit(inner);
        }
      }
    }
  };
  visit(value);
  return found;
}

export function readLockFile(file: string): LockFileContent | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  let parsed: LockFileContent;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Replacement guard: ${file} is not valid JSON (${(error as Error).message}). Restore it from version control.`);
  }
  if (parsed.version !== LOCK_FILE_VERSION || typeof parsed.constructs !== 'object' || parsed.constructs === null) {
    throw new Error(`Replacement guard: ${file} has version ${String(parsed.version)}; this library reads version ${LOCK_FILE_VERSION} with a "constructs" object.`);
  }
  return parsed;
}

/** Writes `entry` for `constructPath` (or removes it when undefined), keeping every other entry; returns whether the file changed. */
export function writeLockEntry(file: string, constructPath: string, entry: LockedResources | undefined): boolean {
  const current = readLockFile(file);
  const constructs: Record<string, LockedResources> = { ...(current?.constructs ?? {}) };
  if (entry) constructs[constructPath] = entry;
  else delete constructs[constructPath];
  const content: LockFileContent = { version: LOCK_FILE_VERSION, about: ABOUT, constructs };
  const text = canonicalJson(content, 2) + '\n';
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return true;
}
