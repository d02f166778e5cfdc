/*
 * The public shapes of a compliance report: options, per-stack and per-pack results, the HIPAA
 * control view, the reason groups and the functions' environment variables.
 */
import { IPolicyValidationPlugin } from 'aws-cdk-lib';
import { AcknowledgedRule } from '../internal/acknowledgements';

/** Options for `ComplianceReport.check`. */
export interface ComplianceReportOptions {
  /**
   * The packs to run on every stack: `MedflowHealthcareChecks` and any cdk-nag 3 pack, such as
   * `AwsSolutionsChecks`, `HIPAASecurityChecks` and `NIST80053R5Checks`.
   * @default - MedflowHealthcareChecks only
   */
  readonly packs?: IPolicyValidationPlugin[];
  /**
   * The Markdown report's title.
   * @default 'Compliance report'
   */
  readonly title?: string;
  /**
   * The commit the app was built from, shown in the header. Give it when you publish the report
   * as the evidence of a release.
   * @default - no commit in the report
   */
  readonly commit?: string;
  /**
   * The report's date, `YYYY-MM-DD`. A committed report should take a date that does not change
   * when it is regenerated from the same sources, such as the date of their last commit.
   * @default - today (UTC)
   */
  readonly date?: string;
}

/** A rule pack and its version. */
export interface PackVersion {
  /** The pack name, for example `HIPAA.Security`. */
  readonly pack: string;
  /** The version of the package that ships the pack, when known. */
  readonly version?: string;
}

/** What the report was produced from. */
export interface ReportHeader {
  /** This library's package name. */
  readonly library: string;
  /** This library's version. */
  readonly libraryVersion: string;
  /** The aws-cdk-lib version the app was synthesized with. */
  readonly awsCdkLibVersion: string;
  /** The cdk-nag version, when cdk-nag is installed. */
  readonly cdkNagVersion?: string;
  /** Every pack run, with its version. */
  readonly packs: PackVersion[];
  /** The commit, when given. */
  readonly commit?: string;
  /** The report's date, `YYYY-MM-DD`. */
  readonly date: string;
}

/** How a HIPAA Security Rule control fared on one stack. */
export interface ControlStackStatus {
  /** The stack name. */
  readonly stackName: string;
  /** The worst status of the control's rules evaluated on the stack; undefined when none of them applied. */
  readonly status?: RuleStatus;
}

/** A HIPAA Security Rule control and the evaluated rules that support it. */
export interface ControlResult {
  /** The 45 CFR section, for example `164.312(d)`. */
  readonly control: string;
  /** Its title, for example `Person or entity authentication`. */
  readonly title: string;
  /** The rules, from every pack, that support the control and applied to at least one stack, sorted. */
  readonly ruleIds: string[];
  /** The control's status per stack, in stack order. */
  readonly stacks: ControlStackStatus[];
}

/** One acknowledged finding under a reason. */
export interface ReasonFinding {
  /** The stack name. */
  readonly stackName: string;
  /** The finding ID. */
  readonly findingId: string;
  /** CloudFormation logical ID of the resource, as in the stack's template. */
  readonly logicalId: string;
  /** Construct path of the resource. */
  readonly resourcePath: string;
}

/** Every acknowledged finding that carries one reason. */
export interface ReasonGroup {
  /** The reason, as recorded. */
  readonly reason: string;
  /** The rules whose findings it acknowledges, sorted. */
  readonly ruleIds: string[];
  /** The findings, sorted by stack, resource and finding. */
  readonly findings: ReasonFinding[];
}

/** The environment variables of one Lambda function. */
export interface FunctionEnvironment {
  /** The stack name. */
  readonly stackName: string;
  /** CloudFormation logical ID of the function. */
  readonly logicalId: string;
  /** Construct path of the function's resource. */
  readonly resourcePath: string;
  /** The variable names, sorted (the values are not reported). */
  readonly variables: string[];
  /** The function sets a customer-managed key for its variables (`KmsKeyArn`). */
  readonly customerManagedKey: boolean;
  /** The function was built by this library, whose functions hold no secret in their variables. */
  readonly libraryFunction: boolean;
}

/** How a rule fared on one stack. */
export enum RuleStatus {
  /** Every resource the rule applies to complies. */
  PASSED = 'passed',
  /** Some resources fail the rule, and every such finding is acknowledged with a reason. */
  ACKNOWLEDGED = 'acknowledged',
  /** At least one finding is not acknowledged. */
  FAILED = 'failed',
}

/** One rule that applied to at least one resource of a stack. */
export interface RuleResult {
  /** The rule ID, for example `AwsSolutions-COG2`. */
  readonly ruleId: string;
  /** How the rule fared. */
  readonly status: RuleStatus;
  /** How many resources the rule applied to. */
  readonly resourcesChecked: number;
}

/** A finding that is acknowledged. */
export interface AcknowledgedFinding {
  /** The finding ID, for example `AwsSolutions-IAM5[Resource::*]`. */
  readonly findingId: string;
  /** Construct path of the resource the finding is on. */
  readonly resourcePath: string;
  /** CloudFormation logical ID of the resource, as in the stack's template. */
  readonly logicalId: string;
  /** Construct path the acknowledgement is recorded on (the resource or an ancestor). */
  readonly acknowledgedAt: string;
  /** The acknowledgement's reason. */
  readonly reason: string;
}

/** A finding that is not acknowledged. */
export interface UnacknowledgedFinding {
  /** The finding ID, for example `AwsSolutions-IAM5[Resource::*]`. */
  readonly findingId: string;
  /** Construct path of the resource the finding is on. */
  readonly resourcePath: string;
  /** CloudFormation logical ID of the resource, when the finding names one. */
  readonly logicalId?: string;
  /** The pack's description of the finding. */
  readonly description: string;
  /** `error` or `warning`. */
  readonly severity: string;
}

/** One pack's result on one stack. */
export interface PackResult {
  /** The pack name, for example `AwsSolutions`. */
  readonly pack: string;
  /** Rules that applied to at least one resource. */
  readonly rulesEvaluated: number;
  /** Evaluated rules every resource complies with. */
  readonly rulesPassed: number;
  /** Evaluated rules whose findings are all acknowledged. */
  readonly rulesAcknowledged: number;
  /** Evaluated rules with at least one unacknowledged finding. */
  readonly rulesFailed: number;
  /** Rules of the pack that applied to no resource of the stack. */
  readonly rulesNotApplicable: number;
  /** Every evaluated rule, sorted by ID. */
  readonly rules: RuleResult[];
  /** Acknowledged findings, sorted by finding and resource. */
  readonly acknowledged: AcknowledgedFinding[];
  /** Unacknowledged findings, sorted by finding and resource. */
  readonly failed: UnacknowledgedFinding[];
  /** Acknowledgements of this pack's rules recorded in the stack that matched no finding. */
  readonly unusedAcknowledgements: AcknowledgedRule[];
}

/** Every pack's result on one stack. */
export interface StackResult {
  /** The stack name. */
  readonly stackName: string;
  /** The stack's template file name in the cloud assembly, for example `MedflowAuthProd.template.json`. */
  readonly templateFile: string;
  /** The value of the `Environment` tag shared by the stack's tagged resources, when there is exactly one. */
  readonly environment?: string;
  /** CloudFormation resources in the stack, nested stacks included (AWS::CDK::Metadata excluded). */
  readonly resourceCount: number;
  /** One result per pack, in the order the packs were given. */
  readonly packs: PackResult[];
  /** The stack's Lambda functions that have environment variables. */
  readonly functionEnvironments: FunctionEnvironment[];
}
