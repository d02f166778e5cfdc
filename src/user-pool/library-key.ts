import { ArnFormat, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Props of the library's customer-managed key. */
export interface LibraryKeyProps {
  /** Resource name prefix: the alias is `alias/{prefix}`. */
  readonly resourcePrefix: string;
  readonly removalPolicy: RemovalPolicy;
  /** A protected environment waits the longest pending window before the key is deleted. */
  readonly deletionProtection: boolean;
}

/** The customer-managed key of the app client secrets, the lockout table and the library's log groups. */
export function createLibraryKey(scope: Construct, props: LibraryKeyProps): kms.Key {
  const key = new kms.Key(scope, 'EncryptionKey', {
    alias: `alias/${props.resourcePrefix}`,
    description: `Encrypts the ${props.resourcePrefix} app client secret and log groups.`,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
    pendingWindow: Duration.days(props.deletionProtection ? 30 : 7),
  });
  key.addToResourcePolicy(logsEncryptionStatement(Stack.of(scope)));
  return key;
}

/**
 * Lets CloudWatch Logs encrypt log groups with the key, scoped to this account's log groups in the
 * stack's Region: CloudWatch Logs uses a key only when its key policy allows it.
 */
export function logsEncryptionStatement(stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  });
}
