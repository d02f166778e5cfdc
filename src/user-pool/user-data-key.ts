import { Duration, RemovalPolicy, Stack, aws_cognito as cognito, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * `AWS::Cognito::UserPool` `KeyConfiguration`, which aws-cdk-lib 2.257.0 does not type (later
 * versions have `CfnUserPool.KeyConfigurationProperty`). Cognito API reference, KeyConfigurationType.
 */
export interface UserPoolKeyConfiguration {
  /** `CUSTOMER_MANAGED_KEY`, or `AWS_OWNED_KEY` (Cognito's default). */
  readonly KeyType: 'CUSTOMER_MANAGED_KEY' | 'AWS_OWNED_KEY';
  /** The key's ARN; only with `CUSTOMER_MANAGED_KEY`. */
  readonly KmsKeyArn?: string;
}

/** Props of the library's user data key. */
export interface UserDataKeyProps {
  /** Resource name prefix: the alias is `alias/{prefix}-user-data`. */
  readonly resourcePrefix: string;
  readonly removalPolicy: RemovalPolicy;
  /** A protected environment waits the longest pending window before the key is deleted. */
  readonly deletionProtection: boolean;
}

/**
 * The actions Cognito performs with the key on the pool's behalf: the data-plane subset of the KMS
 * permissions that the `AWS::Cognito::UserPool` resource type's create and update handlers list in its
 * CloudFormation registry schema (kms:Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext,
 * ReEncryptFrom, ReEncryptTo, DescribeKey). kms:CreateGrant stays with the deploying principal, which
 * the account statement covers.
 */
export const COGNITO_USER_DATA_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * The customer-managed key of the user pool's user data.
 *
 * A key of its own rather than the library key made multi-Region: Cognito replicates a pool only
 * when its key is multi-Region (Cognito API reference, KeyConfigurationType: "You must use a
 * multi-region key to enable multi-region replication"), and `MultiRegion` cannot change on an
 * existing key ("If you change the value of the MultiRegion property on an existing KMS key, the
 * update request fails", CloudFormation reference, AWS::KMS::Key MultiRegion). Turning the library
 * key multi-Region would fail the update of every stack already deployed.
 */
export function createUserDataKey(scope: Construct, props: UserDataKeyProps): kms.Key {
  const key = new kms.Key(scope, 'UserDataKey', {
    alias: `alias/${props.resourcePrefix}-user-data`,
    description: `Encrypts the user data of the ${props.resourcePrefix} user pool (KeyConfiguration).`,
    multiRegion: true,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
    pendingWindow: Duration.days(props.deletionProtection ? 30 : 7),
  });
  key.addToResourcePolicy(cognitoUserDataStatement(scope));
  return key;
}

/**
 * Lets Cognito, and only for user pools of this account in this Region, use the key.
 *
 * The condition names user pools with `userpool/*`, not this pool's ID: the pool references the key
 * (KeyConfiguration), so the key policy cannot reference the pool without a circular dependency, and
 * an AWS::KMS::Key policy has no separate resource to attach later. The scope is therefore every user
 * pool of this account in this Region whose KeyConfiguration names this key; setting that takes
 * cognito-idp:CreateUserPool or UpdateUserPool in this account.
 */
export function cognitoUserDataStatement(scope: Construct): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: 'AllowCognitoUserPoolsOfThisAccountAndRegion',
    principals: [new iam.ServicePrincipal('cognito-idp.amazonaws.com')],
    actions: COGNITO_USER_DATA_KEY_ACTIONS,
    resources: ['*'],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' }) },
    },
  });
}

/**
 * Encrypts the pool's user data with `key`. KeyConfiguration updates the pool in place
 * ("Update requires: No interruption", CloudFormation reference, AWS::Cognito::UserPool KeyConfiguration).
 */
export function applyUserDataKey(pool: cognito.UserPool, key: kms.IKey): void {
  const configuration: UserPoolKeyConfiguration = { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: key.keyArn };
  (pool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride('KeyConfiguration', configuration);
}
