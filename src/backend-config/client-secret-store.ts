import {
  CustomResource,
  Duration,
  Stack,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_kms as kms,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClientSecretRotation } from './client-secret-rotation';
import { ClientSecretSyncFunction } from './client-secret-sync-function';
import { FunctionLogSettings, createLibraryFunction, customResourceReasons } from '../internal/library-function';

/** Props for `ClientSecretStore`. */
export interface ClientSecretStoreProps {
  /** The user pool that owns the client. */
  readonly userPool: cognito.IUserPool;
  /** The app client whose secret is stored. It must have been created with `generateSecret`. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /** Customer-managed key encrypting the secret. */
  readonly encryptionKey: kms.IKey;
  /** Name of the Secrets Manager secret. */
  readonly secretName: string;
  /** Where the sync and rotation functions' logs go; its removal policy also applies to the secret. */
  readonly logs: FunctionLogSettings;
  /** How often the client secret is rotated (resolved and validated by the configuration). */
  readonly rotationSchedule: Duration;
  /** How long a replaced client secret stays valid after the new one became current. */
  readonly rotationGracePeriod: Duration;
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
      removalPolicy: props.logs.removalPolicy,
      // Until the sync writes the real value in the same deployment, readers see JSON that says so.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ status: 'pending-sync' }),
        generateStringKey: 'placeholder',
      },
    });
    this.secret = secret;

    const { fn: syncFunction, role, policy } = createLibraryFunction(this, {
      create: (parent, functionId, options) => new ClientSecretSyncFunction(parent, functionId, options),
      options: {
        description: 'Copies the Cognito app client secret into Secrets Manager without logging it.',
        timeout: Duration.minutes(1),
        memorySize: 256,
      },
      roleDescription: 'Copies one Cognito app client secret into one Secrets Manager secret.',
      policyDescription: 'Least privilege for the client secret sync: one pool, one secret, one key, one log group.',
      logs: props.logs,
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
      ruleReasons: customResourceReasons('copies the app client secret into Secrets Manager'),
      ids: { function: 'SyncFunction', logGroup: 'SyncLogs', role: 'SyncRole', policy: 'SyncPolicy' },
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

    this.rotation = new ClientSecretRotation(this, 'Rotation', {
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      secret,
      encryptionKey: props.encryptionKey,
      logs: props.logs,
      schedule: props.rotationSchedule,
      gracePeriod: props.rotationGracePeriod,
      initialValue: sync,
    });
  }
}
