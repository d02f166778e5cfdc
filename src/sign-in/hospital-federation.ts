import {
  Annotations,
  CfnResource,
  Duration,
  RemovalPolicy,
  aws_cognito as cognito,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FederationProtocol, HospitalIdentityProvider } from './hospital-identity-provider';
import { ClientSecretStore } from '../backend-config/client-secret-store';
import { PropValidator } from '../internal/prop-validation';

/** Template metadata key on each `AWS::Cognito::UserPoolIdentityProvider`: whether the provider enforces MFA. */
export const ENFORCES_MFA_METADATA_KEY = 'medflow:idp-enforces-mfa';

// Cognito's ProviderNameType pattern, and the 3-32 characters CloudFormation accepts.
const PROVIDER_NAME = /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$/u;
const RESERVED_PROVIDER_NAMES = ['cognito', 'facebook', 'google', 'loginwithamazon', 'signinwithapple'];
const HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;
const IDENTIFIER = /^[\w\s+=.@-]{1,40}$/;
const CLAIM_NAME = /^\S{1,2048}$/;
const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];

/** Props for the internal `HospitalFederation` construct. */
export interface HospitalFederationProps {
  readonly userPool: cognito.UserPool;
  readonly providers: HospitalIdentityProvider[];
  readonly clientName: string;
  readonly generateSecret: boolean;
  readonly accessTokenValidity: Duration;
  readonly idTokenValidity: Duration;
  readonly refreshTokenValidity: Duration;
  readonly callbackUrls: string[];
  readonly logoutUrls: string[];
  readonly oAuthScopes: cognito.OAuthScope[];
  /** Attribute names (without `custom:`) of the healthcare attributes the client may read. */
  readonly customReadAttributes: string[];
  readonly isProduction: boolean;
  readonly allowProductionWithoutMfa: boolean;
  readonly encryptionKey: kms.IKey;
  readonly secretName: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Registers hospital SAML and OIDC identity providers and gives them their own app client.
 *
 * Cognito requires the client that offers an identity provider to have write access to every
 * mapped attribute. Mapped identity attributes (`custom:clinic_id`, `custom:user_role`) must never
 * be writable by the backend client, whose API sign-ins carry `aws.cognito.signin.user.admin`,
 * so the providers live on this separate client: it offers no local sign-in, no API auth flow and
 * no `aws.cognito.signin.user.admin` scope, so nobody can write their own attributes through it.
 */
export class HospitalFederation extends Construct {
  /** The app client of federated sign-in. */
  public readonly client: cognito.UserPoolClient;
  /** The registered providers. */
  public readonly providers: cognito.IUserPoolIdentityProvider[];
  /** The Secrets Manager secret holding the client secret, when the client has one. */
  public readonly clientSecret?: secretsmanager.ISecret;
  /** The function that rotates `clientSecret`, when there is one. */
  public readonly secretRotationFunction?: lambda.IFunction;

  constructor(scope: Construct, id: string, props: HospitalFederationProps) {
    super(scope, id);
    const validator = new PropValidator('MedflowCognito');
    validateProviders(props.providers, validator);
    if (props.callbackUrls.length === 0) {
      validator.fail('identityProviders', `(${props.providers.length} providers) without callbackUrls`,
        'identity providers only with callbackUrls, where the hosted UI returns federated users to the backend');
    }

    this.providers = props.providers.map((provider) => this.createProvider(provider, props, validator));

    const mapped = new Set(props.providers.flatMap((p) => mappedAttributes(p)));
    const customWrite = [...mapped].filter((a) => a.startsWith('custom:')).map((a) => a.replace(/^custom:/, ''));
    this.client = props.userPool.addClient('FederatedClient', {
      userPoolClientName: props.clientName,
      generateSecret: props.generateSecret,
      // Only the refresh flow: federated users sign in at their hospital, never through the API.
      authFlows: { userSrp: false, userPassword: false, adminUserPassword: false, custom: false, user: false },
      supportedIdentityProviders: props.providers.map((p) => cognito.UserPoolClientIdentityProvider.custom(p.name)),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: props.oAuthScopes,
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls.length > 0 ? props.logoutUrls : undefined,
      },
      accessTokenValidity: props.accessTokenValidity,
      idTokenValidity: props.idTokenValidity,
      refreshTokenValidity: props.refreshTokenValidity,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, givenName: true, familyName: true, phoneNumber: true, locale: true })
        .withCustomAttributes(...props.customReadAttributes),
      // Cognito rewrites mapped attributes at each federated sign-in and needs write access to them.
      writeAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true })
        .withCustomAttributes(...customWrite),
    });
    // The client names the providers by literal name, so CloudFormation must create them first.
    for (const provider of this.providers) {
      this.client.node.addDependency(provider);
    }

    // Managed login v2 shows nothing for a client without a branding style.
    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    if (props.generateSecret) {
      const store = new ClientSecretStore(this, 'ClientSecret', {
        userPool: props.userPool,
        userPoolClient: this.client,
        encryptionKey: props.encryptionKey,
        secretName: props.secretName,
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
      this.clientSecret = store.secret;
      this.secretRotationFunction = store.rotation.rotationFunction;
    }
  }

  private createProvider(
    provider: HospitalIdentityProvider, props: HospitalFederationProps, validator: PropValidator,
  ): cognito.IUserPoolIdentityProvider {
    const prefix = `identityProviders[${provider.name}]`;
    if (!provider.enforcesMfa) {
      if (props.isProduction && !props.allowProductionWithoutMfa) {
        validator.fail(`${prefix}.enforcesMfa`, 'false',
          'true in the prod preset: Cognito never applies its own MFA to federated users, so the provider must',
          'Set allowProductionWithoutMfa: true only with a documented risk acceptance.');
      }
      Annotations.of(this).addWarningV2('@medflow/cognito-construct:federated-mfa',
        `Identity provider ${provider.name} does not enforce MFA, and Cognito applies no MFA to federated users.`);
    }
    const attributeMapping = toCognitoMapping(provider);
    const id = `Provider-${provider.name}`;
    let created: cognito.UserPoolIdentityProviderSaml | cognito.UserPoolIdentityProviderOidc;
    if (provider.protocol === FederationProtocol.SAML) {
      const saml = provider._saml!;
      created = new cognito.UserPoolIdentityProviderSaml(this, id, {
        userPool: props.userPool,
        name: provider.name,
        metadata: saml.metadataUrl !== undefined
          ? cognito.UserPoolIdentityProviderSamlMetadata.url(saml.metadataUrl)
          : cognito.UserPoolIdentityProviderSamlMetadata.file(saml.metadataDocument!),
        encryptedResponses: saml.encryptedResponses ?? true,
        requestSigningAlgorithm: cognito.SigningAlgorithm.RSA_SHA256,
        identifiers: provider.identifiers.length > 0 ? provider.identifiers : undefined,
        attributeMapping,
      });
    } else {
      const oidc = provider._oidc!;
      const secretValue = oidc.clientSecretField
        ? oidc.clientSecret.secretValueFromJson(oidc.clientSecretField)
        : oidc.clientSecret.secretValue;
      created = new cognito.UserPoolIdentityProviderOidc(this, id, {
        userPool: props.userPool,
        name: provider.name,
        issuerUrl: oidc.issuerUrl,
        clientId: oidc.clientId,
        // A {{resolve:secretsmanager:...}} dynamic reference: CloudFormation resolves it at deploy
        // time, and the template holds only the reference, never the value.
        clientSecret: secretValue.unsafeUnwrap(),
        scopes: oidc.scopes ?? DEFAULT_OIDC_SCOPES,
        identifiers: provider.identifiers.length > 0 ? provider.identifiers : undefined,
        attributeMapping,
      });
    }
    (created.node.defaultChild as CfnResource).addMetadata(ENFORCES_MFA_METADATA_KEY, provider.enforcesMfa);
    return created;
  }
}

/** The user pool attributes a provider's mapping writes. */
function mappedAttributes(provider: HospitalIdentityProvider): string[] {
  const m = provider.attributeMapping;
  return [
    'email',
    ...(m.clinicId !== undefined ? ['custom:clinic_id'] : []),
    ...(m.userRole !== undefined ? ['custom:user_role'] : []),
    ...(m.preferredLanguage !== undefined ? ['custom:preferred_language'] : []),
  ];
}

function toCognitoMapping(provider: HospitalIdentityProvider): cognito.AttributeMapping {
  const m = provider.attributeMapping;
  const custom: Record<string, cognito.ProviderAttribute> = {};
  if (m.clinicId !== undefined) custom['custom:clinic_id'] = cognito.ProviderAttribute.other(m.clinicId);
  if (m.userRole !== undefined) custom['custom:user_role'] = cognito.ProviderAttribute.other(m.userRole);
  if (m.preferredLanguage !== undefined) custom['custom:preferred_language'] = cognito.ProviderAttribute.other(m.preferredLanguage);
  return {
    email: cognito.ProviderAttribute.other(m.email),
    custom: Object.keys(custom).length > 0 ? custom : undefined,
  };
}

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
    validator.matches(`${prefix}.metadataUrl`, saml.metadataUrl!, HTTPS_URL, 'an https URL');
    return `saml:${saml.metadataUrl}`;
  }
  validator.matches(`${prefix}.metadataDocument`, saml.metadataDocument!, /^\s*<[\s\S]*EntityDescriptor[\s\S]*>\s*$/,
    'a SAML metadata XML document with an EntityDescriptor');
  return `saml:${saml.metadataDocument}`;
}

function validateOidc(provider: HospitalIdentityProvider, validator: PropValidator): string {
  const oidc = provider._oidc!;
  const prefix = `identityProviders[${provider.name}]`;
  validator.matches(`${prefix}.issuerUrl`, oidc.issuerUrl, HTTPS_URL, 'an https URL');
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
