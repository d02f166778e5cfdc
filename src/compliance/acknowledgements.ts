import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One deliberate, explained exception to a compliance rule. */
export interface RuleAcknowledgement {
  /** Rule ID as the pack reports it, for example `AwsSolutions-COG2` or `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  /** Why the finding is acceptable, in at least one full sentence a compliance officer can accept. */
  readonly reason: string;
}

const MINIMUM_REASON_LENGTH = 40;
const V3_ID_PREFIX = 'annotation::';
const V2_METADATA_KEY = 'cdk_nag';

/**
 * Records acknowledgements on `scope` so that both cdk-nag generations honour them:
 * - v3 (Validations) reads the construct metadata `Validations.acknowledge()` writes. It is
 *   written directly because `acknowledge()` rejects IDs holding `::` more than once on
 *   aws-cdk-lib 2.257 (IAM4/IAM5 findings on ARNs).
 * - v2 (Aspects) reads `cdk_nag.rules_to_suppress` from every CloudFormation resource under
 *   `scope`, so call this after the resources exist.
 */
export function acknowledgeRules(scope: IConstruct, ...acknowledgements: RuleAcknowledgement[]): void {
  for (const { id, reason } of acknowledgements) {
    assertSpecificReason(id, reason);
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

function assertSpecificReason(id: string, reason: string): void {
  const trimmed = (reason ?? '').trim();
  if (trimmed.length < MINIMUM_REASON_LENGTH || !/[.!]$/.test(trimmed)) {
    throw new Error(
      `Acknowledgement of ${id} needs a specific reason of at least ${MINIMUM_REASON_LENGTH} characters ending in a full stop; got "${trimmed}".`,
    );
  }
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
