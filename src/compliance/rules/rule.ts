/*
 * The internal frame every healthcare rule is written against. Rules read the resource as
 * CloudFormation will receive it (property overrides and tags included, tokens resolved to
 * intrinsics), so they see exactly what is deployed and speak CloudFormation's property names.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { renderCfnResource } from '../../internal/rendered-resource';

/** A CloudFormation resource as it is rendered into the template. */
export interface RenderedResource {
  readonly node: CfnResource;
  readonly logicalId: string;
  readonly type: string;
  /** `Properties`, resolved: literals stay literals, references become `{ Ref }` / `{ Fn::GetAtt }` objects. */
  readonly properties: Record<string, unknown>;
}

/** Settings of the pack that rules read. */
export interface RuleOptions {
  /** Attributes no app client may let users write, e.g. `custom:user_role`. */
  readonly identityAttributes: string[];
  /** Environment names (tag values and name segments) that mark a resource as production. */
  readonly productionEnvironmentNames: string[];
}

/** What a rule needs besides the resource: the pack's options and the rest of the stack. */
export interface RuleContext {
  readonly options: RuleOptions;
  readonly template: StackTemplate;
}

/** Thrown while evaluating when a value the rule needs is not a literal in the template. */
export class UnresolvedValue extends Error {
  constructor(public readonly propertyPath: string, public readonly why: string = 'it is not a literal value in the template') {
    super(`${propertyPath}: ${why}`);
  }
}

/** The result of one rule on one resource. */
export class RuleOutcome {
  public static notApplicable(): RuleOutcome {
    return new RuleOutcome(false);
  }

  public static applicable(): RuleOutcome {
    return new RuleOutcome(true);
  }

  /** Granular finding IDs (or a single `''` for a non-granular failure). */
  public readonly failures: string[] = [];
  /** Property paths the rule could not evaluate, with why. */
  public readonly unresolved: UnresolvedValue[] = [];

  private constructor(public readonly isApplicable: boolean) {}

  /** Records a failure. */
  public fail(finding = ''): this {
    if (!this.failures.includes(finding)) this.failures.push(finding);
    return this;
  }

  /**
   * Runs one check: `failing()` returns true when the resource fails it. A value that cannot be
   * read (an `UnresolvedValue`) is recorded as such instead of passing or failing.
   */
  public check(finding: string, failing: () => boolean): this {
    try {
      if (failing()) this.fail(finding);
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      if (!this.unresolved.some((u) => u.propertyPath === error.propertyPath)) this.unresolved.push(error);
    }
    return this;
  }
}

/** One healthcare rule: its identity, the HIPAA control it supports, and its check. */
export interface HealthcareRule {
  /** Rule suffix; the finding ID is `Medflow.Healthcare-<id>`. */
  readonly id: string;
  /** The HIPAA Security Rule implementation specification or standard it supports, e.g. `164.312(d)`. */
  readonly control: string;
  /** The control's title in 45 CFR Part 164, e.g. `Person or entity authentication`. */
  readonly controlTitle: string;
  /** CloudFormation resource types the rule looks at. */
  readonly resourceTypes: string[];
  /** Whether failures are reported per finding (`Rule[finding]`) rather than once per resource. */
  readonly granular: boolean;
  /** What a finding means, in one sentence. */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  /** Checks one resource of one of `resourceTypes`. */
  evaluate(resource: RenderedResource, context: RuleContext): RuleOutcome;
}

const INTRINSIC_KEY = /^(Ref|Fn::.+|Condition)$/;

/** Whether `value` is a CloudFormation intrinsic (`{ Ref }`, `{ Fn::GetAtt }`, `{ Fn::If }`, ...). */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSIC_KEY.test(keys[0]);
}

/**
 * The value at `path` (dot-separated CloudFormation property names) of `properties`, or undefined
 * when any part is absent. Throws `UnresolvedValue` when a part of the path is an intrinsic.
 */
export function valueAt(properties: Record<string, unknown>, path: string): unknown {
  let current: unknown = properties;
  const walked: string[] = [];
  for (const key of path.split('.')) {
    if (current === undefined || current === null) return undefined;
    if (isIntrinsic(current)) throw new UnresolvedValue(walked.join('.'));
    if (typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
    walked.push(key);
  }
  if (isIntrinsic(current)) throw new UnresolvedValue(path);
  return current;
}

/** A literal string, number or boolean at `path`, or undefined when absent. */
export function primitiveAt(properties: Record<string, unknown>, path: string): string | number | boolean | undefined {
  const value = valueAt(properties, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') throw new UnresolvedValue(path, 'it is not a single literal value');
  return value as string | number | boolean;
}

/**
 * Whether `path` holds a non-empty literal string or an intrinsic (a value built from a reference is
 * present whatever it resolves to). False when it or a parent is absent; throws `UnresolvedValue`
 * when a parent is an intrinsic.
 */
export function presentAt(properties: Record<string, unknown>, path: string): boolean {
  const parts = path.split('.');
  const key = parts.pop()!;
  const parent = parts.length > 0 ? valueAt(properties, parts.join('.')) : properties;
  if (parent === undefined || parent === null || typeof parent !== 'object') return false;
  const value = (parent as Record<string, unknown>)[key];
  return (typeof value === 'string' && value !== '') || isIntrinsic(value);
}

/** A list at `path` whose every entry is a literal string, or undefined when absent. */
export function stringListAt(properties: Record<string, unknown>, path: string): string[] | undefined {
  const value = valueAt(properties, path);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new UnresolvedValue(path, 'it is not a literal list');
  return value.map((entry, i) => {
    if (typeof entry !== 'string') throw new UnresolvedValue(`${path}[${i}]`);
    return entry;
  });
}

/** The logical ID a `{ Ref }` or `{ Fn::GetAtt }` points to, or undefined for anything else. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isIntrinsic(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Whether `value` holds, anywhere inside it, a `{ Ref: logicalId }` or `{ Fn::GetAtt: [logicalId, attribute?] }`. */
export function references(value: unknown, logicalId: string, attribute?: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (isIntrinsic(value)) {
    if (value.Ref === logicalId && attribute === undefined) return true;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[0] === logicalId && (attribute === undefined || getAtt[1] === attribute)) return true;
  }
  return Object.values(value as Record<string, unknown>).some((child) => references(child, logicalId, attribute));
}

/**
 * The rendered resources of one stack, indexed for the cross-resource rules (a client's pool, the
 * log delivery for a pool, the rotation schedule for a secret).
 */
export class StackTemplate {
  private readonly byId = new Map<string, RenderedResource>();
  private readonly byNode = new Map<CfnResource, RenderedResource>();

  constructor(stack: Stack) {
    for (const construct of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(construct) || Stack.of(construct) !== stack) continue;
      const rendered = render(construct);
      if (!rendered) continue;
      this.byId.set(rendered.logicalId, rendered);
      this.byNode.set(construct, rendered);
    }
  }

  /** The rendered form of `node`, or undefined when it does not synthesize. */
  public of(node: CfnResource): RenderedResource | undefined {
    return this.byNode.get(node);
  }

  /** The resource with `logicalId`, when it is in this stack. */
  public get(logicalId: string | undefined): RenderedResource | undefined {
    return logicalId === undefined ? undefined : this.byId.get(logicalId);
  }

  /** Every resource of `type`, in construct-tree order. */
  public ofType(type: string): RenderedResource[] {
    return [...this.byId.values()].filter((r) => r.type === type);
  }

  /** Every resource whose type is `type` or matches it. */
  public matching(test: (type: string) => boolean): RenderedResource[] {
    return [...this.byId.values()].filter((r) => test(r.type));
  }
}

/** Renders one resource as the template will hold it, or undefined when it is not synthesized. */
function render(node: CfnResource): RenderedResource | undefined {
  const rendered = renderCfnResource(node);
  return rendered && { node, ...rendered };
}

/** Whether `construct` is inside a stack (rules need one to read the template). */
export function hasStack(construct: IConstruct): boolean {
  return construct.node.scopes.some((c) => Stack.isStack(c));
}
