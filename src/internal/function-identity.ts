import { RemovalPolicy, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Construct IDs and texts of one function's log group, role and policy. */
export interface FunctionIdentityOptions {
  readonly logGroupId: string;
  readonly roleId: string;
  readonly policyId: string;
  readonly roleDescription: string;
  readonly policyDescription: string;
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** What the function may do besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
}

/**
 * The least-privilege identity every library function gets: an encrypted log group, its own role,
 * and one customer-managed policy (no AWS managed or inline policies) that starts with writing to
 * that log group.
 */
export function createFunctionIdentity(scope: Construct, options: FunctionIdentityOptions) {
  const logGroup = new logs.LogGroup(scope, options.logGroupId, {
    encryptionKey: options.encryptionKey,
    retention: options.logRetention,
    removalPolicy: options.removalPolicy,
  });
  const role = new iam.Role(scope, options.roleId, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: options.roleDescription,
  });
  const policy = new iam.ManagedPolicy(scope, options.policyId, {
    roles: [role],
    description: options.policyDescription,
    statements: [
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      ...options.statements,
    ],
  });
  return { logGroup, role, policy };
}
