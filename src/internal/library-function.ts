import { CfnResource, RemovalPolicy, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { RuleAcknowledgement, acknowledgeRules } from './acknowledgements';
import { HIPAA_AND_NIST_PACKS } from './compliance-packs';

/** Where every library function's logs go. */
export interface FunctionLogSettings {
  /** Customer-managed key of the log group; its policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Why a function answers the HIPAA Security and NIST 800-53 Lambda rules as it does. A reason left
 * out means the function meets that rule itself (it has a dead-letter queue, reserved concurrency,
 * or runs in a VPC).
 */
export interface LambdaRuleReasons {
  readonly deadLetterQueue?: string;
  readonly reservedConcurrency?: string;
  readonly outsideVpc?: string;
}

/** Construct IDs of the four parts, so that existing resources keep their logical IDs. */
export interface LibraryFunctionIds {
  readonly function: string;
  readonly logGroup: string;
  readonly role: string;
  readonly policy: string;
}

export interface LibraryFunctionProps {
  /** Creates the bundled function (the projen-generated `*Function` class). */
  readonly create: (scope: Construct, id: string, options: lambda.FunctionOptions) => lambda.Function;
  /** Function options other than its role and log group. */
  readonly options: Omit<lambda.FunctionOptions, 'role' | 'logGroup'>;
  readonly roleDescription: string;
  readonly policyDescription: string;
  /** What the function may do besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  readonly logs: FunctionLogSettings;
  readonly ruleReasons: LambdaRuleReasons;
  /** @default Function, Logs, Role, Policy */
  readonly ids?: LibraryFunctionIds;
}

export interface LibraryFunction {
  readonly fn: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  readonly policy: iam.ManagedPolicy;
}

/** The CloudFormation resources of the functions built here, for the compliance report. */
const LIBRARY_FUNCTIONS = new WeakSet<object>();

/**
 * Whether `resource` is the CloudFormation resource of a function built by `createLibraryFunction`.
 * Such functions keep only resource names, IDs, ARNs, numeric settings and role maps in their
 * environment variables, never a secret value.
 */
export function isLibraryFunction(resource: object): boolean {
  return LIBRARY_FUNCTIONS.has(resource);
}

/** Records every Lambda function below `scope` as the library's, for those not built by `createLibraryFunction`. */
export function recordLibraryFunctions(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (CfnResource.isCfnResource(child) && child.cfnResourceType === 'AWS::Lambda::Function') LIBRARY_FUNCTIONS.add(child);
  }
}

const DEFAULT_IDS: LibraryFunctionIds = { function: 'Function', logGroup: 'Logs', role: 'Role', policy: 'Policy' };

/**
 * Every Lambda function of the library, built one way: an encrypted log group, its own role, one
 * customer-managed policy (no AWS managed or inline policies) that starts with writing to that
 * log group, the function waiting for that policy, and its answers to the Lambda rules recorded
 * as acknowledgements.
 */
export function createLibraryFunction(scope: Construct, props: LibraryFunctionProps): LibraryFunction {
  const ids = props.ids ?? DEFAULT_IDS;
  const logGroup = new logs.LogGroup(scope, ids.logGroup, {
    encryptionKey: props.logs.encryptionKey,
    retention: props.logs.logRetention,
    removalPolicy: props.logs.removalPolicy,
  });
  const role = new iam.Role(scope, ids.role, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  const policy = new iam.ManagedPolicy(scope, ids.policy, {
    roles: [role],
    description: props.policyDescription,
    statements: [
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      ...props.statements,
    ],
  });
  const fn = props.create(scope, ids.function, { ...props.options, role, logGroup });
  // The function may not run before it can write its logs. Only the function resource waits: in a
  // VPC the policy names the function's security group, which must not wait for the policy.
  fn.node.defaultChild!.node.addDependency(policy);
  LIBRARY_FUNCTIONS.add(fn.node.defaultChild!);
  const acknowledgements = lambdaRuleAcknowledgements(props.ruleReasons);
  if (acknowledgements.length > 0) acknowledgeRules(fn, ...acknowledgements);
  return { fn, logGroup, role, policy };
}

function lambdaRuleAcknowledgements(reasons: LambdaRuleReasons): RuleAcknowledgement[] {
  const byRule: [string, string | undefined][] = [
    ['LambdaDLQ', reasons.deadLetterQueue],
    ['LambdaConcurrency', reasons.reservedConcurrency],
    ['LambdaInsideVPC', reasons.outsideVpc],
  ];
  return HIPAA_AND_NIST_PACKS.flatMap((pack) => byRule
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([rule, reason]) => ({ id: `${pack}-${rule}`, reason })));
}

/** Why a function that reaches only AWS service APIs runs outside a VPC. */
const OUTSIDE_VPC_REASON = 'The function calls only AWS service APIs over TLS with IAM authentication and reaches no resource inside a VPC, '
  + 'so it has no VPC option: its role\'s resource-scoped policy, not its network, limits what it can reach.';

/**
 * The answers of a function that its caller invokes synchronously and that touches no network
 * resource in a VPC.
 *
 * @param invocation how the function is invoked, completing "The function is invoked …"
 * @param options.reservesConcurrency the function has reserved concurrency; otherwise its absence is
 *   explained by `RESERVED_CONCURRENCY_OFF_REASON`
 */
export function synchronousInvocationReasons(invocation: string, options: { readonly reservesConcurrency?: boolean } = {}): LambdaRuleReasons {
  return {
    deadLetterQueue: `A dead-letter queue only receives failed asynchronous invocations; ${invocation}, so a failure is reported to the caller and nothing is queued.`,
    reservedConcurrency: options.reservesConcurrency ? undefined : RESERVED_CONCURRENCY_OFF_REASON,
    outsideVpc: OUTSIDE_VPC_REASON,
  };
}

/**
 * Why a function has no reserved concurrency where the resolved configuration turned reservations
 * off (`securityTriggers.reserveConcurrency` false, the default of presets whose
 * `reserveTriggerConcurrency` is off, such as dev). Says nothing about other environments.
 */
export const RESERVED_CONCURRENCY_OFF_REASON = 'Reserved concurrency is off in this environment (securityTriggers.reserveConcurrency is false, '
  + 'the default of presets whose reserveTriggerConcurrency is off, such as dev) because a reservation fails the deployment in accounts '
  + 'whose concurrency limit cannot keep 100 executions unreserved, which is common for new development accounts.';

/**
 * The answers of the function behind a CloudFormation custom resource: CloudFormation invokes it
 * asynchronously (an `Event` invocation) and then waits for an answer on the response URL.
 *
 * @param resource what the custom resource does, for example "copies the app client secret"
 */
export function customResourceReasons(resource: string): LambdaRuleReasons {
  return {
    deadLetterQueue: `CloudFormation invokes the function asynchronously once per create, update or delete of the custom resource that ${resource}; `
      + 'if it crashes or times out, Lambda retries the event twice and then drops it, and CloudFormation waits out the custom resource timeout '
      + 'and fails the deployment, which rolls back. A dead-letter queue would hold only that event, whose response URL has expired by then, '
      + 'so the failed deployment and the function\'s encrypted log group are where a failure is seen and investigated.',
    reservedConcurrency: 'CloudFormation invokes the function only while the stack deploys, once per change of its custom resource; '
      + 'reserving concurrency for it would take capacity from the account\'s unreserved pool all year for a few invocations per deployment.',
    outsideVpc: OUTSIDE_VPC_REASON,
  };
}
