/*
 * Lookups shared by the Cognito rules: which pool a client belongs to, and whether a pool or
 * client is production.
 *
 * A pool or client this library created carries its environment as template metadata
 * (`medflow:environment`), and that decides. For pools the library did not create, the documented
 * fallback is the `Environment` tag or the name, matched against `productionEnvironmentNames`.
 */
import { RenderedResource, RuleContext, RuleOutcome, UnresolvedValue, primitiveAt, referencedLogicalId, valueAt } from './rule';
import { ENVIRONMENT_METADATA_KEY, EnvironmentMetadata } from '../../internal/compliance-packs';

export const USER_POOL = 'AWS::Cognito::UserPool';
export const USER_POOL_CLIENT = 'AWS::Cognito::UserPoolClient';

const ENVIRONMENT_TAG = /^environment$/i;
const DATA_CLASSIFICATION_TAG = /^dataclassification$/i;
/** The data classification (metadata or tag value) that marks a pool as holding PHI. */
const PHI = 'phi';

/** The user pool a client (or any resource with `UserPoolId`) belongs to, when it is in the same stack. */
export function poolOf(resource: RenderedResource, context: RuleContext): RenderedResource | undefined {
  const pool = context.template.get(referencedLogicalId(resource.properties.UserPoolId));
  return pool?.type === USER_POOL ? pool : undefined;
}

/** Whether `name` names a production environment as one of its `-`, `_`, `.` or space separated segments. */
export function namesProduction(name: string, context: RuleContext): boolean {
  const segments = name.toLowerCase().split(/[^a-z0-9]+/);
  return context.options.productionEnvironmentNames.some((env) => segments.includes(env.toLowerCase()));
}

/** The environment the library recorded on a pool or client, or undefined for a resource it did not create. */
export function recordedEnvironment(resource: RenderedResource): EnvironmentMetadata | undefined {
  const recorded = resource.node.getMetadata(ENVIRONMENT_METADATA_KEY) as EnvironmentMetadata | undefined;
  return typeof recorded?.production === 'boolean' ? recorded : undefined;
}

/**
 * Whether a user pool is production: as recorded by the library, else tagged `Environment` with a
 * production name, or named with one. Throws `UnresolvedValue` when neither is decided and one of
 * them is a token.
 */
export function isProductionPool(pool: RenderedResource, context: RuleContext): boolean {
  const recorded = recordedEnvironment(pool);
  if (recorded) return recorded.production;
  const production = context.options.productionEnvironmentNames.map((n) => n.toLowerCase());
  let undecided: UnresolvedValue | undefined;
  if (pool.properties.UserPoolTags !== undefined) {
    try {
      const tagMap = valueAt(pool.properties, 'UserPoolTags') as Record<string, unknown>;
      for (const key of Object.keys(tagMap ?? {})) {
        if (!ENVIRONMENT_TAG.test(key)) continue;
        const env = primitiveAt(tagMap, key);
        if (typeof env === 'string' && production.includes(env.toLowerCase())) return true;
      }
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      undecided = new UnresolvedValue(`UserPoolTags.${error.propertyPath}`.replace(/\.$/, ''),
        'it is not a literal, so whether the pool is production cannot be decided');
    }
  }
  try {
    const name = primitiveAt(pool.properties, 'UserPoolName');
    if (typeof name === 'string' && namesProduction(name, context)) return true;
  } catch (error) {
    if (!(error instanceof UnresolvedValue)) throw error;
    undecided = new UnresolvedValue('UserPoolName', 'it is not a literal, so whether the pool is production cannot be decided');
  }
  if (undecided) throw undecided;
  return false;
}

/**
 * Whether a user pool holds PHI: as recorded by the library (production, or data classification
 * PHI), else it is production by `isProductionPool` or tagged `DataClassification=PHI`
 * (case-insensitive). Throws `UnresolvedValue` when neither decides and one of them is a token.
 */
export function holdsPhi(pool: RenderedResource, context: RuleContext): boolean {
  const recorded = recordedEnvironment(pool);
  if (recorded) return recorded.production || recorded.dataClassification.toLowerCase() === PHI;
  let undecided: UnresolvedValue | undefined;
  if (pool.properties.UserPoolTags !== undefined) {
    try {
      const tagMap = valueAt(pool.properties, 'UserPoolTags') as Record<string, unknown>;
      for (const key of Object.keys(tagMap ?? {})) {
        if (!DATA_CLASSIFICATION_TAG.test(key)) continue;
        const classification = primitiveAt(tagMap, key);
        if (typeof classification === 'string' && classification.toLowerCase() === PHI) return true;
      }
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      undecided = new UnresolvedValue(`UserPoolTags.${error.propertyPath}`.replace(/\.$/, ''),
        'it is not a literal, so whether the pool holds PHI cannot be decided');
    }
  }
  // A production pool holds PHI whatever its tags say; an undecidable production question stays undecidable.
  if (isProductionPool(pool, context)) return true;
  if (undecided) throw undecided;
  return false;
}

/**
 * Runs `check` (true when the pool fails) only on pools `applies` selects. When `applies` cannot be
 * decided, a pool that passes anyway passes, and one that would fail is reported as undecidable.
 */
export function whenPoolApplies(
  pool: RenderedResource, context: RuleContext,
  applies: (pool: RenderedResource, context: RuleContext) => boolean,
  check: (outcome: RuleOutcome) => RuleOutcome,
): RuleOutcome {
  let applicable: boolean;
  try {
    applicable = applies(pool, context);
  } catch (error) {
    if (!(error instanceof UnresolvedValue)) throw error;
    const outcome = check(RuleOutcome.applicable());
    if (outcome.failures.length === 0 && outcome.unresolved.length === 0) return outcome;
    const undecided = RuleOutcome.applicable();
    undecided.unresolved.push(error);
    return undecided;
  }
  return applicable ? check(RuleOutcome.applicable()) : RuleOutcome.notApplicable();
}

/**
 * Whether a client is production: as recorded by the library, else its pool is (when the pool is in
 * the stack), or its own name says so. Throws `UnresolvedValue` when the pool is outside the stack
 * and the name does not decide.
 */
export function isProductionClient(client: RenderedResource, context: RuleContext): boolean {
  const recorded = recordedEnvironment(client);
  if (recorded) return recorded.production;
  const name = primitiveAtOrUndefined(client, 'ClientName');
  if (typeof name === 'string' && namesProduction(name, context)) return true;
  const pool = poolOf(client, context);
  if (pool) return isProductionPool(pool, context);
  throw new UnresolvedValue('UserPoolId', 'the user pool is not in this stack, so whether the client is production cannot be decided');
}

function primitiveAtOrUndefined(resource: RenderedResource, path: string): unknown {
  try {
    return primitiveAt(resource.properties, path);
  } catch (error) {
    if (error instanceof UnresolvedValue) return undefined;
    throw error;
  }
}
