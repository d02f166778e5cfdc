import {
  Annotations,
  CfnResource,
  aws_cognito as cognito,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_OIDC_SCOPES, FederationProtocol, HospitalIdentityProvider } from './hospital-identity-provider';
import { addManagedLoginBranding } from './managed-login-branding';
import { ClientSecretStore } from '../backend-config/client-secret-store';
import { EnvironmentProfile, SecretRotationConfiguration } from '../config/resolved-configuration';
import { recordEnvironment } from '../internal/compliance-packs';
import { FunctionLogSettings } from '../internal/library-function';
import { ClientTokenValidity, sharedClientOptions } from '../user-pool/app-clients';

/** Template metadata key on each `AWS::Cognito::UserPoolIdentityProvider`: whether the provider enforces MFA. */
export const ENFORCES_MFA_METADATA_KEY = 'medflow:idp-enforces-mfa';


/** Props for the internal `HospitalFederation` construct; the providers were validated by the configuration. */
export interface HospitalFederationProps extends ClientTokenValidity {
  readonly userPool: cognito.UserPool;
  readonly providers: HospitalIdentityProvider[];
  readonly clientName: string;
  readonly callbackUrls: string[];
  readonly logoutUrls: string[];
  readonly oAuthScopes: cognito.OAuthScope[];
  readonly encryptionKey: kms.IKey;
  readonly secretName: string;
  /**
   * The rotation of the client secret: the same schedule and grace period as the backend client's.
   * @default - the client has no secret
   */
  readonly secretRotation?: SecretRotationConfiguration;
  readonly logs: FunctionLogSettings;
  /** What the environment is, recorded on the client for the healthcare checks. */
  readonly environment: EnvironmentProfile;
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
    this.providers = props.providers.map((provider) => this.createProvider(provider, props));

    const mapped = new Set(props.providers.flatMap((p) => mappedAttributes(p)));
    const customWrite = [...mapped].filter((a) => a.startsWith('custom:')).map((a) => a.replace(/^custom:/, ''));
    this.client = props.userPool.addClient('FederatedClient', {
      ...sharedClientOptions(props),
      userPoolClientName: props.clientName,
      generateSecret: props.secretRotation !== undefined,
      // Only the refresh flow: federated users sign in at their hospital, never through the API.
      authFlows: { userSrp: false, userPassword: false, adminUserPassword: false, custom: false, user: false },
      supportedIdentityProviders: props.providers.map((p) => cognito.UserPoolClientIdentityProvider.custom(p.name)),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: props.oAuthScopes,
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls.length > 0 ? props.logoutUrls : undefined,
      },
      // Cognito rewrites mapped attributes at each federated sign-in and needs write access to them.
      writeAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true })
        .withCustomAttributes(...customWrite),
    });
    // The client names the providers by literal name, so CloudFormation must create them first.
    for (const provider of this.providers) {
      this.client.node.addDependency(provider);
    }

    recordEnvironment(this.client, props.environment);
    addManagedLoginBranding(this, props.userPool, this.client);

    if (props.secretRotation) {
      const store = new ClientSecretStore(this, 'ClientSecret', {
        userPool: props.userPool,
        userPoolClient: this.client,
        encryptionKey: props.encryptionKey,
        secretName: props.secretName,
        logs: props.logs,
        rotationSchedule: props.secretRotation.schedule,
        rotationGracePeriod: props.secretRotation.gracePeriod,
      });
      this.clientSecret = store.secret;
      this.secretRotationFunction = store.rotation.rotationFunction;
    }
  }

  private createProvider(provider: HospitalIdentityProvider, props: HospitalFederationProps): cognito.IUserPoolIdentityProvider {
    if (!provider.enforcesMfa) {
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
