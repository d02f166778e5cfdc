import { ListReplicasPage, checkReplica, parsePage, readEnvironment } from '../../src/replication/replica-status.lambda';

const POOL = 'eu-west-1_TestPool1';
const REGION = 'eu-central-1';
const primaryEntry = { RegionName: 'eu-west-1', Status: 'ACTIVE', Role: 'PRIMARY' };

function pages(...responses: unknown[]): { list: ListReplicasPage; tokens: (string | undefined)[] } {
  const tokens: (string | undefined)[] = [];
  return {
    tokens,
    list: async (token) => {
      tokens.push(token);
      const next = responses.shift();
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

async function run(...responses: unknown[]) {
  const lines: string[] = [];
  const result = await checkReplica(pages(...responses).list, POOL, REGION, (line) => lines.push(line), 1_000);
  return { result, record: JSON.parse(lines[0]), lines };
}

describe('replica status check', () => {
  test.each(['ACTIVE', 'INACTIVE'])('a %s replica publishes ReplicaHealthy 1 with the pool and Region dimensions', async (status) => {
    const { result, record, lines } = await run({ UserPoolReplicas: [primaryEntry, { RegionName: REGION, Status: status, Role: 'SECONDARY' }] });
    expect(result).toEqual({ status, healthy: true });
    expect(lines).toHaveLength(1);
    expect(record).toEqual({
      _aws: {
        Timestamp: 1_000,
        CloudWatchMetrics: [{ Namespace: 'MedFlow/Cognito', Dimensions: [['UserPoolId', 'ReplicaRegion']], Metrics: [{ Name: 'ReplicaHealthy', Unit: 'Count' }] }],
      },
      UserPoolId: POOL,
      ReplicaRegion: REGION,
      ReplicaHealthy: 1,
      replicaStatus: status,
    });
  });

  test.each(['CREATING', 'DELETING', 'FAILED'])('a %s replica publishes ReplicaHealthy 0', async (status) => {
    const { result, record } = await run({ UserPoolReplicas: [{ RegionName: REGION, Status: status }] });
    expect(result.healthy).toBe(false);
    expect(record.ReplicaHealthy).toBe(0);
    expect(record.replicaStatus).toBe(status);
  });

  test('a replica missing from every page publishes 0 with status MISSING, after following NextToken', async () => {
    const fake = pages({ UserPoolReplicas: [primaryEntry], NextToken: 'page-2' }, { UserPoolReplicas: [{ RegionName: 'us-east-1', Status: 'ACTIVE' }] });
    const lines: string[] = [];
    const result = await checkReplica(fake.list, POOL, REGION, (line) => lines.push(line));
    expect(fake.tokens).toEqual([undefined, 'page-2']);
    expect(result).toEqual({ status: 'MISSING', healthy: false });
    expect(JSON.parse(lines[0]).ReplicaHealthy).toBe(0);
  });

  test('a replica on the second page is found', async () => {
    const { result } = await run({ UserPoolReplicas: [primaryEntry], NextToken: 't' }, { UserPoolReplicas: [{ RegionName: REGION, Status: 'ACTIVE' }] });
    expect(result.healthy).toBe(true);
  });

  test('a status that is not a status word is logged as UNKNOWN, never verbatim', async () => {
    const { record } = await run({ UserPoolReplicas: [{ RegionName: REGION, Status: 'jane.doe@clinic.example' }] });
    expect(record.ReplicaHealthy).toBe(0);
    expect(record.replicaStatus).toBe('UNKNOWN');
    expect(JSON.stringify(record)).not.toContain('jane.doe');
  });

  test.each([
    [null, /no response object/],
    [{ UserPoolReplicas: 'eu-central-1' }, /not a list/],
    [{ UserPoolReplicas: [{ RegionName: REGION }] }, /entry 0 without a RegionName and Status/],
    [{ UserPoolReplicas: [], NextToken: 7 }, /NextToken that is not a string/],
  ])('a malformed response %j is a clear error and publishes nothing', async (response, message) => {
    const lines: string[] = [];
    await expect(checkReplica(pages(response).list, POOL, REGION, (line) => lines.push(line))).rejects.toThrow(message);
    expect(lines).toHaveLength(0);
  });

  test('an API error propagates and publishes nothing, so the alarm sees missing data', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const lines: string[] = [];
    await expect(checkReplica(pages(denied).list, POOL, REGION, (line) => lines.push(line))).rejects.toThrow('not authorized');
    expect(lines).toHaveLength(0);
  });

  test('an empty response lists no replica', () => {
    expect(parsePage({})).toEqual({ entries: [], nextToken: undefined });
  });

  test('the environment must name the pool and the Region', () => {
    expect(readEnvironment({ USER_POOL_ID: POOL, REPLICA_REGION: REGION })).toEqual({ userPoolId: POOL, replicaRegion: REGION });
    expect(() => readEnvironment({ USER_POOL_ID: POOL })).toThrow(/REPLICA_REGION must be set/);
  });
});
