import { PropValidator } from '../internal/prop-validation';
import { DEFAULT_OIDC_SCOPES, FederationProtocol, HospitalIdentityProvider } from '../sign-in/hospital-identity-provider';

// Cognito's ProviderNameType pattern, and the 3-32 characters CloudFormation accepts.
const PROVIDER_NAME = /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$/u;
const RESERVED_PROVIDER_NAMES = ['cognito', 'facebook', 'google', 'loginwithamazon', 'signinwithapple'];
const IDENTIFIER = /^[\w\s+=.@-]{1,40}$/;
const CLAIM_NAME = /^\S{1,2048}$/;

/** Checks every provider, and the set of them, before anything is created. */
export function validateProviders(providers: HospitalIdentityProvider[], roleNames: string[], validator: PropValidator): void {
  const names = new Map<string, string>();
  const identifiers = new Map<string, string>();
  const sources = new Map<string, string>();
  for (const provider of providers) {
    if (!(provider instanceof HospitalIdentityProvider)) {
      validator.fail('identityProviders[]', JSON.stringify(provider ?? null), 'HospitalIdentityProvider.saml(...) or HospitalIdentityProvider.oidc(...)');
    }
    const name = provider.name;
    const prefix = `identityProviders[${name}]`;
    if (typeof name !== 'string' || name.length < 3 || name.length > 32) {
      validator.fail('identityProviders[].name', JSON.stringify(name ?? null), '3 to 32 characters');
    }
    validator.matches('identityProviders[].name', name, PROVIDER_NAME,
      'no spaces and no underscore after the first character (Cognito\'s provider name pattern)');
    if (RESERVED_PROVIDER_NAMES.includes(name.toLowerCase())) {
      validator.fail('identityProviders[].name', JSON.stringify(name), `a name other than those Cognito reserves (${RESERVED_PROVIDER_NAMES.join(', ')})`);
    }
    const seen = names.get(name.toLowerCase());
    if (seen !== undefined) {
      validator.fail('identityProviders[].name', JSON.stringify(name), `each provider once (it duplicates ${JSON.stringify(seen)}; names are compared without case)`);
    }
    names.set(name.toLowerCase(), name);

    for (const identifier of provider.identifiers) {
      validator.matches(`${prefix}.identifiers`, identifier, IDENTIFIER, '1-40 letters, digits, spaces or + = . @ - _');
      const owner = identifiers.get(identifier.toLowerCase());
      if (owner !== undefined) {
        validator.fail(`${prefix}.identifiers`, JSON.stringify(identifier), `identifiers unique across providers (${owner} already uses it)`);
      }
      identifiers.set(identifier.toLowerCase(), name);
    }

    validateMapping(provider, validator);
    validateAllowLists(provider, roleNames, validator);
    const source = provider.protocol === FederationProtocol.SAML ? validateSaml(provider, validator) : validateOidc(provider, validator);
    const duplicateOf = sources.get(source);
    if (duplicateOf !== undefined) {
      validator.fail(prefix, `(${source})`, `each provider once (${duplicateOf} already federates the same ${provider.protocol === FederationProtocol.SAML ? 'metadata' : 'issuer and client'})`);
    }
    sources.set(source, name);
  }
  const allowLists = JSON.stringify(Object.fromEntries(providers.filter((p) => p.trustIdentityAttributes)
    .map((p) => [p.name, { clinicIds: p.allowedClinicIds, roles: p.allowedRoles }])));
  if (allowLists.length > MAX_ALLOW_LISTS_LENGTH) {
    validator.fail('identityProviders[].allowedClinicIds', `(${allowLists.length} characters of allow-lists in all)`,
      `at most ${MAX_ALLOW_LISTS_LENGTH} characters in all (about 60 clinic IDs), because the pre token generation function receives them in its environment and Lambda allows 4 KB of environment variables`);
  }
}

/** The allow-lists travel in one Lambda environment variable; the function's variables share 4 KB. */
const MAX_ALLOW_LISTS_LENGTH = 2500;

function validateMapping(provider: HospitalIdentityProvider, validator: PropValidator): void {
  const prefix = `identityProviders[${provider.name}].attributeMapping`;
  const m = provider.attributeMapping;
  if (!m || typeof m !== 'object') {
    validator.fail(prefix, JSON.stringify(m ?? null), 'a mapping with at least email');
  }
  validator.matches(`${prefix}.email`, String(m.email ?? ''), CLAIM_NAME, 'the provider attribute holding the email (the username), 1-2048 characters without spaces');
  for (const [key, value] of [['clinicId', m.clinicId], ['userRole', m.userRole], ['preferredLanguage', m.preferredLanguage]] as const) {
    if (value !== undefined) {
      validator.matches(`${prefix}.${key}`, value, CLAIM_NAME, 'a provider attribute name, 1-2048 characters without spaces');
    }
  }
  if (!provider.trustIdentityAttributes) {
    const identity = ([['clinicId', 'custom:clinic_id'], ['userRole', 'custom:user_role']] as const)
      .filter(([key]) => m[key] !== undefined);
    if (identity.length > 0) {
      validator.fail(`${prefix}.${identity[0][0]}`, `mapped onto ${identity.map(([, attr]) => attr).join(' and ')}`,
        'identity attributes only with trustIdentityAttributes: true on the provider (then the hospital decides the user\'s clinic and role); '
        + 'otherwise leave them unmapped and set them through the Admin API');
    }
  }
}

// The rule of HealthcareAttributeValidator for custom:clinic_id: a lowercase UUID, not the nil UUID.
const CLINIC_UUID = /^(?!00000000-0000-0000-0000-000000000000$)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A provider trusted with identity attributes declares what it may assert; the pre token generation
 * trigger enforces the lists at every sign-in. A provider not trusted may not declare them.
 */
function validateAllowLists(provider: HospitalIdentityProvider, roleNames: string[], validator: PropValidator): void {
  const prefix = `identityProviders[${provider.name}]`;
  const given = provider._allowListsGiven;
  if (!provider.trustIdentityAttributes) {
    if (given.clinicIds || given.roles) {
      validator.fail(`${prefix}.${given.clinicIds ? 'allowedClinicIds' : 'allowedRoles'}`, 'set without trustIdentityAttributes',
        'allow-lists only on a provider with trustIdentityAttributes: true');
    }
    return;
  }
  if (!given.clinicIds || provider.allowedClinicIds.length === 0) {
    validator.fail(`${prefix}.allowedClinicIds`, given.clinicIds ? '[]' : '(missing)',
      'with trustIdentityAttributes: true, a non-empty list of the clinic UUIDs (lowercase, not the nil UUID) the provider may assert');
  }
  if (!given.roles || provider.allowedRoles.length === 0) {
    validator.fail(`${prefix}.allowedRoles`, given.roles ? '[]' : '(missing)',
      `with trustIdentityAttributes: true, a non-empty list of the configured healthcare roles the provider may assert (${roleNames.join(', ')})`);
  }
  for (const clinicId of provider.allowedClinicIds) {
    validator.matches(`${prefix}.allowedClinicIds`, clinicId, CLINIC_UUID, 'clinic UUIDs: lowercase 8-4-4-4-12 hexadecimal digits, not the nil UUID');
  }
  for (const role of provider.allowedRoles) {
    if (typeof role !== 'string' || !roleNames.includes(role)) {
      validator.fail(`${prefix}.allowedRoles`, JSON.stringify(role ?? null), `configured healthcare roles (${roleNames.join(', ')})`);
    }
  }
}

function validateSaml(provider: HospitalIdentityProvider, validator: PropValidator): string {
  const saml = provider._saml!;
  const prefix = `identityProviders[${provider.name}]`;
  const hasUrl = saml.metadataUrl !== undefined;
  const hasDocument = saml.metadataDocument !== undefined;
  if (hasUrl === hasDocument) {
    validator.fail(`${prefix}.metadataUrl`, hasUrl ? 'and metadataDocument both set' : 'and metadataDocument both missing',
      'exactly one of metadataUrl and metadataDocument');
  }
  if (hasUrl) {
    validator.matches(`${prefix}.metadataUrl`, saml.metadataUrl!, PropValidator.HTTPS_URL, 'an https URL');
    return `saml:${saml.metadataUrl}`;
  }
  validator.matches(`${prefix}.metadataDocument`, saml.metadataDocument!, /^\s*<[\s\S]*EntityDescriptor[\s\S]*>\s*$/,
    'a SAML metadata XML document with an EntityDescriptor');
  return `saml:${saml.metadataDocument}`;
}

function validateOidc(provider: HospitalIdentityProvider, validator: PropValidator): string {
  const oidc = provider._oidc!;
  const prefix = `identityProviders[${provider.name}]`;
  validator.matches(`${prefix}.issuerUrl`, oidc.issuerUrl, PropValidator.HTTPS_URL, 'an https URL');
  validator.matches(`${prefix}.clientId`, oidc.clientId, /^\S{1,255}$/, '1-255 characters without spaces');
  if (!oidc.clientSecret || typeof oidc.clientSecret.secretValueFromJson !== 'function') {
    validator.fail(`${prefix}.clientSecret`, typeof oidc.clientSecret, 'a Secrets Manager ISecret (never a plaintext value)');
  }
  const scopes = oidc.scopes ?? DEFAULT_OIDC_SCOPES;
  for (const scope of scopes) {
    validator.matches(`${prefix}.scopes`, scope, /^\S+$/, 'scope names without spaces');
  }
  if (!scopes.includes('openid')) {
    validator.fail(`${prefix}.scopes`, JSON.stringify(scopes), 'a list that includes openid');
  }
  return `oidc:${oidc.issuerUrl.replace(/\/+$/, '')}#${oidc.clientId}`;
}
