/*
 * Lookups shared by the Cognito rules: which pool a client belongs to, and whether a pool or
 * client is production.
 *
 * A pool or client this library created carries its environment as template metadata
 * (`medflow:environment`), and that decides. For pools the library did not create, the documented
 * fallback is the `Environment` tag or the name, matched against `productionEnvironmentNames`.
 */
import { RenderedResource, RuleContext, UnresolvedValue, primitiveAt, referencedLogicalId, valueAt } from './rule';
import { ENVIRONMENT_METADATA_KEY, EnvironmentMetadata } from '../../internal/compliance-packs';

export const USER_POOL = 'AWS::Cognito::UserPool';
export const USER_POOL_CLIENT = 'AWS::Cognito::UserPoolClient';

const ENVIRONMENT_TAG = /^environment$/i;

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
