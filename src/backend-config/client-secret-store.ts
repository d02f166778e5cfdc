import {
  CustomResource,
  Duration,
  RemovalPolicy,
  Stack,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClientSecretSyncFunction } from './client-secret-sync-function';
import { acknowledgeRules } from '../compliance/acknowledgements';
import { acknowledgeSynchronousLambda } from '../internal/lambda-acknowledgements';

const SECRET_ROTATION_RULES = [
  'AwsSolutions-SMG4',
  'HIPAA.Security-SecretsManagerRotationEnabled',
  'NIST.800.53.R5-SecretsManagerRotationEnabled',
];

/** Props for `ClientSecretStore`. */
export interface ClientSecretStoreProps {
  /** The user pool that owns the client. */
  readonly userPool: cognito.IUserPool;
  /** The app client whose secret is stored. It must have been created with `generateSecret`. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /** Customer-managed key encrypting the secret and the sync function's logs. */
  readonly encryptionKey: kms.IKey;
  /** Name of the Secrets Manager secret. */
  readonly secretName: string;
  /** Retention of the sync function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the secret and the log group. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Holds an app client's secret in Secrets Manager without the value ever passing through
 * CloudFormation: a small custom resource reads it from Cognito and writes it into the secret.
 *
 * The secret's value is JSON: `{"userPoolId": "...", "clientId": "...", "clientSecret": "..."}`.
 */
export class ClientSecretStore extends Construct {
  /** The secret holding the client secret. */
  public readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: ClientSecretStoreProps) {
    super(scope, id);

    const secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'Cognito app client secret for the backend; written by the sync custom resource, never by a template.',
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.secret = secret;

    const logGroup = new logs.LogGroup(this, 'SyncLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    const role = new iam.Role(this, 'SyncRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies one Cognito app client secret into one Secrets Manager secret.',
    });
    const policy = new iam.ManagedPolicy(this, 'SyncPolicy', {
      roles: [role],
      description: 'Least privilege for the client secret sync: one pool, one secret, one key, one log group.',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          actions: ['cognito-idp:DescribeUserPoolClient'],
          resources: [props.userPool.userPoolArn],
        }),
        new iam.PolicyStatement({
          actions: ['secretsmanager:PutSecretValue'],
          resources: [secret.secretArn],
        }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      ],
    });

    const syncFunction = new ClientSecretSyncFunction(this, 'SyncFunction', {
      description: 'Copies the Cognito app client secret into Secrets Manager without logging it.',
      role,
      logGroup,
      timeout: Duration.minutes(1),
      memorySize: 256,
    });

    const sync = new CustomResource(this, 'Sync', {
      serviceToken: syncFunction.functionArn,
      resourceType: 'Custom::MedflowClientSecretSync',
      properties: {
        UserPoolId: props.userPool.userPoolId,
        ClientId: props.userPoolClient.userPoolClientId,
        SecretId: secret.secretArn,
      },
    });
    // The function must be able to write logs and call the APIs before CloudFormation invokes it.
    sync.node.addDependency(role);
    sync.node.addDependency(policy);

    acknowledgeSynchronousLambda(syncFunction, 'CloudFormation invokes it once per deployment and waits for its answer on the response URL');
    const rotationReason = 'The value is a Cognito app client secret that Cognito generates; automatic rotation of it through '
      + 'AddUserPoolClientSecret is delivered by the secret rotation feature, and until then it is rotated by replacing the app client.';
    acknowledgeRules(secret, ...SECRET_ROTATION_RULES.map((rule) => ({ id: rule, reason: rotationReason })));
  }
}
