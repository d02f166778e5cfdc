import { DynamicModule, Module } from '@nestjs/common';
import { loadCognitoConfig } from './cognito-config';
import { CognitoConfigService } from './cognito-config.service';
import { CognitoHealthController, CognitoHealthService } from './cognito-health';
import { CognitoTokenVerifier } from './cognito-token-verifier.service';
import { COGNITO_CONFIG, COGNITO_MODULE_OPTIONS, CognitoConfigModuleOptions } from './tokens';

/**
 * Resolves the Cognito configuration while the application starts; a bad configuration stops the
 * start with one error listing every problem. Provides CognitoConfigService, CognitoTokenVerifier,
 * CognitoHealthService and GET /health/cognito.
 */
@Module({})
export class CognitoConfigModule {
  public static forRoot(options: CognitoConfigModuleOptions = {}): DynamicModule {
    return {
      module: CognitoConfigModule,
      global: true,
      controllers: [CognitoHealthController],
      providers: [
        { provide: COGNITO_MODULE_OPTIONS, useValue: options },
        { provide: COGNITO_CONFIG, useFactory: () => loadCognitoConfig(options.env ?? process.env, options.clients) },
        CognitoConfigService,
        CognitoTokenVerifier,
        CognitoHealthService,
      ],
      exports: [CognitoConfigService, CognitoTokenVerifier, CognitoHealthService],
    };
  }
}
