import { Inject, Injectable } from '@nestjs/common';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { CognitoAccessTokenPayload, CognitoIdTokenPayload } from 'aws-jwt-verify/jwt-model';
import { CognitoConfigService } from './cognito-config.service';
import { COGNITO_MODULE_OPTIONS, CognitoConfigModuleOptions } from './tokens';

export function defaultFetcher(): Fetcher {
  return new SimpleFetcher({ defaultRequestOptions: { timeout: 3000 } });
}

/**
 * Verifies access and ID tokens of the backend's app client. Both verifiers share one JWKS cache:
 * the pool's keys are fetched once and again only for a key ID the cache has not seen.
 */
@Injectable()
export class CognitoTokenVerifier {
  private readonly accessVerifier;
  private readonly idVerifier;

  constructor(config: CognitoConfigService, @Inject(COGNITO_MODULE_OPTIONS) options: CognitoConfigModuleOptions) {
    const { userPoolId, clientId } = config.config;
    const jwksCache = new SimpleJwksCache({ fetcher: options.fetcher ?? defaultFetcher() });
    this.accessVerifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'access' }, { jwksCache });
    this.idVerifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' }, { jwksCache });
  }

  /** The payload of a valid access token of this client; throws otherwise. */
  public verifyAccessToken(token: string): Promise<CognitoAccessTokenPayload> {
    return this.accessVerifier.verify(token);
  }

  /** The payload of a valid ID token of this client; throws otherwise. */
  public verifyIdToken(token: string): Promise<CognitoIdTokenPayload> {
    return this.idVerifier.verify(token);
  }
}
