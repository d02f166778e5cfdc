/*
 * Replica status check. An EventBridge rule invokes it every five minutes in the primary's Region;
 * it lists the pool's replicas (ListUserPoolReplicas) and publishes ReplicaHealthy for the replica
 * Region with the Embedded Metric Format. CloudWatch has no metric of its own for a replica's status.
 * It logs the Region and status only: the response holds no user data, and nothing else is printed.
 */
import { CognitoIdentityProviderClient, ListUserPoolReplicasCommand } from '@aws-sdk/client-cognito-identity-provider';
import { REPLICA_HEALTHY_METRIC, REPLICA_REGION_DIMENSION, emfRecord } from '../operations/metric-names';

/** The statuses of a replica that can serve, or be made to serve (`INACTIVE` until a failover activates it). */
const HEALTHY_STATUSES = ['ACTIVE', 'INACTIVE'];
/** A user pool has a primary and at most one secondary; more pages than this means a response we do not understand. */
const MAX_PAGES = 10;

export interface ReplicaEntry {
  readonly regionName: string;
  readonly status: string;
}

/** One page of ListUserPoolReplicas, as the function reads it. */
export type ListReplicasPage = (nextToken: string | undefined) => Promise<unknown>;

/** The replica entries of one page, or an error that names what was wrong with it (never its values). */
export function parsePage(page: unknown): { entries: ReplicaEntry[]; nextToken?: string } {
  if (typeof page !== 'object' || page === null) throw new Error('ListUserPoolReplicas returned no response object.');
  const { UserPoolReplicas: replicas, NextToken: nextToken } = page as Record<string, unknown>;
  if (replicas !== undefined && !Array.isArray(replicas)) throw new Error('ListUserPoolReplicas returned UserPoolReplicas that is not a list.');
  if (nextToken !== undefined && nextToken !== null && typeof nextToken !== 'string') throw new Error('ListUserPoolReplicas returned a NextToken that is not a string.');
  const entries = (replicas ?? []).map((replica: unknown, index: number) => {
    const item = (typeof replica === 'object' && replica !== null ? replica : {}) as Record<string, unknown>;
    if (typeof item.RegionName !== 'string' || typeof item.Status !== 'string') {
      throw new Error(`ListUserPoolReplicas returned entry ${index} without a RegionName and Status string.`);
    }
    return { regionName: item.RegionName, status: item.Status };
  });
  return { entries, nextToken: typeof nextToken === 'string' && nextToken !== '' ? nextToken : undefined };
}

/** The replica Region's status, `MISSING` when the pool lists no replica there. */
export async function replicaStatus(list: ListReplicasPage, replicaRegion: string): Promise<string> {
  let nextToken: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const { entries, nextToken: next } = parsePage(await list(nextToken));
    const entry = entries.find((candidate) => candidate.regionName === replicaRegion);
    if (entry) return entry.status;
    if (!next) return 'MISSING';
    nextToken = next;
  }
  throw new Error(`ListUserPoolReplicas returned more than ${MAX_PAGES} pages.`);
}

export function isHealthy(status: string): boolean {
  return HEALTHY_STATUSES.includes(status);
}

/** Checks the replica and prints one EMF record; an API or response error is thrown, which leaves the metric missing. */
export async function checkReplica(list: ListReplicasPage, userPoolId: string, replicaRegion: string,
  log: (line: string) => void = console.log, timestamp = Date.now()): Promise<{ status: string; healthy: boolean }> {
  const status = await replicaStatus(list, replicaRegion);
  const healthy = isHealthy(status);
  const record = emfRecord(userPoolId, [{ name: REPLICA_HEALTHY_METRIC, value: healthy ? 1 : 0, unit: 'Count' }], timestamp,
    { [REPLICA_REGION_DIMENSION]: replicaRegion });
  // Only a known status word is logged as such; anything else Cognito returns is reported as UNKNOWN.
  log(JSON.stringify({ ...record, replicaStatus: /^[A-Z_]{1,32}$/.test(status) ? status : 'UNKNOWN' }));
  return { status, healthy };
}

export function readEnvironment(env: NodeJS.ProcessEnv): { userPoolId: string; replicaRegion: string } {
  const userPoolId = env.USER_POOL_ID;
  const replicaRegion = env.REPLICA_REGION;
  if (!userPoolId || !replicaRegion) throw new Error('USER_POOL_ID and REPLICA_REGION must be set; the construct sets both.');
  return { userPoolId, replicaRegion };
}

const client = new CognitoIdentityProviderClient({});

export async function handler(): Promise<void> {
  const { userPoolId, replicaRegion } = readEnvironment(process.env);
  const list: ListReplicasPage = (nextToken) => client.send(new ListUserPoolReplicasCommand({ UserPoolId: userPoolId, NextToken: nextToken }));
  try {
    await checkReplica(list, userPoolId, replicaRegion);
  } catch (error) {
    // The error's name and message: SDK errors and ours carry no user data.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    console.error(JSON.stringify({ replicaRegion, error: name, message }));
    throw error;
  }
}
