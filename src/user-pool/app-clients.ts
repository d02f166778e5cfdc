import { Duration, aws_cognito as cognito } from 'aws-cdk-lib';
import { HealthcareAttributes } from './healthcare-attributes';

/** What every app client may read: the standard profile and all seven healthcare attributes. */
export function clientReadAttributes(): cognito.ClientAttributes {
  return new cognito.ClientAttributes()
    .withStandardAttributes({ email: true, emailVerified: true, givenName: true, familyName: true, phoneNumber: true, locale: true })
    .withCustomAttributes(...HealthcareAttributes.definitions().map((d) => d.name));
}

/** Token lifetimes of an app client, and whether its refresh tokens rotate. */
export interface ClientTokenValidity {
  readonly accessTokenValidity: Duration;
  readonly idTokenValidity: Duration;
  readonly refreshTokenValidity: Duration;
  /**
   * Refresh-token rotation with this retry grace period (0-60 s, checked by the configuration).
   * @default - refresh tokens do not rotate
   */
  readonly refreshTokenRotationGracePeriod?: Duration;
}

/**
 * What every app client of the library shares: its token lifetimes, revocable refresh tokens, no
 * hint whether a user exists, and the read attributes. With a rotation grace period, the client
 * gets `RefreshTokenRotation` { Feature: ENABLED, RetryGracePeriodSeconds } (AWS::Cognito::UserPoolClient,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cognito-userpoolclient-refreshtokenrotation.html);
 * without one, CloudFormation leaves rotation off.
 */
export function sharedClientOptions(validity: ClientTokenValidity): cognito.UserPoolClientOptions {
  return {
    accessTokenValidity: validity.accessTokenValidity,
    idTokenValidity: validity.idTokenValidity,
    refreshTokenValidity: validity.refreshTokenValidity,
    refreshTokenRotationGracePeriod: validity.refreshTokenRotationGracePeriod,
    enableTokenRevocation: true,
    preventUserExistenceErrors: true,
    readAttributes: clientReadAttributes(),
  };
}

/** Props of the backend's app client, from the resolved configuration. */
export interface BackendAppClientProps extends ClientTokenValidity {
  readonly appClientName: string;
  readonly generateSecret: boolean;
  /** The flows, every one decided. */
  readonly authFlows: Required<cognito.AuthFlow>;
  readonly callbackUrls: string[];
  readonly logoutUrls: string[];
  readonly oAuthEnabled: boolean;
  readonly oAuthScopes: cognito.OAuthScope[];
}

/**
 * The NestJS backend's app client. Users may write their own profile, `preferred_language` and
 * `specialties`, never an identity attribute; OAuth, when on, is the authorization code grant.
 */
export function addBackendAppClient(userPool: cognito.UserPool, props: BackendAppClientProps): cognito.UserPoolClient {
  const customWrite = HealthcareAttributes.userWritableAttributeNames().map((n) => n.replace(/^custom:/, ''));
  return userPool.addClient('AppClient', {
    ...sharedClientOptions(props),
    userPoolClientName: props.appClientName,
    generateSecret: props.generateSecret,
    authFlows: props.authFlows,
    writeAttributes: new cognito.ClientAttributes()
      .withStandardAttributes({ givenName: true, familyName: true, phoneNumber: true, locale: true })
      .withCustomAttributes(...customWrite),
    disableOAuth: !props.oAuthEnabled,
    oAuth: props.oAuthEnabled ? {
      flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
      scopes: props.oAuthScopes,
      callbackUrls: props.callbackUrls,
      logoutUrls: props.logoutUrls.length > 0 ? props.logoutUrls : undefined,
    } : undefined,
  });
}
