/*
 * The user export format, shared by the export Lambda and the restore tool. It has no
 * dependencies so both can bundle it. One export run writes, under `exports/<date>/<runId>/`:
 *
 *   users-00001.jsonl ...        one ExportedUser per line
 *   groups-00001.jsonl           one ExportedGroup per line
 *   memberships-00001.jsonl ...  one ExportedMembership per line
 *   manifest.json                written last; an export without it is incomplete. It holds the
 *                                SHA-256 of every file and a KMS HMAC over itself (export-integrity.ts)
 *
 * Passwords, TOTP secrets and remembered devices are not in the export: Cognito has no API that
 * returns them.
 */

import type { ManifestSignature } from './export-integrity';

/** 2 added `digests` and `signature`; the restore refuses version 1 exports, which carry neither. */
export const EXPORT_SCHEMA_VERSION = 2;
export const EXPORTS_PREFIX = 'exports/';
export const CHECKPOINTS_PREFIX = 'checkpoints/';
export const MANIFEST_FILE = 'manifest.json';

/** One user as ListUsers returns it. `attributes` holds every attribute, custom ones included. */
export interface ExportedUser {
  readonly username: string;
  readonly sub: string;
  readonly enabled: boolean;
  readonly status: string;
  readonly createdAt?: string;
  readonly lastModifiedAt?: string;
  readonly attributes: Record<string, string>;
}

export interface ExportedGroup {
  readonly name: string;
  readonly description?: string;
  readonly precedence?: number;
}

export interface ExportedMembership {
  readonly group: string;
  readonly username: string;
  readonly sub?: string;
}

export interface ExportFiles {
  readonly users: string[];
  readonly groups: string[];
  readonly memberships: string[];
}

export interface ExportCounts {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
}

export interface ExportManifest {
  readonly schemaVersion: number;
  readonly userPoolId: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly invocations: number;
  readonly throttleRetries: number;
  readonly counts: ExportCounts;
  /** File names relative to the export's prefix. */
  readonly files: ExportFiles;
  readonly notExported: string[];
  /** SHA-256 (hexadecimal) of every file listed in `files`, by file name. */
  readonly digests: Record<string, string>;
  /** MAC over the rest of the manifest; absent only when the export ran without a signing key. */
  readonly signature?: ManifestSignature;
}

export const NOT_EXPORTED = [
  'passwords (Cognito never returns them; restored users reset their password on first sign-in)',
  'TOTP secrets and MFA enrolment (users enrol their authenticator app again)',
  'remembered devices and refresh tokens (every session ends)',
  'the sub attribute value in the new pool (Cognito assigns a new sub; the restore writes an old-to-new mapping)',
];

/** `exports/<yyyy-mm-dd>/<runId>/` for a run that started at `startedAt` (ISO 8601). */
export function exportPrefix(runId: string, startedAt: string): string {
  return `${EXPORTS_PREFIX}${startedAt.slice(0, 10)}/${runId}/`;
}

export function checkpointKey(runId: string): string {
  return `${CHECKPOINTS_PREFIX}${runId}.json`;
}

/** `users-00003.jsonl` for part 3. */
export function partFileName(kind: 'users' | 'groups' | 'memberships', part: number): string {
  return `${kind}-${String(part).padStart(5, '0')}.jsonl`;
}

export function toJsonLines(records: readonly unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n') + (records.length > 0 ? '\n' : '');
}

/** Parses JSON Lines, naming the file and line of the first bad record. */
export function parseJsonLines<T>(text: string, fileName: string, check: (value: unknown) => value is T, expected: string): T[] {
  const records: T[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${fileName} line ${index + 1} is not valid JSON; every line must be one JSON object.`);
    }
    if (!check(value)) {
      throw new Error(`${fileName} line ${index + 1} is not ${expected}.`);
    }
    records.push(value);
  });
  return records;
}

export function isExportedUser(value: unknown): value is ExportedUser {
  const v = value as ExportedUser;
  return !!v && typeof v === 'object' && typeof v.username === 'string' && typeof v.sub === 'string'
    && typeof v.enabled === 'boolean' && typeof v.status === 'string'
    && !!v.attributes && typeof v.attributes === 'object' && Object.values(v.attributes).every((a) => typeof a === 'string');
}

export function isExportedGroup(value: unknown): value is ExportedGroup {
  const v = value as ExportedGroup;
  return !!v && typeof v === 'object' && typeof v.name === 'string'
    && (v.precedence === undefined || typeof v.precedence === 'number');
}

export function isExportedMembership(value: unknown): value is ExportedMembership {
  const v = value as ExportedMembership;
  return !!v && typeof v === 'object' && typeof v.group === 'string' && typeof v.username === 'string';
}

export function isExportManifest(value: unknown): value is ExportManifest {
  const v = value as ExportManifest;
  return !!v && typeof v === 'object' && v.schemaVersion === EXPORT_SCHEMA_VERSION && typeof v.userPoolId === 'string'
    && !!v.files && Array.isArray(v.files.users) && Array.isArray(v.files.groups) && Array.isArray(v.files.memberships)
    && !!v.counts && typeof v.counts.users === 'number'
    && !!v.digests && typeof v.digests === 'object' && Object.values(v.digests).every((d) => typeof d === 'string');
}
