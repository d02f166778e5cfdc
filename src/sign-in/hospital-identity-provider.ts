import { aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';

/** The scopes an OIDC provider is asked for when `scopes` is not given. */
export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];

/**
 * Where each MedFlow attribute of a federated user comes from: the name of an OIDC claim or of
 * a SAML attribute (for example `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`).
 *
 * Cognito rewrites every mapped attribute at each federated sign-in.
 */
export interface FederatedAttributeMapping {
  /** The provider attribute holding the user's email, which is the MedFlow username. */
  readonly email: string;
  /**
   * The provider attribute holding the user's clinic UUID, mapped onto `custom:clinic_id`.
   * An identity attribute: it needs `trustIdentityAttributes: true`.
   * @default - not mapped; the backend sets it through the Admin API
   */
  readonly clinicId?: string;
  /**
   * The provider attribute holding the user's healthcare role name, mapped onto `custom:user_role`.
   * An identity attribute: it needs `trustIdentityAttributes: true`.
   * @default - not mapped; the backend sets it through the Admin API
   */
  readonly userRole?: string;
  /**
   * The provider attribute holding the user's language (`ar`, `fr` or `en`), mapped onto `custom:preferred_language`.
   * @default - not mapped
   */
  readonly preferredLanguage?: string;
}

/** What every hospital identity provider declares. */
export interface HospitalIdentityProviderOptions {
  /**
   * Provider name, shown on the managed login page and used as the `identity_provider` parameter:
   * 3-32 characters, no spaces, no underscore after the first character, and not a name Cognito
   * reserves (`Cognito`, `Facebook`, `Google`, `LoginWithAmazon`, `SignInWithApple`).
   */
  readonly name: string;
  /** Where email, clinic, role and language come from. */
  readonly attributeMapping: FederatedAttributeMapping;
  /**
   * Whether the provider itself enforces MFA. Cognito never applies its own MFA to federated
   * users, so a production pool refuses a provider that does not, unless `allowProductionWithoutMfa` is set.
   */
  readonly enforcesMfa: boolean;
  /**
   * Accepts the provider's `clinicId` and `userRole` claims as MedFlow identity attributes. Whoever
   * controls the provider then decides the user's clinic and role, and with them which records the
   * user may reach.
   * @default false
   */
  readonly trustIdentityAttributes?: boolean;
  /**
   * The clinic UUIDs this provider may assert in `custom:clinic_id`. Required with
   * `trustIdentityAttributes: true`: synth fails without it. At every sign-in the pre token
   * generation trigger refuses the token of a user whose provider asserted a clinic outside this list.
   * @default - none: the provider may not assert a clinic
   */
  readonly allowedClinicIds?: string[];
  /**
   * The healthcare role names this provider may assert in `custom:user_role`; each must be one of
   * the configured `healthcareRoles`. Required with `trustIdentityAttributes: true`: synth fails
   * without it. At every sign-in the pre token generation trigger refuses the token of a user whose
   * provider asserted a role outside this list.
   * @default - none: the provider may not assert a role
   */
  readonly allowedRoles?: string[];
  /**
   * Identifiers, usually the hospital's email domains, with which the managed login page sends a
   * user straight to this provider. Unique across providers.
   * @default - none
   */
  readonly identifiers?: string[];
}

/** A hospital SAML 2.0 identity provider. Give exactly one of `metadataUrl` and `metadataDocument`. */
export interface SamlProviderOptions extends HospitalIdentityProviderOptions {
  /**
   * https URL of the provider's SAML metadata.
   * @default - `metadataDocument` is used
   */
  readonly metadataUrl?: string;
  /**
   * The provider's SAML metadata XML document.
   * @default - `metadataUrl` is used
   */
  readonly metadataDocument?: string;
  /**
   * Whether Cognito requires the provider to encrypt its SAML assertions, which carry the user's
   * attributes, with the user pool's certificate.
   * @default true
   */
  readonly encryptedResponses?: boolean;
}

/** A hospital OpenID Connect identity provider. */
export interface OidcProviderOptions extends HospitalIdentityProviderOptions {
  /** https issuer URL; Cognito discovers the endpoints from its `.well-known/openid-configuration`. */
  readonly issuerUrl: string;
  /** The client ID MedFlow was registered with at the provider. */
  readonly clientId: string;
  /**
   * The Secrets Manager secret holding the client secret. The template carries only a
   * `{{resolve:secretsmanager:...}}` dynamic reference that CloudFormation resolves at deploy time.
   */
  readonly clientSecret: secretsmanager.ISecret;
  /**
   * JSON field of the secret that holds the client secret.
   * @default - the whole secret string is the client secret
   */
  readonly clientSecretField?: string;
  /**
   * Scopes requested from the provider; must include `openid`.
   * @default ['openid', 'email', 'profile']
   */
  readonly scopes?: string[];
}

/** The federation protocol of a hospital identity provider. */
export enum FederationProtocol {
  /** SAML 2.0. */
  SAML = 'SAML',
  /** OpenID Connect. */
  OIDC = 'OIDC',
}

/**
 * A hospital identity provider (SAML or OIDC) for `MedflowCognito`'s `identityProviders`.
 *
 * @example
 * HospitalIdentityProvider.saml({
 *   name: 'CHU-Rabat',
 *   metadataUrl: 'https://sso.chu-rabat.example/saml/metadata',
 *   attributeMapping: { email: 'email' },
 *   enforcesMfa: true,
 * });
 */
export class HospitalIdentityProvider {
  /** A SAML 2.0 provider. */
  public static saml(options: SamlProviderOptions): HospitalIdentityProvider {
    return new HospitalIdentityProvider(FederationProtocol.SAML, options, options, undefined);
  }

  /** An OpenID Connect provider whose client secret stays in Secrets Manager. */
  public static oidc(options: OidcProviderOptions): HospitalIdentityProvider {
    return new HospitalIdentityProvider(FederationProtocol.OIDC, options, undefined, options);
  }

  /** The provider name. */
  public readonly name: string;
  /** SAML or OIDC. */
  public readonly protocol: FederationProtocol;
  /** Whether the provider enforces MFA itself. */
  public readonly enforcesMfa: boolean;
  /** Whether the provider may assert the identity attributes `custom:clinic_id` and `custom:user_role`. */
  public readonly trustIdentityAttributes: boolean;
  /** Where the user's attributes come from. */
  public readonly attributeMapping: FederatedAttributeMapping;
  /** The clinic UUIDs the provider may assert (empty unless it is trusted with identity attributes). */
  public readonly allowedClinicIds: string[];
  /** The role names the provider may assert (empty unless it is trusted with identity attributes). */
  public readonly allowedRoles: string[];
  /** Identifiers that route users to this provider. */
  public readonly identifiers: string[];
  /** @internal */
  public readonly _allowListsGiven: { readonly clinicIds: boolean; readonly roles: boolean };
  /** @internal */
  public readonly _saml?: SamlProviderOptions;
  /** @internal */
  public readonly _oidc?: OidcProviderOptions;

  private constructor(
    protocol: FederationProtocol,
    options: HospitalIdentityProviderOptions,
    saml: SamlProviderOptions | undefined,
    oidc: OidcProviderOptions | undefined,
  ) {
    this.protocol = protocol;
    this.name = options.name;
    this.enforcesMfa = options.enforcesMfa;
    this.trustIdentityAttributes = options.trustIdentityAttributes ?? false;
    this.attributeMapping = options.attributeMapping;
    this.identifiers = options.identifiers ?? [];
    this.allowedClinicIds = options.allowedClinicIds ? [...options.allowedClinicIds] : [];
    this.allowedRoles = options.allowedRoles ? [...options.allowedRoles] : [];
    this._allowListsGiven = { clinicIds: options.allowedClinicIds !== undefined, roles: options.allowedRoles !== undefined };
    this._saml = saml;
    this._oidc = oidc;
  }
}
