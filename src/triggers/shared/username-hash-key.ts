/*
 * The per-deployment key of the logged username hashes (user-hash.ts): a KMS HMAC key. A function derives
 * its hashing key once per cold start as the key's MAC of a fixed label (KMS GenerateMac), so the key
 * material exists only inside KMS and in the memory of the functions allowed to derive it; no template,
 * snapshot, environment variable or secret holds it.
 */
import { RemovalPolicy, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { USER_HASH_KEY_ARN_VARIABLE, USER_HASH_KEY_LABEL_ALGORITHM } from './user-hash';

export interface UsernameHashKeyOptions {
  readonly removalPolicy: RemovalPolicy;
  /** Names the deployment in the description, for example `prod-medflow-cognito`. */
  readonly resourcePrefix: string;
}

/**
 * Creates the key in `scope` as `UsernameHashKey`: KeySpec HMAC_256, KeyUsage GENERATE_VERIFY_MAC
 * (aws-cdk-lib aws_kms.KeySpec.HMAC_256 and KeyUsage.GENERATE_VERIFY_MAC). KMS does not rotate HMAC keys,
 * which is what the logs need: a rotated key would break the correlation of older lines.
 */
export function createUsernameHashKey(scope: Construct, options: UsernameHashKeyOptions): kms.Key {
  return new kms.Key(scope, 'UsernameHashKey', {
    description: `Derives the key of the HMAC that ${options.resourcePrefix} Cognito triggers log usernames as.`,
    keySpec: kms.KeySpec.HMAC_256,
    keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
    removalPolicy: options.removalPolicy,
  });
}

/** The environment variable a trigger reads the key's ARN from. */
export function usernameHashKeyEnvironment(key: kms.IKey): Record<string, string> {
  return { [USER_HASH_KEY_ARN_VARIABLE]: key.keyArn };
}

/** GenerateMac on this one key, with the one algorithm the derivation uses. */
export function usernameHashKeyStatements(key: kms.IKey): iam.PolicyStatement[] {
  return [new iam.PolicyStatement({
    actions: ['kms:GenerateMac'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:MacAlgorithm': USER_HASH_KEY_LABEL_ALGORITHM } },
  })];
}
