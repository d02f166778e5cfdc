/*
 * The export function, built like every library function, with its least-privilege policy.
 */
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_lambda as lambda,
  aws_s3 as s3,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UserExportFunction } from './user-export-function';
import { acknowledgeRules, nagResourceName } from '../../internal/acknowledgements';
import { createLibraryFunction } from '../../internal/library-function';

const FUNCTION_TIMEOUT = Duration.minutes(15);

export interface ExportFunctionOptions {
  readonly userPool: cognito.IUserPool;
  /** The function's name, fixed so that its own policy can let it continue a run. */
  readonly functionName: string;
  readonly bucket: s3.IBucket;
  /** The backup key: exports must be encrypted with it, and the dead-letter queue is. */
  readonly key: kms.IKey;
  /** The HMAC key whose GenerateMac signs each export's manifest. */
  readonly manifestKey: kms.IKey;
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
 * It has a dead-letter queue, so only concurrency and VPC are acknowledged.
 */
export function createExportFunction(scope: Construct, options: ExportFunctionOptions): lambda.IFunction {
  const { bucket, key, deadLetterQueue: queue } = options;
  const stack = Stack.of(scope);
  const functionArn = stack.formatArn({ service: 'lambda', resource: 'function', resourceName: options.functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const exportObjects = bucket.arnForObjects('exports/*');
  const checkpointObjects = bucket.arnForObjects('checkpoints/*');
  const invocation = 'EventBridge Scheduler invokes the function asynchronously once a day and the function continues long runs by invoking itself';
  const { fn, policy } = createLibraryFunction(scope, {
    create: (parent, functionId, functionOptions) => new UserExportFunction(parent, functionId, functionOptions),
    options: {
      functionName: options.functionName,
      description: 'Exports the user pool\'s users, attributes, groups and memberships as JSON Lines to the backup bucket.',
      timeout: FUNCTION_TIMEOUT,
      memorySize: 512,
      environment: {
        USER_POOL_ID: options.userPool.userPoolId,
        BUCKET_NAME: bucket.bucketName,
        KMS_KEY_ARN: key.keyArn,
        MANIFEST_KEY_ARN: options.manifestKey.keyArn,
        REQUESTS_PER_SECOND: String(options.requestsPerSecond),
        SAFETY_MARGIN_SECONDS: '60',
      },
    },
    roleDescription: 'Runs the user export: lists one user pool, writes one bucket, continues its own run.',
    policyDescription: 'Least privilege for the user export: list one pool, write exports and checkpoints to one bucket, sign manifests with one HMAC key, invoke itself, dead-letter to one queue.',
    statements: [
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
      // GenerateMac only: the function signs manifests and never needs to verify them.
      new iam.PolicyStatement({ actions: ['kms:GenerateMac'], resources: [options.manifestKey.keyArn] }),
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn] }),
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    ],
    logs: { encryptionKey: options.logEncryptionKey, logRetention: options.logRetention, removalPolicy: options.removalPolicy },
    ruleReasons: {
      reservedConcurrency: `${invocation}; a run never overlaps the next day's, and reserving concurrency would take capacity from the account's unreserved pool, which new accounts keep at its minimum.`,
      outsideVpc: 'The function calls only the Cognito, S3, SQS and Lambda APIs over TLS with IAM authentication and reaches no resource inside a VPC.',
    },
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
  // The dead-letter queue is set on the L1 resource so that its permission stays in the
  // customer-managed policy above instead of a generated inline policy.
  (fn.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: queue.queueArn };
  return fn;
}
