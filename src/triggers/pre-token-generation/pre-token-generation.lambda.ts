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

/** The scopes to add and suppress for a user in `groups` who requested `requested`. */
export function decideScopes(roleScopes: RoleScopes, resourceServer: string, groups: string[], requested: string[]) {
  const allowed = new Set(groups.flatMap((group) => roleScopes[group] ?? []));
  const prefix = `${resourceServer}/`;
  return {
    scopesToAdd: [...allowed].filter((scope) => !requested.includes(scope)).sort(),
    scopesToSuppress: requested.filter((scope) => scope.startsWith(prefix) && !allowed.has(scope)).sort(),
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
  if (!event || typeof event !== 'object' || !event.request) {
    throw new Error('Invalid pre token generation event: missing request.');
  }
  if (!HANDLED_SOURCES.has(event.triggerSource ?? '')) {
    throw new Error(`Unsupported triggerSource "${String(event.triggerSource)}"; expected one of ${[...HANDLED_SOURCES].join(', ')}.`);
  }
  const roleScopes = parseRoleScopes(process.env.ROLE_SCOPES);
  const resourceServer = process.env.RESOURCE_SERVER_IDENTIFIER ?? 'medflow';
  const groups = event.request.groupConfiguration?.groupsToOverride ?? [];
  const requested = event.request.scopes ?? [];
  const { scopesToAdd, scopesToSuppress } = decideScopes(roleScopes, resourceServer, groups, requested);
  console.log(JSON.stringify({
    level: 'INFO',
    message: 'scopes decided',
    triggerSource: event.triggerSource,
    groups: groups.filter((g) => g in roleScopes),
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
