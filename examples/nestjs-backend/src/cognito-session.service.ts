import { createHmac } from 'node:crypto';
import {
  AuthenticationResultType, CognitoIdentityProviderClient, GetTokensFromRefreshTokenCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable } from '@nestjs/common';
import { CognitoConfigService } from './cognito-config.service';
import { COGNITO_MODULE_OPTIONS, CognitoConfigModuleOptions } from './tokens';

/** The tokens of a refreshed session. Keep `refreshToken` for the next refresh: it replaces the one sent. */
export interface RefreshedSession {
  readonly accessToken: string;
  readonly idToken: string;
  /** The refresh token to use next: the new one when the client rotates refresh tokens, else the one sent. */
  readonly refreshToken: string;
  /** Whether Cognito rotated the refresh token; the one sent stops working after the client's grace period. */
  readonly rotated: boolean;
  readonly expiresIn: number;
}

/**
 * SECRET_HASH of a client with a secret: Base64(HMAC-SHA256(clientSecret, username + clientId)).
 * For REFRESH_TOKEN_AUTH the username is the user's Cognito username, the `cognito:username` claim
 * of the ID token (the access token's `username` claim): in a pool where email is the sign-in
 * attribute, Cognito generates that username, and a SECRET_HASH over the email does not match.
 */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/**
 * Refreshes sessions of the backend's app client.
 *
 * Staging and prod clients rotate refresh tokens, and Cognito refuses REFRESH_TOKEN_AUTH on a
 * rotating client, so `refresh` calls GetTokensFromRefreshToken, which takes the client secret itself
 * (no SECRET_HASH) and works on rotating and non-rotating clients alike.
 */
@Injectable()
export class CognitoSessionService {
  private readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;

  constructor(private readonly config: CognitoConfigService, @Inject(COGNITO_MODULE_OPTIONS) options: CognitoConfigModuleOptions) {
    this.cognito = options.cognito ?? new CognitoIdentityProviderClient({ region: config.config.region });
  }

  /** New tokens for `refreshToken`; with rotation, the returned refresh token replaces it. */
  public async refresh(refreshToken: string, deviceKey?: string): Promise<RefreshedSession> {
    const { clientId, clientSecret } = this.config.config;
    const result = await this.cognito.send(new GetTokensFromRefreshTokenCommand({
      ClientId: clientId, ClientSecret: clientSecret, RefreshToken: refreshToken, DeviceKey: deviceKey,
    }));
    return session(result.AuthenticationResult, refreshToken);
  }

  /**
   * REFRESH_TOKEN_AUTH, for a client that does not rotate refresh tokens (dev by default) and a
   * caller that cannot use GetTokensFromRefreshToken. `cognitoUsername` is the `cognito:username`
   * claim of the user's ID token, never the email they signed in with.
   */
  public async refreshWithInitiateAuth(refreshToken: string, cognitoUsername: string): Promise<RefreshedSession> {
    const { clientId, clientSecret } = this.config.config;
    const parameters: Record<string, string> = { REFRESH_TOKEN: refreshToken };
    if (clientSecret) parameters.SECRET_HASH = secretHash(cognitoUsername, clientId, clientSecret);
    const result = await this.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: parameters }));
    return session(result.AuthenticationResult, refreshToken);
  }
}

function session(result: AuthenticationResultType | undefined, sent: string): RefreshedSession {
  if (!result?.AccessToken || !result.IdToken) throw new Error('Cognito returned no tokens for the refresh.');
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken ?? sent,
    rotated: result.RefreshToken !== undefined && result.RefreshToken !== sent,
    expiresIn: result.ExpiresIn ?? 0,
  };
}
