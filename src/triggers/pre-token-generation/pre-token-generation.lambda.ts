/*
 * Pre token generation (V2_0) trigger: an access token carries exactly the `medflow` resource
 * server scopes of the roles whose groups the user belongs to. It adds them for API sign-ins and
 * suppresses any other `medflow/` scope a client requested. It never logs attribute values.
 */

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
  event.response = {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { scopesToAdd, scopesToSuppress },
    },
  };
  return event;
}
