/*
 * dynalite (npm, 4.0.0): a DynamoDB implementation that runs in this process, in memory. The
 * lockout tests and the trigger benchmark start it on 127.0.0.1 with an OS-chosen port and close it
 * when they are done; nothing is left running. Credentials are placeholders: dynalite checks none.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, DynamoDBClientConfig, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { LockoutTableClient } from '../../src/triggers/lockout/lockout-store';

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export interface DynaliteServer {
  readonly endpoint: string;
  readonly port: number;
  /** A DynamoDB client for this server; `options` override the defaults (no retries, generous timeouts). */
  client(options?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  /** Creates a table keyed by the string attribute `pk` and waits until it is ACTIVE. */
  createTable(tableName: string): Promise<void>;
  /** Stops the server: open connections are closed and the port no longer accepts any. */
  close(): Promise<void>;
}

export async function startDynalite(): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  let closed = false;
  const client = (options: Partial<DynamoDBClientConfig> = {}) => {
    const c = new DynamoDBClient({
      endpoint,
      region: 'eu-west-3',
      credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
      maxAttempts: 1,
      ...options,
    });
    clients.push(c);
    return c;
  };
  return {
    endpoint,
    port,
    client,
    async createTable(tableName) {
      const admin = client();
      await admin.send(new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }));
      for (let i = 0; i < 200; i++) {
        const { Table } = await admin.send(new DescribeTableCommand({ TableName: tableName }));
        if (Table?.TableStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`Table ${tableName} did not become ACTIVE on dynalite.`);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The lockout's two operations through an SDK client, exactly as the *.lambda.ts entry points wire them. */
export function lockoutTableClient(dynamodb: DynamoDBClient): LockoutTableClient {
  return {
    updateItem: (input, abortSignal) => dynamodb.send(new UpdateItemCommand(input), { abortSignal }),
    deleteItem: (input, abortSignal) => dynamodb.send(new DeleteItemCommand(input), { abortSignal }),
  };
}
