import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One deliberate, explained exception to a compliance rule. */
export interface RuleAcknowledgement {
  /** Rule ID as the pack reports it, for example `AwsSolutions-COG2` or `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  /** Why the finding is acceptable, in at least one full sentence a compliance officer can accept. */
  readonly reason: string;
}

/** An acknowledgement found in a construct tree. */
export interface AcknowledgedRule {
  /** Path of the construct the acknowledgement is recorded on; it covers every resource below it. */
  readonly constructPath: string;
  /** The acknowledged rule ID, for example `AwsSolutions-COG2` or `AwsSolutions-IAM5[Resource::*]`. */
  readonly ruleId: string;
  /** The recorded reason. */
  readonly reason: string;
}

const MINIMUM_REASON_LENGTH = 40;
const MINIMUM_REASON_WORDS = 6;
const V3_ID_PREFIX = 'annotation::';
const V2_METADATA_KEY = 'cdk_nag';
/** Reasons that explain nothing: they open by setting the finding aside, or are placeholders. */
const GENERIC_REASON = /^(it is |this is |a )?(false positive|not applicable|n\/a|not needed|not required|not relevant|by design|accepted risk|risk accepted|suppress|ignore)|\b(todo|tbd|fixme|xxx)\b/i;

/**
 * The reason-quality problem with `reason`, or undefined when it is specific enough: at least
 * 40 characters and six words, ending with a full stop, and not a generic phrase such as
 * "false positive" or "by design".
 */
export function reasonProblem(ruleId: string, reason: string): string | undefined {
  const trimmed = (reason ?? '').trim();
  const words = trimmed.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
  if (trimmed.length < MINIMUM_REASON_LENGTH || words < MINIMUM_REASON_WORDS || !/[.!]$/.test(trimmed)) {
    return `Acknowledgement of ${ruleId} needs a specific reason of at least ${MINIMUM_REASON_LENGTH} characters `
      + `and ${MINIMUM_REASON_WORDS} words ending in a full stop; got "${trimmed}".`;
  }
  const generic = GENERIC_REASON.exec(trimmed);
  if (generic) {
    return `Acknowledgement of ${ruleId} needs a specific reason, not the generic "${generic[0]}": `
      + `say what the resource does and why the rule's risk does not apply or is handled elsewhere; got "${trimmed}".`;
  }
  return undefined;
}

/**
 * Records acknowledgements so that every cdk-nag generation honours them.
 *
 * - cdk-nag 3 (policy validation, `validateScope`) reads the construct metadata that
 *   `Validations.of(scope).acknowledge()` writes. It is written directly because `acknowledge()`
 *   rejects IDs holding `::` more than once on aws-cdk-lib 2.257 (IAM4/IAM5 findings on ARNs).
 * - cdk-nag 2 (Aspects) reads `cdk_nag.rules_to_suppress` from each CloudFormation resource, so the
 *   acknowledgement is also written there on every resource below `scope`, with `applies_to` for
 *   granular IDs such as `AwsSolutions-IAM5[Resource::*]`. Call it after those resources exist.
 *
 * Throws when a reason is short or generic (`reasonProblem`).
 */
export function acknowledgeRules(scope: IConstruct, ...acknowledgements: RuleAcknowledgement[]): void {
  for (const { id, reason } of acknowledgements) {
    const problem = reasonProblem(id, reason);
    if (problem) throw new Error(problem);
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`${V3_ID_PREFIX}${id}`]: reason });
  }
  const v2Entries = acknowledgements.map(toV2Suppression);
  for (const resource of scope.node.findAll()) {
    if (resource instanceof CfnResource) {
      const existing = resource.getMetadata(V2_METADATA_KEY)?.rules_to_suppress ?? [];
      resource.addMetadata(V2_METADATA_KEY, { rules_to_suppress: [...existing, ...v2Entries] });
    }
  }
}

/** Every acknowledgement recorded on `scope` and its descendants, with the construct path it applies to. */
export function listAcknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = key.replace(/^annotation::/i, '');
        // Validations.acknowledge() repeats every earlier rule in each entry it writes; count each once.
        if (found.some((f) => f.path === construct.node.path && f.id === id)) continue;
        found.push({ path: construct.node.path, id, reason });
      }
    }
  }
  return found;
}

/**
 * The acknowledgement of `ruleId` that covers `resource`: recorded on the resource or the nearest
 * ancestor, as cdk-nag 3 looks it up. Undefined when there is none.
 */
export function findAcknowledgement(resource: IConstruct, ruleId: string): AcknowledgedRule | undefined {
  for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        if (key.replace(/^annotation::/i, '') === ruleId) {
          return { constructPath: current.node.path, ruleId, reason };
        }
      }
    }
  }
  return undefined;
}

function toV2Suppression({ id, reason }: RuleAcknowledgement): { id: string; reason: string; applies_to?: string[] } {
  const granular = /^([^[]+)\[(.+)\]$/.exec(id);
  return granular ? { id: granular[1], reason, applies_to: [granular[2]] } : { id, reason };
}

/**
 * How cdk-nag names a resource in a granular finding such as `AwsSolutions-IAM5[Resource::…]`:
 * the resolved value with `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, joins joined, and `${…}` as `<…>`.
 */
export function nagResourceName(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const fn = node as Record<string, any>;
    if (fn['Fn::Join']) return (fn['Fn::Join'][1] as unknown[]).map(visit).join(fn['Fn::Join'][0]);
    if (fn['Fn::Sub']) return visit(fn['Fn::Sub']);
    if (fn['Fn::GetAtt']) return `<${visit(fn['Fn::GetAtt'][0])}.${visit(fn['Fn::GetAtt'][1])}>`;
    if (fn['Fn::ImportValue']) return visit(fn['Fn::ImportValue']);
    if (fn.Ref) return `<${visit(fn.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}
