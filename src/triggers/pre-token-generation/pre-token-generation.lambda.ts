/*
 * Pre token generation (V2_0) trigger: an access token carries exactly the `medflow` resource
 * server scopes of the roles whose groups the user belongs to. It adds them for API sign-ins and
 * suppresses any other `medflow/` scope a client requested. It never logs attribute values.
 *
 * It also puts the tenant claims (the user's clinic and role, from `custom:clinic_id` and
 * `custom:user_role`) into the access token, refuses tokens to federated users whose provider
 * asserted a clinic or role outside its allow-lists, and suppresses from the ID token the
 * self-written attributes (`custom:preferred_language`, `custom:specialties`) that fail the shared
 * validator.
 *
 * Response shape (Cognito developer guide, "Pre token generation Lambda trigger", V2_0 event):
 * `response.claimsAndScopeOverrideDetails` holds `idTokenGeneration` { claimsToAddOrOverride,
 * claimsToSuppress } and `accessTokenGeneration` { claimsToAddOrOverride, claimsToSuppress,
 * scopesToAdd, scopesToSuppress }.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { HealthcareAttributeValidator } from '../../user-pool/healthcare-attribute-validator';
import { TriggerLogger, TriggerRejection } from '../shared/trigger-log';
import { environmentUserHasher } from '../shared/user-hash';

// The username hash key, derived once per execution environment (user-hash.ts); short timeouts, as for every trigger call.
const kms = new KMSClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 700 } });
const userHash = environmentUserHasher(async (KeyId, Message) => (await kms.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac);

/** Role name -> full scope names (`medflow/patients.read`), injected by the construct. */
export type RoleScopes = Record<string, string[]>;

export interface PreTokenGenerationEvent {
  readonly version?: string;
  readonly triggerSource?: string;
  readonly userPoolId?: string;
  readonly userName?: string;
  readonly request?: {
    readonly groupConfiguration?: { readonly groupsToOverride?: string[] };
    readonly scopes?: string[];
    readonly userAttributes?: Record<string, string>;
  };
  response?: Record<string, unknown>;
}

const HANDLED_SOURCES = new Set([
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
]);

/**
 * An event Cognito should never send. The message names the field, what it must be and the type it
 * had, never a value from the event.
 */
export class InvalidPreTokenEventError extends Error {
  constructor(problem: string) {
    super(`Invalid pre token generation event: ${problem}`);
    this.name = 'InvalidPreTokenEventError';
  }
}

/** The type of `value` in words, for error messages; never the value itself. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an array of strings, or a clear error naming `field`. */
function stringArray(value: unknown, field: string, what: string): string[] {
  if (!Array.isArray(value)) {
    throw new InvalidPreTokenEventError(`${field} must be an array of ${what} (strings) when present; got ${describeType(value)}.`);
  }
  value.forEach((item, index) => {
    if (typeof item !== 'string') {
      throw new InvalidPreTokenEventError(`${field}[${index}] must be a string; got ${describeType(item)}.`);
    }
  });
  return value as string[];
}

/**
 * Role name -> scopes as a Map, built from the object's own enumerable properties only: a group named
 * `__proto__`, `toString` or `constructor` finds nothing unless a role of that name is configured.
 */
export function roleScopeMap(roleScopes: RoleScopes): ReadonlyMap<string, readonly string[]> {
  return new Map(Object.entries(roleScopes));
}

/** The scopes to add and suppress for a user in `groups` who requested `requested`. */
export function decideScopes(
  roleScopes: RoleScopes | ReadonlyMap<string, readonly string[]>, resourceServer: string, groups: string[], requested: string[],
) {
  const map = roleScopes instanceof Map ? roleScopes : roleScopeMap(roleScopes as RoleScopes);
  const groupNames = stringArray(groups, 'request.groupConfiguration.groupsToOverride', 'group names');
  const requestedScopes = stringArray(requested, 'request.scopes', 'scope names');
  const allowed = new Set<string>();
  for (const group of groupNames) {
    for (const scope of map.get(group) ?? []) allowed.add(scope);
  }
  const prefix = `${resourceServer}/`;
  const requestedSet = new Set(requestedScopes);
  return {
    scopesToAdd: [...allowed].filter((scope) => !requestedSet.has(scope)).sort(),
    scopesToSuppress: requestedScopes.filter((scope) => scope.startsWith(prefix) && !allowed.has(scope)).sort(),
  };
}

export function parseRoleScopes(raw: string | undefined): RoleScopes {
  const parsed: unknown = JSON.parse(raw ?? '');
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)
    || !Object.values(parsed).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'))) {
    throw new Error('ROLE_SCOPES must be a JSON object mapping each role name to an array of scope names.');
  }
  return parsed as RoleScopes;
}

export async function handler(event: PreTokenGenerationEvent): Promise<PreTokenGenerationEvent> {
  if (!isRecord(event)) {
    throw new InvalidPreTokenEventError(`the event must be an object; got ${describeType(event)}.`);
  }
  const source: unknown = event.triggerSource;
  if (typeof source !== 'string' || !HANDLED_SOURCES.has(source)) {
    const got = typeof source === 'string' ? JSON.stringify(source.slice(0, 80)) : `(${describeType(source)})`;
    throw new Error(`Unsupported triggerSource ${got}; expected one of ${[...HANDLED_SOURCES].join(', ')}.`);
  }
  const request: unknown = event.request;
  if (!isRecord(request)) {
    const missing = request === undefined ? 'missing request; ' : '';
    throw new InvalidPreTokenEventError(`${missing}request must be an object; got ${describeType(request)}.`);
  }
  const groupConfiguration = request.groupConfiguration;
  if (groupConfiguration !== undefined && groupConfiguration !== null && !isRecord(groupConfiguration)) {
    throw new InvalidPreTokenEventError(`request.groupConfiguration must be an object when present; got ${describeType(groupConfiguration)}.`);
  }
  const roleScopes = roleScopeMap(parseRoleScopes(process.env.ROLE_SCOPES));
  const resourceServer = process.env.RESOURCE_SERVER_IDENTIFIER ?? 'medflow';
  const groups = stringArray(groupConfiguration?.groupsToOverride ?? [], 'request.groupConfiguration.groupsToOverride', 'group names');
  const requested = stringArray(request.scopes ?? [], 'request.scopes', 'scope names');
  const { scopesToAdd, scopesToSuppress } = decideScopes(roleScopes, resourceServer, groups, requested);
  console.log(JSON.stringify({
    level: 'INFO',
    message: 'scopes decided',
    triggerSource: source,
    groups: groups.filter((g) => roleScopes.has(g)),
    added: scopesToAdd.length,
    suppressed: scopesToSuppress.length,
  }));
  const attributes = userAttributesOf(request.userAttributes);
  const userPoolId = typeof event.userPoolId === 'string' ? event.userPoolId : '';
  const settings = claimSettingsFromEnvironment();
  const claims = decideClaims(attributes, settings);
  const logger = new TriggerLogger('PreTokenGeneration');
  // Hashed only when a line names the user: most tokens log nothing about who they are for.
  const needsHash = !!claims.refusal || claims.omitted.length > 0 || claims.suppressedFromIdToken.length > 0;
  const hashedUser = needsHash ? await userHash(userPoolId, typeof event.userName === 'string' ? event.userName : '') : undefined;
  if (claims.refusal) {
    logger.metric(FEDERATED_CLAIM_REFUSED_METRIC, userPoolId, { userHash: hashedUser, triggerSource: source, problems: claims.refusal.problems });
    logger.error('federated_claim_refused', {
      userHash: hashedUser, triggerSource: source, reason: `provider ${JSON.stringify(claims.refusal.provider)} asserted ${claims.refusal.problems.join(' and ')} outside its allow-lists`,
    });
    throw new TriggerRejection('Sign-in refused: your hospital identity provider asserted a clinic or role it is not allowed to assign. Contact your administrator.');
  }
  if (claims.omitted.length > 0) {
    logger.metric(TENANT_CLAIM_OMITTED_METRIC, userPoolId, { userHash: hashedUser, triggerSource: source, problems: claims.omitted });
  }
  if (claims.suppressedFromIdToken.length > 0) {
    logger.metric(ATTRIBUTE_CLAIM_SUPPRESSED_METRIC, userPoolId, {
      userHash: hashedUser, triggerSource: source, problems: claims.suppressedFromIdToken,
    });
  }
  const accessTokenGeneration: Record<string, unknown> = { scopesToAdd, scopesToSuppress };
  if (Object.keys(claims.accessTokenClaims).length > 0) accessTokenGeneration.claimsToAddOrOverride = claims.accessTokenClaims;
  const details: Record<string, unknown> = { accessTokenGeneration };
  if (claims.suppressedFromIdToken.length > 0) details.idTokenGeneration = { claimsToSuppress: claims.suppressedFromIdToken };
  event.response = { claimsAndScopeOverrideDetails: details };
  return event;
}

/** A tenant claim left out of the access token because its attribute failed the shared validator. */
export const TENANT_CLAIM_OMITTED_METRIC = 'TenantClaimOmitted';
/** A token refused because a federated provider asserted a clinic or role outside its allow-lists. */
export const FEDERATED_CLAIM_REFUSED_METRIC = 'FederatedClaimRefused';
/** A self-written attribute suppressed from the ID token because it failed the shared validator. */
export const ATTRIBUTE_CLAIM_SUPPRESSED_METRIC = 'AttributeClaimSuppressed';

/** What a provider trusted with identity attributes may assert. */
export interface ProviderAllowList {
  readonly clinicIds: string[];
  readonly roles: string[];
}

/** How the trigger builds tenant claims, injected by the construct. */
export interface ClaimSettings {
  readonly clinicIdClaim: string;
  readonly userRoleClaim: string;
  /** The configured healthcare role names. */
  readonly roles: string[];
  /** Provider name -> allow-lists, for providers trusted with identity attributes. */
  readonly allowLists: ReadonlyMap<string, ProviderAllowList>;
}

export interface ClaimDecision {
  readonly accessTokenClaims: Record<string, string>;
  /** Attribute names whose values were not put into the access token. */
  readonly omitted: string[];
  /** Claims to suppress from the ID token. */
  readonly suppressedFromIdToken: string[];
  readonly refusal?: { readonly provider: string; readonly problems: string[] };
}

const CLINIC_ID = 'custom:clinic_id';
const USER_ROLE = 'custom:user_role';
const SELF_WRITTEN = ['custom:preferred_language', 'custom:specialties'];

function jsonEnv(name: string, fallback: unknown): unknown {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be JSON.`);
  }
}

/** The claim settings from TENANT_CLAIM_NAMES, HEALTHCARE_ROLES and FEDERATED_ALLOW_LISTS. */
export function claimSettingsFromEnvironment(): ClaimSettings {
  const names = jsonEnv('TENANT_CLAIM_NAMES', {});
  const roles = jsonEnv('HEALTHCARE_ROLES', HealthcareAttributeValidator.defaultRoles());
  const lists = jsonEnv('FEDERATED_ALLOW_LISTS', {});
  if (!isRecord(names) || !isRecord(lists) || !Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
    throw new Error('TENANT_CLAIM_NAMES and FEDERATED_ALLOW_LISTS must be JSON objects and HEALTHCARE_ROLES a JSON array of role names.');
  }
  const allowLists = new Map<string, ProviderAllowList>();
  for (const [provider, list] of Object.entries(lists)) {
    if (!isRecord(list) || !Array.isArray(list.clinicIds) || !Array.isArray(list.roles)) {
      throw new Error('FEDERATED_ALLOW_LISTS must map each provider name to { clinicIds: [...], roles: [...] }.');
    }
    allowLists.set(provider, { clinicIds: list.clinicIds.map(String), roles: list.roles.map(String) });
  }
  return {
    clinicIdClaim: typeof names.clinicIdClaim === 'string' ? names.clinicIdClaim : 'clinic_id',
    userRoleClaim: typeof names.userRoleClaim === 'string' ? names.userRoleClaim : 'user_role',
    roles: roles as string[],
    allowLists,
  };
}

/** The user's attributes as own string-valued entries; anything else is ignored. */
function userAttributesOf(value: unknown): Map<string, string> {
  const attributes = new Map<string, string>();
  if (!isRecord(value)) return attributes;
  for (const [name, attribute] of Object.entries(value)) {
    if (typeof attribute === 'string') attributes.set(name, attribute);
  }
  return attributes;
}

/**
 * The provider a federated user signed in with, from the `identities` attribute Cognito keeps on
 * federated users: a JSON array of `{ providerName, providerType, userId, ... }`. `undefined` for
 * a local user; `''` when the attribute is present but unreadable, which trusts no provider.
 */
export function federatedProvider(identities: string | undefined): string | undefined {
  if (identities === undefined || identities === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(identities);
    if (Array.isArray(parsed) && parsed.length > 0 && isRecord(parsed[0]) && typeof parsed[0].providerName === 'string') {
      return parsed[0].providerName;
    }
    return Array.isArray(parsed) && parsed.length === 0 ? undefined : '';
  } catch {
    return '';
  }
}

function attributeValid(attribute: string, value: string, roles: string[]): boolean {
  return !HealthcareAttributeValidator.validate({ [attribute]: value }, roles).some((p) => p.attribute === attribute);
}

/** The tenant claims of the access token, the ID token claims to suppress, and whether to refuse. */
export function decideClaims(attributes: ReadonlyMap<string, string>, settings: ClaimSettings): ClaimDecision {
  const accessTokenClaims: Record<string, string> = {};
  const omitted: string[] = [];
  const provider = federatedProvider(attributes.get('identities'));
  const allowList = provider === undefined ? undefined : settings.allowLists.get(provider);
  const tenant: [string, string, (value: string) => boolean][] = [
    [CLINIC_ID, settings.clinicIdClaim, (value) => allowList?.clinicIds.includes(value) ?? false],
    [USER_ROLE, settings.userRoleClaim, (value) => allowList?.roles.includes(value) ?? false],
  ];
  const refused: string[] = [];
  for (const [attribute, claim, allowed] of tenant) {
    const value = attributes.get(attribute);
    if (value === undefined) continue;
    const valid = attributeValid(attribute, value, settings.roles);
    // A trusted provider's assertion outside its allow-lists (or malformed) refuses the token.
    if (provider !== undefined && allowList !== undefined && (!valid || !allowed(value))) {
      refused.push(attribute);
    } else if (!valid || provider === '') {
      // Malformed, or the user's identities cannot be read, so the source of the value is unknown.
      omitted.push(attribute);
    } else {
      // A local user, or a federated user whose provider may not map identity attributes (synth
      // refuses the mapping), so the backend set them through the Admin API.
      accessTokenClaims[claim] = value;
    }
  }
  const suppressedFromIdToken = SELF_WRITTEN.filter((attribute) => {
    const value = attributes.get(attribute);
    return value !== undefined && !attributeValid(attribute, value, settings.roles);
  });
  return {
    accessTokenClaims,
    omitted,
    suppressedFromIdToken,
    refusal: refused.length > 0 ? { provider: provider!, problems: refused } : undefined,
  };
}
