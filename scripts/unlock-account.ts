/*
 * Admin unlock: deletes the sign-in lockout record of one user, so that the next attempt starts
 * a fresh count.
 *
 *   npx projen unlock-account --user-pool-id <pool id> --table <{env}-{project}-cognito-account-lockout> --user <email or username> [--region <region>]
 *
 * The record is keyed by SecurityTriggers.lockKey(userPoolId, username). Cognito passes the
 * pool's username to the triggers, and for an unknown user the name as typed; the script resolves
 * an email to the username with AdminGetUser and deletes both keys. It needs
 * cognito-idp:AdminGetUser on the pool and what SecurityTriggers.grantUnlock() grants.
 * It prints the keys it deleted, never the user.
 */
import { CognitoIdentityProviderClient, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DeleteItemCommandInput } from '@aws-sdk/client-dynamodb';
import { lockKey } from '../src/triggers/shared/trigger-log';

export interface UnlockClients {
  deleteItem(input: DeleteItemCommandInput): Promise<{ Attributes?: Record<string, AttributeValue> }>;
  adminGetUser(input: { UserPoolId: string; Username: string }): Promise<{ Username?: string }>;
}

export interface UnlockOptions {
  readonly userPoolId: string;
  readonly tableName: string;
  /** The email or username the admin was given. */
  readonly user: string;
  readonly region?: string;
}

export interface UnlockResult {
  /** The keys deleted. */
  readonly keys: string[];
  /** How many of them held a record. */
  readonly removed: number;
  /** Whether the user exists in the pool. */
  readonly userExists: boolean;
}

const USAGE = 'Usage: unlock-account --user-pool-id <pool id> --table <lockout table name> --user <email or username> [--region <region>]';

export function parseArgs(argv: string[]): UnlockOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!['--user-pool-id', '--table', '--user', '--region'].includes(flag)) {
      throw new Error(`Unknown argument ${JSON.stringify(flag)}. ${USAGE}`);
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value. ${USAGE}`);
    values[flag] = value;
  }
  for (const required of ['--user-pool-id', '--table', '--user']) {
    if (!values[required]) throw new Error(`${required} is required. ${USAGE}`);
  }
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(values['--user-pool-id'])) {
    throw new Error(`--user-pool-id must look like eu-west-3_AbCdEfGhI. ${USAGE}`);
  }
  return { userPoolId: values['--user-pool-id'], tableName: values['--table'], user: values['--user'], region: values['--region'] };
}

export async function unlockAccount(clients: UnlockClients, options: UnlockOptions): Promise<UnlockResult> {
  let username: string | undefined;
  try {
    username = (await clients.adminGetUser({ UserPoolId: options.userPoolId, Username: options.user })).Username;
  } catch (error) {
    if (!(error instanceof Error && error.name === 'UserNotFoundException')) throw error;
  }
  const keys = [...new Set([username, options.user].filter((n): n is string => Boolean(n)).map((n) => lockKey(options.userPoolId, n)))];
  let removed = 0;
  for (const key of keys) {
    const { Attributes } = await clients.deleteItem({ TableName: options.tableName, Key: { pk: { S: key } }, ReturnValues: 'ALL_OLD' });
    if (Attributes) removed++;
  }
  return { keys, removed, userExists: username !== undefined };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dynamodb = new DynamoDBClient({ region: options.region });
  const cognito = new CognitoIdentityProviderClient({ region: options.region });
  const result = await unlockAccount({
    deleteItem: (input) => dynamodb.send(new DeleteItemCommand(input)),
    adminGetUser: (input) => cognito.send(new AdminGetUserCommand(input)),
  }, options);
  console.log(JSON.stringify(result));
  console.log(result.removed > 0 ? 'Unlocked: the next sign-in attempt starts a fresh count.' : 'No lock record was found; nothing to unlock.');
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`unlock-account failed: ${error.name}: ${error.message}`);
    process.exit(1);
  });
}
