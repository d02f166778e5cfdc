import {
  Duration,
  Stack,
  aws_cognito as cognito,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { ClientSecretRotationFunction } from './client-secret-rotation-function';
import { CLEANUP_INTERVAL } from './rotation-settings';
import { FunctionLogSettings, createLibraryFunction } from '../internal/library-function';

/** Props for `ClientSecretRotation`. */
export interface ClientSecretRotationProps {
  /** The user pool that owns the client. */
  readonly userPool: cognito.IUserPool;
  /** The app client whose secret is rotated. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The secret holding the client secret as JSON, written by `ClientSecretStore`. */
  readonly secret: secretsmanager.ISecret;
  /** Customer-managed key encrypting the secret. */
  readonly encryptionKey: kms.IKey;
  /** Where the function's logs go. */
  readonly logs: FunctionLogSettings;
  /** How often the secret is rotated (resolved and validated by the configuration). */
  readonly schedule: Duration;
  /** How long a replaced secret stays valid after the new one became current. */
  readonly gracePeriod: Duration;
  /**
   * Something the rotation schedule must wait for, such as the resource that writes the first value.
   * @default - none
   */
  readonly initialValue?: IDependable;
}

/**
 * Zero-downtime rotation of a Cognito app client secret held in Secrets Manager.
 *
 * Cognito keeps up to two active secrets per app client. Each rotation adds a new one and makes it
 * `AWSCURRENT`; the previous one stays valid for the grace period and is then deleted by an hourly
 * cleanup. The function has its own role, limited to the one pool, the one secret and its key.
 */
export class ClientSecretRotation extends Construct {
  /** The rotation function. */
  public readonly rotationFunction: lambda.IFunction;
  /** The rotation schedule on the secret. */
  public readonly rotationSchedule: secretsmanager.CfnRotationSchedule;
  /** The rotation schedule in force. */
  public readonly schedule: Duration;
  /** The grace period in force. */
  public readonly gracePeriod: Duration;

  constructor(scope: Construct, id: string, props: ClientSecretRotationProps) {
    super(scope, id);
    this.schedule = props.schedule;
    this.gracePeriod = props.gracePeriod;

    const stack = Stack.of(this);
    const { fn, policy } = createLibraryFunction(this, {
      create: (parent, functionId, options) => new ClientSecretRotationFunction(parent, functionId, options),
      options: {
        description: 'Rotates the Cognito app client secret with two active secrets; never logs a secret.',
        timeout: Duration.minutes(2),
        memorySize: 256,
        environment: {
          USER_POOL_ID: props.userPool.userPoolId,
          CLIENT_ID: props.userPoolClient.userPoolClientId,
          SECRET_ARN: props.secret.secretArn,
          GRACE_PERIOD_SECONDS: String(this.gracePeriod.toSeconds()),
        },
      },
      roleDescription: 'Rotates one Cognito app client secret held in one Secrets Manager secret.',
      policyDescription: 'Least privilege for the client secret rotation: one pool, one secret, one key, one log group.',
      logs: props.logs,
      statements: [
        // Cognito authorizes these on the user pool; the function only ever passes its own client ID.
        new iam.PolicyStatement({
          actions: ['cognito-idp:AddUserPoolClientSecret', 'cognito-idp:ListUserPoolClientSecrets', 'cognito-idp:DeleteUserPoolClientSecret'],
          resources: [props.userPool.userPoolArn],
        }),
        new iam.PolicyStatement({
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:ListSecretVersionIds',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          resources: [props.secret.secretArn],
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
        }),
      ],
      ruleReasons: {
        deadLetterQueue: 'Secrets Manager invokes the function synchronously for each rotation step and records a failed step on the secret; the hourly cleanup is idempotent and its next run repeats a failed one, so no failed event needs a dead-letter queue.',
        reservedConcurrency: 'The function runs a few times per rotation and once an hour, and a throttled run only delays it: a failed rotation '
          + 'leaves the current secret valid and can be started again, and the hourly cleanup repeats at its next run; a reservation would hold '
          + 'capacity from the account\'s unreserved pool all year for work that tolerates a delay.',
        outsideVpc: 'The function calls only the Cognito and Secrets Manager APIs over TLS with IAM authentication and reaches no resource inside a VPC.',
      },
    });
    this.rotationFunction = fn;

    // Secrets Manager may invoke the function for this secret only, from this account.
    const invoke = new lambda.CfnPermission(this, 'SecretsManagerInvoke', {
      functionName: fn.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn: props.secret.secretArn,
    });

    const cleanup = new events.Rule(this, 'Cleanup', {
      description: 'Deletes app client secrets whose grace period after rotation has ended.',
      schedule: events.Schedule.rate(CLEANUP_INTERVAL),
    });
    cleanup.addTarget(new targets.LambdaFunction(fn, {
      event: events.RuleTargetInput.fromObject({ action: 'deleteExpiredClientSecrets' }),
      retryAttempts: 2,
      maxEventAge: Duration.minutes(30),
    }));

    // The L1 resource keeps the grants to the function's one managed policy: the L2 would add an
    // inline policy with a wildcard for secretsmanager:GetRandomPassword, which the function does not use.
    this.rotationSchedule = new secretsmanager.CfnRotationSchedule(this, 'Schedule', {
      secretId: props.secret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { scheduleExpression: events.Schedule.rate(this.schedule).expressionString },
      rotateImmediatelyOnUpdate: true,
    });
    // Secrets Manager must find the first value, the permissions and the function in place.
    this.rotationSchedule.node.addDependency(policy, fn, invoke);
    if (props.initialValue) this.rotationSchedule.node.addDependency(props.initialValue);

  }
}
