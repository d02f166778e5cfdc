/*
 * The per-deployment key of the logged username hashes (user-hash.ts): a Secrets Manager secret whose
 * value CloudFormation generates at deploy time (GenerateSecretString), so that the value appears in no
 * template, snapshot or environment variable; functions get its ARN and read it once per cold start.
 */
import { RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { USER_HASH_SECRET_ARN_VARIABLE } from './user-hash';
import { acknowledgeRules } from '../../internal/acknowledgements';
import { HIPAA_AND_NIST_PACKS } from '../../internal/compliance-packs';

export interface UsernameHashKeyOptions {
  /** Encrypts the secret (the library's customer-managed key). */
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** Names the deployment in the description, for example `prod-medflow-cognito`. */
  readonly resourcePrefix: string;
}

/** Creates the key secret in `scope` as `UsernameHashKey`. */
export function createUsernameHashKey(scope: Construct, options: UsernameHashKeyOptions): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'UsernameHashKey', {
    description: `Key of the HMAC that ${options.resourcePrefix} Cognito triggers log usernames as; generated at deploy time.`,
    encryptionKey: options.encryptionKey,
    // 64 random letters and digits: about 380 bits.
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    removalPolicy: options.removalPolicy,
  });
  const reason = 'The secret is the key of the username hashes in trigger logs. Rotating it would break the correlation of older log lines '
    + 'with a user, which incident response needs for the log retention period; it is never sent anywhere, and only the trigger functions '
    + 'and operators allowed to correlate a user may read it. Replace it (a new deployment key) if it is ever exposed.';
  acknowledgeRules(secret,
    { id: 'AwsSolutions-SMG4', reason },
    ...HIPAA_AND_NIST_PACKS.map((pack) => ({ id: `${pack}-SecretsManagerRotationEnabled`, reason })));
  return secret;
}

/** The environment variable a trigger reads the key's ARN from. */
export function usernameHashKeyEnvironment(secret: secretsmanager.ISecret): Record<string, string> {
  return { [USER_HASH_SECRET_ARN_VARIABLE]: secret.secretArn };
}

/** Read this one secret, and decrypt it only through Secrets Manager. */
export function usernameHashKeyStatements(secret: secretsmanager.ISecret, encryptionKey: kms.IKey): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(secret).region}.amazonaws.com` } },
    }),
  ];
}
