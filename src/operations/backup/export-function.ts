/*
 * The export function with its log group, role and least-privilege policy.
 */
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UserExportFunction } from './user-export-function';
import { acknowledgeRules, nagResourceName } from '../../compliance/acknowledgements';

const FUNCTION_TIMEOUT = Duration.minutes(15);

export interface ExportFunctionOptions {
  readonly userPool: cognito.IUserPool;
  /** The function's name, fixed so that its own policy can let it continue a run. */
  readonly functionName: string;
  readonly bucket: s3.IBucket;
  /** The backup key: exports must be encrypted with it, and the dead-letter queue is. */
  readonly key: kms.IKey;
  readonly deadLetterQueue: sqs.IQueue;
  /** Cognito list calls per second the export allows itself. */
  readonly requestsPerSecond: number;
  readonly logEncryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Creates the export function (`Function`) in `scope`, with its log group (`Logs`), role (`Role`)
 * and customer-managed policy (`Policy`), and acknowledges the rules it deliberately does not meet.
 */
export function createExportFunction(scope: Construct, options: ExportFunctionOptions): lambda.IFunction {
  const { bucket, key, deadLetterQueue: queue } = options;
  const stack = Stack.of(scope);
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    encryptionKey: options.logEncryptionKey,
    retention: options.logRetention,
    removalPolicy: options.removalPolicy,
  });

  const functionArn = stack.formatArn({ service: 'lambda', resource: 'function', resourceName: options.functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const exportObjects = bucket.arnForObjects('exports/*');
  const checkpointObjects = bucket.arnForObjects('checkpoints/*');
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Runs the user export: lists one user pool, writes one bucket, continues its own run.',
  });
  const policy = new iam.ManagedPolicy(scope, 'Policy', {
    roles: [role],
    description: 'Least privilege for the user export: list one pool, write exports and checkpoints to one bucket, invoke itself, dead-letter to one queue.',
    statements: [
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      new iam.PolicyStatement({ actions: ['cognito-idp:ListUsers', 'cognito-idp:ListGroups', 'cognito-idp:ListUsersInGroup'], resources: [options.userPool.userPoolArn] }),
      // Write-only: the function never reads the bucket. Object keys are new per run, so the
      // resource names the two prefixes, and the condition admits only objects encrypted with
      // the backup key.
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [exportObjects, checkpointObjects],
        conditions: {
          StringEquals: {
            's3:x-amz-server-side-encryption': 'aws:kms',
            's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn,
          },
        },
      }),
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': [`s3.${stack.region}.amazonaws.com`, `sqs.${stack.region}.amazonaws.com`] } },
      }),
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn] }),
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    ],
  });
  const keyCondition = 'the wildcard covers object keys only, for PutObject only, and a condition admits only objects encrypted with the backup key.';
  acknowledgeRules(policy,
    {
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(scope, exportObjects)}]`,
      reason: `Each export run writes its JSON Lines files under exports/ with keys named after the run, unknown in advance; ${keyCondition}`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(scope, checkpointObjects)}]`,
      reason: `A run that outlasts one invocation saves its position under checkpoints/ with a key named after the run; ${keyCondition}`,
    });

  const fn = new UserExportFunction(scope, 'Function', {
    functionName: options.functionName,
    description: 'Exports the user pool\'s users, attributes, groups and memberships as JSON Lines to the backup bucket.',
    role,
    logGroup,
    timeout: FUNCTION_TIMEOUT,
    memorySize: 512,
    environment: {
      USER_POOL_ID: options.userPool.userPoolId,
      BUCKET_NAME: bucket.bucketName,
      KMS_KEY_ARN: key.keyArn,
      REQUESTS_PER_SECOND: String(options.requestsPerSecond),
      SAFETY_MARGIN_SECONDS: '60',
    },
  });
  // The dead-letter queue is set on the L1 resource so that its permission stays in the
  // customer-managed policy above instead of a generated inline policy.
  (fn.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: queue.queueArn };
  fn.node.addDependency(policy);
  const invocation = 'EventBridge Scheduler invokes the function asynchronously once a day and the function continues long runs by invoking itself';
  acknowledgeRules(fn, ...['HIPAA.Security', 'NIST.800.53.R5'].flatMap((pack) => [
    {
      id: `${pack}-LambdaConcurrency`,
      reason: `${invocation}; a run never overlaps the next day's, and reserving concurrency would take capacity from the account's unreserved pool, which new accounts keep at its minimum.`,
    },
    {
      id: `${pack}-LambdaInsideVPC`,
      reason: 'The function calls only the Cognito, S3, SQS and Lambda APIs over TLS with IAM authentication and reaches no resource inside a VPC.',
    },
  ]));
  return fn;
}
