import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CognitoAwsClients, CognitoConfig, createAwsClients, readClientSecret } from './cognito-config';
import { COGNITO_CONFIG, COGNITO_MODULE_OPTIONS, CognitoConfigModuleOptions } from './tokens';

/** Default interval for re-reading the client secret; keep it well inside the rotation's grace period (1 day). */
export const DEFAULT_SECRET_REFRESH_MS = 15 * 60 * 1000;

/**
 * The resolved configuration. `config` always holds the latest client secret: it is re-read on an
 * interval so that a rotated secret is picked up while the previous one is still valid.
 */
@Injectable()
export class CognitoConfigService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CognitoConfigService.name);
  private current: CognitoConfig;
  private timer?: NodeJS.Timeout;
  private readonly clients: CognitoAwsClients;

  constructor(
    @Inject(COGNITO_CONFIG) initial: CognitoConfig,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: CognitoConfigModuleOptions,
  ) {
    this.current = initial;
    this.clients = options.clients ?? createAwsClients(initial.region);
  }

  /** The configuration the seed's CognitoService takes. */
  public get config(): CognitoConfig {
    return this.current;
  }

  public onModuleInit(): void {
    const interval = this.options.secretRefreshIntervalMs ?? DEFAULT_SECRET_REFRESH_MS;
    if (this.current.clientSecretArn && interval > 0) {
      this.timer = setInterval(() => void this.refreshClientSecret().catch(() => undefined), interval);
      this.timer.unref();
    }
  }

  public onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-reads the client secret now. Returns whether it changed; never logs it. */
  public async refreshClientSecret(): Promise<boolean> {
    if (!this.current.clientSecretArn) return false;
    try {
      const clientSecret = await readClientSecret(this.current, this.clients);
      const changed = clientSecret !== this.current.clientSecret;
      this.current = { ...this.current, clientSecret };
      if (changed) this.logger.log('The app client secret was rotated; using the new one.');
      return changed;
    } catch (error) {
      this.logger.warn(`Could not re-read the app client secret; keeping the current one (${(error as Error).name}).`);
      throw error;
    }
  }
}
