import { USER_POOL_CLIENT, poolOf } from './cognito-lookups';
import { HealthcareRule, RenderedResource, RuleOutcome, UnresolvedValue, primitiveAt, stringListAt, valueAt } from './rule';

/**
 * No app client lets users write the identity attributes (by default `custom:user_role`,
 * `custom:clinic_id`, `custom:medical_license`, `custom:npi_number`, `custom:license_state`).
 * Supports HIPAA 164.308(a)(4)(ii)(C), access establishment and modification.
 */
export const CognitoClientIdentityAttributesReadOnly: HealthcareRule = {
  id: 'CognitoClientIdentityAttributesReadOnly',
  control: '164.308(a)(4)(ii)(C)',
  controlTitle: 'Access establishment and modification',
  resourceTypes: [USER_POOL_CLIENT],
  granular: true,
  info: 'The app client lets users write an identity attribute (role, clinic, license or NPI) of their own account.',
  explanation: 'HIPAA 164.308(a)(4)(ii)(C) asks that a user\'s right of access is established and modified only through '
    + 'documented procedures. Attributes that decide a user\'s role, clinic or professional identity must change only '
    + 'through the backend\'s Admin API calls; a user who can write them can grant themselves another clinic\'s PHI. '
    + 'A client without WriteAttributes can write every mutable attribute of its pool. Findings name the attribute.',
  evaluate(client, context) {
    const outcome = RuleOutcome.applicable();
    const protectedNames = context.options.identityAttributes;
    let writable: string[] | undefined;
    try {
      writable = stringListAt(client.properties, 'WriteAttributes');
    } catch (error) {
      if (!(error instanceof UnresolvedValue)) throw error;
      outcome.unresolved.push(error);
      return outcome;
    }
    if (writable !== undefined) {
      for (const name of protectedNames.filter((n) => writable!.includes(n))) outcome.fail(name);
      return outcome;
    }
    // WriteAttributes absent: the client may write every mutable attribute of its pool.
    const pool = poolOf(client, context);
    if (!pool) {
      outcome.unresolved.push(new UnresolvedValue('WriteAttributes',
        'it is absent, so the client can write every mutable attribute of its user pool, and that pool is not in this stack to check'));
      return outcome;
    }
    for (const name of protectedNames) {
      outcome.check(name, () => isMutableInPool(pool, name));
    }
    return outcome;
  },
};

/**
 * Whether `name` is a mutable attribute of the pool. Custom attributes exist only when the
 * schema declares them and are immutable unless `Mutable` is true; standard attributes are
 * mutable unless the schema says otherwise.
 */
function isMutableInPool(pool: RenderedResource, name: string): boolean {
  const schema = valueAt(pool.properties, 'Schema');
  if (schema !== undefined && !Array.isArray(schema)) throw new UnresolvedValue('Schema', 'the user pool schema is not a literal list');
  const bareName = name.replace(/^custom:/, '');
  const index = (schema as unknown[] | undefined ?? []).findIndex((entry) =>
    entry !== null && typeof entry === 'object' && (entry as Record<string, unknown>).Name === bareName);
  const isCustom = name.startsWith('custom:');
  if (index < 0) return !isCustom;
  const entry = (schema as Record<string, unknown>[])[index];
  if (primitiveAt(entry, 'DeveloperOnlyAttribute') === true) return false;
  const mutable = primitiveAt(entry, 'Mutable');
  return isCustom ? mutable === true : mutable !== false;
}
