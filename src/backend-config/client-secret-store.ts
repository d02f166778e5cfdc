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
import { ClientSecretRotation } from './client-secret-rotation';
import { ClientSecretSyncFunction } from './client-secret-sync-function';
import { createFunctionIdentity } from '../internal/function-identity';
import { acknowledgeSynchronousLambda } from '../internal/lambda-acknowledgements';

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
  /**
   * How often the client secret is rotated: whole hours, from 4 hours to 1000 days.
   * @default Duration.days(30)
   */
  readonly rotationSchedule?: Duration;
  /**
   * How long a replaced client secret stays valid after the new one became current, from 1 hour to
   * 7 days and shorter than `rotationSchedule`.
   * @default - 1 day, or half the rotation schedule when that is shorter
   */
  readonly rotationGracePeriod?: Duration;
}

/**
 * Holds an app client's secret in Secrets Manager without the value ever passing through
 * CloudFormation: a small custom resource reads it from Cognito and writes it into the secret,
 * and `ClientSecretRotation` rotates it on a schedule without downtime.
 *
 * The secret's value is JSON: `{"userPoolId": "...", "clientId": "...", "clientSecret": "...", "clientSecretId": "..."}`
 * (`clientSecretId` is present once the secret has been rotated).
 */
export class ClientSecretStore extends Construct {
  /** The secret holding the client secret. */
  public readonly secret: secretsmanager.ISecret;
  /** The rotation of the secret. */
  public readonly rotation: ClientSecretRotation;

  constructor(scope: Construct, id: string, props: ClientSecretStoreProps) {
    super(scope, id);

    const secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'Cognito app client secret for the backend; written by the sync custom resource, never by a template.',
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      // Until the sync writes the real value in the same deployment, readers see JSON that says so.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ status: 'pending-sync' }),
        generateStringKey: 'placeholder',
      },
    });
    this.secret = secret;

    const { logGroup, role, policy } = createFunctionIdentity(this, {
      logGroupId: 'SyncLogs',
      roleId: 'SyncRole',
      policyId: 'SyncPolicy',
      roleDescription: 'Copies one Cognito app client secret into one Secrets Manager secret.',
      policyDescription: 'Least privilege for the client secret sync: one pool, one secret, one key, one log group.',
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      statements: [
        new iam.PolicyStatement({
          actions: ['cognito-idp:DescribeUserPoolClient'],
          resources: [props.userPool.userPoolArn],
        }),
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
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

    this.rotation = new ClientSecretRotation(this, 'Rotation', {
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      secret,
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      schedule: props.rotationSchedule,
      gracePeriod: props.rotationGracePeriod,
      initialValue: sync,
    });
  }
}
