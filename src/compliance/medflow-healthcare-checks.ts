import {
  CfnResource,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stack,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RULE_COMPLIANT, RULE_NON_COMPLIANT, RULE_NOT_APPLICABLE, RuleApplication, RuleVerdict } from './rule-application';
import { HEALTHCARE_RULES } from './rules';
import { findAcknowledgement } from '../internal/acknowledgements';
import { MEDFLOW_HEALTHCARE_PACK } from '../internal/compliance-packs';
import { HealthcareAttributes } from '../user-pool/healthcare-attributes';
import { HealthcareRule, RuleContext, RuleOptions, RuleOutcome, StackTemplate } from './rules/rule';
import { PropValidator } from '../internal/prop-validation';

/** Props for `MedflowHealthcareChecks`. */
export interface MedflowHealthcareChecksProps {
  /**
   * Whether a finding's description adds the rule's explanation and the HIPAA control it supports.
   * @default false
   */
  readonly verbose?: boolean;
  /**
   * Attributes that no app client may let users write; they change only through Admin API calls.
   * Custom attributes carry the `custom:` prefix.
   * @default MedflowHealthcareChecks.DEFAULT_IDENTITY_ATTRIBUTES (custom:medical_license, custom:license_state,
   * custom:clinic_id, custom:user_role, custom:npi_number)
   */
  readonly identityAttributes?: string[];
  /**
   * Environment names that mark a user pool or client as production when the library did not
   * create it, matched against the `Environment` tag and against the `-`, `_` or `.` separated
   * segments of its name (case-insensitive). Pools and clients that `MedflowCognito` created carry
   * their preset's `production` setting as `medflow:environment` template metadata, which decides instead.
   * @default MedflowHealthcareChecks.DEFAULT_PRODUCTION_ENVIRONMENT_NAMES (prod, production)
   */
  readonly productionEnvironmentNames?: string[];
}

/** One rule of `MedflowHealthcareChecks` and the HIPAA Security Rule control it supports. */
export interface HealthcareRuleDescription {
  /** The rule ID findings carry, for example `Medflow.Healthcare-CognitoPasswordPolicy`. */
  readonly ruleId: string;
  /** The 45 CFR Part 164 section it supports, for example `164.308(a)(5)(ii)(D)`. */
  readonly hipaaControl: string;
  /** The title of that section, for example `Password management`. */
  readonly hipaaControlTitle: string;
  /** CloudFormation resource types the rule checks. */
  readonly resourceTypes: string[];
  /** What a finding means. */
  readonly info: string;
  /** Why the rule exists and how it decides. */
  readonly explanation: string;
}

/**
 * A rule pack for Amazon Cognito in healthcare: password, MFA, threat protection and the risk
 * actions it takes, email through Amazon SES, user data under a customer-managed key,
 * deletion protection, lockout triggers and log delivery on user pools; user existence errors,
 * token lifetimes, password auth in production and identity-attribute writes on app clients;
 * rotation of secrets holding client secrets; guest access and ambiguous-role resolution on
 * identity pools. Each rule names the HIPAA Security Rule control it supports
 * (`MedflowHealthcareChecks.describeRules()`).
 *
 * Rules read each resource as CloudFormation receives it, so run the pack after synthesis
 * (`app.synth()` or `Template.fromStack(stack)`), when tags and overrides are applied. A value the
 * rule needs that is a token (a parameter, an import, a reference) is reported as a finding
 * `<rule>[Unresolved::<property>]` whose description says the rule could not evaluate it.
 *
 * Works on your own user pools as well as on `MedflowCognito`.
 *
 * It is a policy validation plugin (`IPolicyValidationPlugin`), which is what cdk-nag 3 packs are:
 * `validateScope(scope)` returns the same report, findings are named `<pack>-<rule>[<finding>]`, and
 * it honours the acknowledgements cdk-nag 3 honours (`Validations.of(scope).acknowledge()` and
 * `Acknowledgements.add`). It needs nothing from cdk-nag itself, so it works in every jsii language
 * whether or not cdk-nag is installed.
 *
 * @example
 * const report = new MedflowHealthcareChecks().validateScope(stack);
 */
export class MedflowHealthcareChecks implements IPolicyValidationPlugin {
  /** The pack name: findings are `Medflow.Healthcare-<rule>`. */
  public static readonly PACK_NAME = MEDFLOW_HEALTHCARE_PACK;

  /** The identity attributes checked by default (DESIGN: only the backend's Admin API writes them). */
  public static readonly DEFAULT_IDENTITY_ATTRIBUTES: string[] = HealthcareAttributes.identityAttributeNames();

  /** The environment names treated as production by default. */
  public static readonly DEFAULT_PRODUCTION_ENVIRONMENT_NAMES: string[] = ['prod', 'production'];

  /** Every rule of the pack with the HIPAA Security Rule control it supports. */
  public static describeRules(): HealthcareRuleDescription[] {
    return HEALTHCARE_RULES.map((rule) => ({
      ruleId: `${MedflowHealthcareChecks.PACK_NAME}-${rule.id}`,
      hipaaControl: rule.control,
      hipaaControlTitle: rule.controlTitle,
      resourceTypes: [...rule.resourceTypes],
      info: rule.info,
      explanation: rule.explanation,
    }));
  }

  /** The pack name, as a policy validation plugin. */
  public readonly name: string = MedflowHealthcareChecks.PACK_NAME;
  /** Every rule ID the pack evaluates. */
  public readonly ruleIds?: string[] = HEALTHCARE_RULES.map((rule) => `${MedflowHealthcareChecks.PACK_NAME}-${rule.id}`);
  private readonly options: RuleOptions;
  private readonly verbose: boolean;
  private templates = new Map<Stack, StackTemplate>();
  private violations: PolicyViolation[] = [];

  constructor(props: MedflowHealthcareChecksProps = {}) {
    const validator = new PropValidator('MedflowHealthcareChecks');
    const identityAttributes = props.identityAttributes ?? MedflowHealthcareChecks.DEFAULT_IDENTITY_ATTRIBUTES;
    const productionEnvironmentNames = props.productionEnvironmentNames ?? MedflowHealthcareChecks.DEFAULT_PRODUCTION_ENVIRONMENT_NAMES;
    if (identityAttributes.length === 0) {
      validator.fail('identityAttributes', '[]', 'at least one attribute name; acknowledge the rule instead of emptying the list');
    }
    for (const name of identityAttributes) {
      validator.matches('identityAttributes', name, /^(custom:)?[A-Za-z0-9_:-]{1,32}$/,
        'attribute names such as custom:user_role (custom attributes with the custom: prefix), 1-32 characters after it');
    }
    if (productionEnvironmentNames.length === 0) {
      validator.fail('productionEnvironmentNames', '[]', 'at least one environment name, such as prod');
    }
    for (const name of productionEnvironmentNames) {
      validator.matches('productionEnvironmentNames', name, /^[A-Za-z0-9]{1,32}$/, 'letters and digits, 1-32 characters, such as prod');
    }
    this.options = { identityAttributes: [...identityAttributes], productionEnvironmentNames: [...productionEnvironmentNames] };
    this.verbose = props.verbose ?? false;
  }

  /** The pack name (the prefix of every finding ID), as cdk-nag packs expose it. */
  public get readPackName(): string {
    return this.name;
  }

  /**
   * Called by the CDK's policy validation. The rules need the construct tree, which a validation
   * context carries only where the CDK provides `appConstruct`; otherwise use `validateScope`.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const appConstruct = (context as { appConstruct?: IConstruct }).appConstruct;
    if (!appConstruct) {
      throw new Error('MedflowHealthcareChecks.validate: the validation context has no construct tree (appConstruct); '
        + 'call validateScope(app) after synthesis instead.');
    }
    return this.validateScope(appConstruct);
  }

  /** Checks every CloudFormation resource under `scope` (usually a synthesized stack or app). */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.templates = new Map();
    this.violations = [];
    try {
      this.walk(scope);
      return { success: this.violations.length === 0, violations: this.violations };
    } finally {
      this.templates = new Map();
    }
  }

  private walk(construct: IConstruct): void {
    if (CfnResource.isCfnResource(construct)) this.checkResource(construct);
    for (const child of construct.node.children) this.walk(child);
  }

  private checkResource(node: CfnResource): void {
    for (const rule of HEALTHCARE_RULES) {
      let outcome: RuleOutcome;
      try {
        outcome = this.evaluate(rule, node);
      } catch (error) {
        // A rule that throws is a finding of that rule, so a broken rule never passes silently.
        this.applyRule(this.application(rule, node, rule.info, () => { throw error; }));
        continue;
      }
      this.report(rule, node, outcome);
    }
  }

  private evaluate(rule: HealthcareRule, node: CfnResource): RuleOutcome {
    if (!rule.resourceTypes.includes(node.cfnResourceType)) return RuleOutcome.notApplicable();
    const template = this.templateOf(node);
    const rendered = template.of(node);
    if (!rendered) return RuleOutcome.notApplicable();
    const context: RuleContext = { options: this.options, template };
    return rule.evaluate(rendered, context);
  }

  private report(rule: HealthcareRule, node: CfnResource, outcome: RuleOutcome): void {
    if (!outcome.isApplicable) {
      this.applyRule(this.application(rule, node, rule.info, () => RULE_NOT_APPLICABLE));
      return;
    }
    const failures = outcome.failures;
    if (failures.length > 0 || outcome.unresolved.length === 0) {
      this.applyRule(this.application(rule, node, rule.info, () => {
        if (failures.length === 0) return RULE_COMPLIANT;
        return rule.granular ? failures.filter((f) => f !== '') : RULE_NON_COMPLIANT;
      }));
    }
    for (const unresolved of outcome.unresolved) {
      const info = `${rule.id} could not be evaluated: ${unresolved.propertyPath} is undecidable because ${unresolved.why}. `
        + 'Make the value a literal, or acknowledge this finding with a reason that states the value you deploy.';
      this.applyRule(this.application(rule, node, info, () => [`Unresolved::${unresolved.propertyPath}`]));
    }
  }

  /**
   * Applies one rule to one resource and records its unacknowledged findings. It has the shape of
   * cdk-nag's `NagPack.applyRule`, so `ComplianceReport` counts this pack's rules like any cdk-nag pack's.
   */
  private applyRule(application: RuleApplication): void {
    const ruleId = `${this.name}-${application.ruleSuffixOverride}`;
    let verdict: RuleVerdict;
    try {
      verdict = application.rule(application.node);
    } catch (error) {
      this.addViolation(ruleId, application, `The rule threw an error: ${(error as Error).message}`);
      return;
    }
    const findings = Array.isArray(verdict) ? verdict.map((finding) => `${ruleId}[${finding}]`)
      : verdict === RULE_NON_COMPLIANT ? [ruleId] : [];
    for (const findingId of findings) this.addViolation(findingId, application);
  }

  private addViolation(findingId: string, application: RuleApplication, error?: string): void {
    if (findAcknowledgement(application.node, findingId)) return;
    const description = error ?? (this.verbose ? `${application.info} ${application.explanation}` : application.info);
    const resource = { constructPath: application.node.node.path, locations: ['Properties'] };
    const existing = this.violations.find((v) => v.ruleName === findingId);
    if (existing) {
      existing.violatingResources.push(resource);
    } else {
      this.violations.push({ ruleName: findingId, description, severity: 'error', violatingResources: [resource] });
    }
  }

  private application(rule: HealthcareRule, node: CfnResource, info: string, verdict: () => RuleVerdict): RuleApplication {
    return {
      ruleSuffixOverride: rule.id,
      info,
      explanation: `${rule.explanation} Supports HIPAA Security Rule ${rule.control} (${rule.controlTitle}).`,
      level: 'Error',
      node,
      rule: verdict,
    };
  }

  private templateOf(node: CfnResource): StackTemplate {
    const stack = Stack.of(node);
    let template = this.templates.get(stack);
    if (!template) {
      template = new StackTemplate(stack);
      this.templates.set(stack, template);
    }
    return template;
  }
}
