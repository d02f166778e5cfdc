import { Controller, Get, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Fetcher } from 'aws-jwt-verify/https';
import { CognitoConfigService } from './cognito-config.service';
import { defaultFetcher, issuerJwksUri, jwksFetcher } from './cognito-token-verifier.service';
import { COGNITO_MODULE_OPTIONS, CognitoConfigModuleOptions } from './tokens';

export interface CognitoHealth {
  readonly status: 'up' | 'down';
  readonly jwksUri: string;
  readonly keys?: number;
  readonly error?: string;
  readonly checkedAt: string;
}

/** Whether the user pool's JWKS can be fetched, checked at most once per cache period. */
@Injectable()
export class CognitoHealthService {
  private readonly fetcher: Fetcher;
  private last?: { at: number; result: CognitoHealth };

  constructor(private readonly config: CognitoConfigService, @Inject(COGNITO_MODULE_OPTIONS) private readonly options: CognitoConfigModuleOptions) {
    this.fetcher = jwksFetcher(config.config, options.fetcher ?? defaultFetcher());
  }

  /** The JWKS the verifier uses: the pool's, or COGNITO_JWKS_URL_OVERRIDE outside production. */
  public get jwksUri(): string {
    return this.config.config.jwksUrlOverride ?? issuerJwksUri(this.config.config);
  }

  public async check(): Promise<CognitoHealth> {
    const cacheMs = this.options.healthCacheMs ?? 30_000;
    if (this.last && Date.now() - this.last.at < cacheMs) return this.last.result;
    const jwksUri = this.jwksUri;
    let result: CognitoHealth;
    try {
      // Fetched as the verifier fetches it: the pool's URL, redirected to the override where there is one.
      const body = JSON.parse(Buffer.from(await this.fetcher.fetch(issuerJwksUri(this.config.config))).toString('utf8'));
      const keys = Array.isArray(body?.keys) ? body.keys.length : 0;
      result = keys > 0
        ? { status: 'up', jwksUri, keys, checkedAt: new Date().toISOString() }
        : { status: 'down', jwksUri, keys, error: 'the JWKS has no keys', checkedAt: new Date().toISOString() };
    } catch (error) {
      result = { status: 'down', jwksUri, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error', checkedAt: new Date().toISOString() };
    }
    this.last = { at: Date.now(), result };
    return result;
  }
}

@Controller('health')
export class CognitoHealthController {
  constructor(private readonly health: CognitoHealthService) {}

  /** 200 with the JWKS key count when the pool's keys can be fetched, 503 otherwise. */
  @Get('cognito')
  public async cognito(): Promise<CognitoHealth> {
    const result = await this.health.check();
    if (result.status === 'down') throw new ServiceUnavailableException(result);
    return result;
  }
}
