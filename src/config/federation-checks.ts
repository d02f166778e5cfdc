import { PropValidator } from '../internal/prop-validation';
import { DEFAULT_OIDC_SCOPES, FederationProtocol, HospitalIdentityProvider } from '../sign-in/hospital-identity-provider';

// Cognito's ProviderNameType pattern, and the 3-32 characters CloudFormation accepts.
const PROVIDER_NAME = /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$/u;
const RESERVED_PROVIDER_NAMES = ['cognito', 'facebook', 'google', 'loginwithamazon', 'signinwithapple'];
const IDENTIFIER = /^[\w\s+=.@-]{1,40}$/;
const CLAIM_NAME = /^\S{1,2048}$/;

/** Checks every provider, and the set of them, before anything is created. */
export function validateProviders(providers: HospitalIdentityProvider[], validator: PropValidator): void {
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
    const source = provider.protocol === FederationProtocol.SAML ? validateSaml(provider, validator) : validateOidc(provider, validator);
    const duplicateOf = sources.get(source);
    if (duplicateOf !== undefined) {
      validator.fail(prefix, `(${source})`, `each provider once (${duplicateOf} already federates the same ${provider.protocol === FederationProtocol.SAML ? 'metadata' : 'issuer and client'})`);
    }
    sources.set(source, name);
  }
}

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
