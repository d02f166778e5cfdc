/*
 * Correlates a user with the trigger logs: prints the `userHash` their log lines carry.
 *
 *   npx projen user-log-hash -- --user-pool-id <pool id> --secret-arn <username hash key secret ARN> --user <email or username> [--region <region>]
 *
 * The hash is an HMAC-SHA-256 keyed with the deployment's username hash key (SecurityTriggers.usernameHashKey),
 * so only someone allowed to read that secret can compute it: `secretsmanager:GetSecretValue` on it and
 * `kms:Decrypt` on the library key through Secrets Manager, which SecurityTriggers.grantReadUsernameHashKey()
 * grants, plus cognito-idp:AdminGetUser on the pool. Cognito passes the pool's username to the triggers, and
 * for an unknown user the name as typed, so the script prints the hash of both. It never prints the key.
 */
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { keyedUserHash } from '../src/triggers/shared/user-hash';

export interface UserLogHashOptions {
  readonly userPoolId: string;
  readonly secretArn: string;
  /** The email or username to look for. */
  readonly user: string;
  readonly region?: string;
}

export interface UserLogHashClients {
  getSecretValue(secretArn: string): Promise<string | undefined>;
  adminGetUser(input: { UserPoolId: string; Username: string }): Promise<{ Username?: string }>;
}

/** `userHash` values to search for, with what each stands for. */
export interface UserLogHash {
  readonly of: 'as typed' | 'pool username';
  readonly userHash: string;
}

const USAGE = 'Usage: user-log-hash -- --user-pool-id <pool id> --secret-arn <username hash key secret ARN> --user <email or username> [--region <region>]';

export function parseArgs(argv: string[]): UserLogHashOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!['--user-pool-id', '--secret-arn', '--user', '--region'].includes(flag)) throw new Error(`Unknown argument ${JSON.stringify(flag)}. ${USAGE}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value. ${USAGE}`);
    values[flag] = value;
  }
  for (const required of ['--user-pool-id', '--secret-arn', '--user']) {
    if (!values[required]) throw new Error(`${required} is required. ${USAGE}`);
  }
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(values['--user-pool-id'])) throw new Error(`--user-pool-id must look like eu-west-3_AbCdEfGhI. ${USAGE}`);
  if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(values['--secret-arn'])) {
    throw new Error(`--secret-arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>). ${USAGE}`);
  }
  return { userPoolId: values['--user-pool-id'], secretArn: values['--secret-arn'], user: values['--user'], region: values['--region'] };
}

export async function userLogHashes(options: UserLogHashOptions, clients: UserLogHashClients): Promise<UserLogHash[]> {
  const key = await clients.getSecretValue(options.secretArn);
  if (!key) throw new Error(`The secret ${options.secretArn} holds no string value; it is not a username hash key.`);
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
  const secrets = new SecretsManagerClient({ region: options.region });
  const cognito = new CognitoIdentityProviderClient({ region: options.region });
  const hashes = await userLogHashes(options, {
    getSecretValue: async (secretArn) => (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString,
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
