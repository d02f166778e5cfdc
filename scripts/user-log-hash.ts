/*
 * Correlates a user with the trigger logs: prints the `userHash` their log lines carry.
 *
 *   npx projen user-log-hash -- --user-pool-id <pool id> --key-arn <username hash KMS key ARN> --user <email or username> [--region <region>]
 *
 * The hash is an HMAC-SHA-256 keyed with the deployment's username hash key, which is the MAC of a fixed label
 * under the KMS HMAC key SecurityTriggers.usernameHashKey. Only someone allowed `kms:GenerateMac` on that key
 * (SecurityTriggers.grantUsernameHashKey) can compute it; the script also needs cognito-idp:AdminGetUser on the
 * pool. Cognito passes the pool's username to the triggers, and for an unknown user the name as typed, so the
 * script prints the hash of both. It never prints the key.
 */
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { MacGenerator, USER_HASH_KEY_LABEL_ALGORITHM, deriveUserHashKey, keyedUserHash } from '../src/triggers/shared/user-hash';

export interface UserLogHashOptions {
  readonly userPoolId: string;
  readonly keyArn: string;
  /** The email or username to look for. */
  readonly user: string;
  readonly region?: string;
}

export interface UserLogHashClients {
  readonly generateMac: MacGenerator;
  adminGetUser(input: { UserPoolId: string; Username: string }): Promise<{ Username?: string }>;
}

/** `userHash` values to search for, with what each stands for. */
export interface UserLogHash {
  readonly of: 'as typed' | 'pool username';
  readonly userHash: string;
}

const USAGE = 'Usage: user-log-hash -- --user-pool-id <pool id> --key-arn <username hash KMS key ARN> --user <email or username> [--region <region>]';

export function parseArgs(argv: string[]): UserLogHashOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!['--user-pool-id', '--key-arn', '--user', '--region'].includes(flag)) throw new Error(`Unknown argument ${JSON.stringify(flag)}. ${USAGE}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value. ${USAGE}`);
    values[flag] = value;
  }
  for (const required of ['--user-pool-id', '--key-arn', '--user']) {
    if (!values[required]) throw new Error(`${required} is required. ${USAGE}`);
  }
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(values['--user-pool-id'])) throw new Error(`--user-pool-id must look like eu-west-3_AbCdEfGhI. ${USAGE}`);
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(values['--key-arn'])) {
    throw new Error(`--key-arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>). ${USAGE}`);
  }
  return { userPoolId: values['--user-pool-id'], keyArn: values['--key-arn'], user: values['--user'], region: values['--region'] };
}

export async function userLogHashes(options: UserLogHashOptions, clients: UserLogHashClients): Promise<UserLogHash[]> {
  const key = await deriveUserHashKey(clients.generateMac, options.keyArn);
  if (key.length < 32) throw new Error(`GenerateMac on ${options.keyArn} returned no 32-byte MAC; it is not the username hash key.`);
  const hashes: UserLogHash[] = [{ of: 'as typed', userHash: keyedUserHash(key, options.userPoolId, options.user) }];
  const lookup = clients.adminGetUser({ UserPoolId: options.userPoolId, Username: options.user });
  const found: { Username?: string } = await lookup.catch((error: Error) => {
    if (error.name === 'UserNotFoundException') return {};
    throw error;
  });
  if (found.Username && found.Username.toLowerCase() !== options.user.toLowerCase()) {
    hashes.push({ of: 'pool username', userHash: keyedUserHash(key, options.userPoolId, found.Username) });
  }
  return hashes;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const kms = new KMSClient({ region: options.region });
  const cognito = new CognitoIdentityProviderClient({ region: options.region });
  const hashes = await userLogHashes(options, {
    generateMac: async (KeyId, Message) => {
      const out = await kms.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: USER_HASH_KEY_LABEL_ALGORITHM }));
      return out.Mac;
    },
    adminGetUser: (input) => cognito.send(new AdminGetUserCommand(input)),
  });
  for (const { of, userHash } of hashes) console.log(`${userHash}  (${of})`);
  const list = hashes.map((h) => `'${h.userHash}'`).join(', ');
  console.log(`CloudWatch Logs Insights, on the trigger log groups: fields @timestamp, trigger, event | filter userHash in [${list}] | sort @timestamp desc`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
