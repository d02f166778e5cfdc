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

/** The pool's JWKS URL as Cognito publishes it: `{issuer}/.well-known/jwks.json`. */
export function issuerJwksUri(config: { region: string; userPoolId: string; authority?: string }): string {
  return `${config.authority ?? `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`}/.well-known/jwks.json`;
}

/**
 * Fetches the pool's JWKS from COGNITO_JWKS_URL_OVERRIDE instead (a local emulator; the config
 * refuses it in production). The issuer, audience and token_use checks stay those of the pool.
 */
export function jwksFetcher(config: { region: string; userPoolId: string; authority?: string; jwksUrlOverride?: string }, base: Fetcher): Fetcher {
  const override = config.jwksUrlOverride;
  if (!override) return base;
  const issuerUri = issuerJwksUri(config);
  return {
    fetch: async (uri, requestOptions, data) => {
      if (uri !== issuerUri) return base.fetch(uri, requestOptions, data);
      // aws-jwt-verify's fetcher speaks https only; a local emulator usually serves plain http.
      if (override.startsWith('http://')) {
        const response = await fetch(override, { signal: AbortSignal.timeout(3000) });
        if (!response.ok) throw new Error(`GET ${override} answered HTTP ${response.status}`);
        return response.arrayBuffer();
      }
      return base.fetch(override, requestOptions, data);
    },
  };
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
    const jwksCache = new SimpleJwksCache({ fetcher: jwksFetcher(config.config, options.fetcher ?? defaultFetcher()) });
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
