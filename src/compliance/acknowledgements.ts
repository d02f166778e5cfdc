import { IConstruct } from 'constructs';
import { AcknowledgedRule, RuleAcknowledgement, acknowledgeRules, listAcknowledgements, reasonProblem } from '../internal/acknowledgements';

export type { AcknowledgedRule, RuleAcknowledgement } from '../internal/acknowledgements';

/**
 * Records cdk-nag acknowledgements so that every cdk-nag generation honours them: the construct
 * metadata cdk-nag 3 reads, and `cdk_nag.rules_to_suppress` on every CloudFormation resource below
 * the scope for cdk-nag 2 (with `applies_to` for granular IDs such as `AwsSolutions-IAM5[Resource::*]`).
 * Call `add` after those resources exist.
 *
 * Every reason must be specific: at least 40 characters and six words, ending with a full stop,
 * and not a generic phrase such as "false positive" or "by design".
 *
 * @example
 * Acknowledgements.add(myFunction, {
 *   id: 'HIPAA.Security-LambdaInsideVPC',
 *   reason: 'The function calls only AWS service APIs over TLS with IAM authentication and reaches nothing inside a VPC.',
 * });
 */
export class Acknowledgements {
  /**
   * Acknowledges `acknowledgements` on `scope` and every CloudFormation resource below it.
   * Throws when a reason is short or generic.
   */
  public static add(scope: IConstruct, ...acknowledgements: RuleAcknowledgement[]): void {
    acknowledgeRules(scope, ...acknowledgements);
  }

  /** Every acknowledgement recorded on `scope` and its descendants, in construct-tree order. */
  public static list(scope: IConstruct): AcknowledgedRule[] {
    return listAcknowledgements(scope).map(({ path, id, reason }) => ({ constructPath: path, ruleId: id, reason }));
  }

  /**
   * The reason-quality problem with `reason`, or undefined when it is specific enough.
   * `add` throws with this text; use it to check reasons before recording them.
   */
  public static reasonProblem(ruleId: string, reason: string): string | undefined {
    return reasonProblem(ruleId, reason);
  }

  private constructor() {}
}
