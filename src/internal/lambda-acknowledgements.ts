import { aws_lambda as lambda } from 'aws-cdk-lib';
import { acknowledgeRules } from '../compliance/acknowledgements';

const PACKS = ['HIPAA.Security', 'NIST.800.53.R5'];

/**
 * Acknowledges, on one function, the Lambda findings that do not fit a function its caller
 * invokes synchronously and that touches no network resource in a VPC.
 *
 * @param invocation how the function is invoked, completing "The function is invoked …"
 */
export function acknowledgeSynchronousLambda(fn: lambda.IFunction, invocation: string): void {
  const reasons: Record<string, string> = {
    LambdaDLQ: `A dead-letter queue only receives failed asynchronous invocations; ${invocation}, so a failure is reported to the caller and nothing is queued.`,
    LambdaConcurrency: `${invocation}; reserving concurrency for it would take capacity from the account's unreserved pool, which new accounts keep at its minimum, without protecting anything.`,
    LambdaInsideVPC: 'The function calls only AWS service APIs over TLS with IAM authentication and reaches no resource inside a VPC; pass a vpc to place it in private subnets if your network policy requires it.',
  };
  acknowledgeRules(fn, ...PACKS.flatMap((pack) =>
    Object.entries(reasons).map(([rule, reason]) => ({ id: `${pack}-${rule}`, reason: capitalize(reason) })),
  ));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
