/*
 * The shape in which a rule pack applies one rule to one resource. It mirrors cdk-nag's
 * `NagPack.applyRule` parameters and verdicts structurally, without importing cdk-nag, so the
 * library has no runtime dependency on it while `ComplianceReport` observes cdk-nag packs and
 * `MedflowHealthcareChecks` alike.
 */
import { CfnResource } from 'aws-cdk-lib';

/** Every resource the rule applies to complies (cdk-nag `NagRuleCompliance.COMPLIANT`). */
export const RULE_COMPLIANT = 'Compliant';
/** The resource fails the rule (cdk-nag `NagRuleCompliance.NON_COMPLIANT`). */
export const RULE_NON_COMPLIANT = 'Non-Compliant';
/** The rule does not apply to the resource (cdk-nag `NagRuleCompliance.NOT_APPLICABLE`). */
export const RULE_NOT_APPLICABLE = 'N/A';

/** A rule's verdict on one resource: one of the three constants, or the granular findings. */
export type RuleVerdict = string | string[];

/** One application of a rule to a resource. */
export interface RuleApplication {
  ruleSuffixOverride?: string;
  info: string;
  explanation: string;
  level: string;
  node: CfnResource;
  rule(node: CfnResource): RuleVerdict;
}
