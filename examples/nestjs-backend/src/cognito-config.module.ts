import { DynamicModule, Module } from '@nestjs/common';
import { AdminUsersController, ClinicAdminGuard } from './admin-users.controller';
import { AuthController } from './auth.controller';
import { loadCognitoConfig } from './cognito-config';
import { CognitoConfigService } from './cognito-config.service';
import { CognitoHealthController, CognitoHealthService } from './cognito-health';
import { CognitoSessionService } from './cognito-session.service';
import { CognitoTokenVerifier } from './cognito-token-verifier.service';
import { COGNITO_CONFIG, COGNITO_MODULE_OPTIONS, CognitoConfigModuleOptions } from './tokens';

/**
 * Resolves the Cognito configuration while the application starts; a bad configuration stops the
 * start with one error listing every problem. Provides CognitoConfigService, CognitoTokenVerifier,
 * CognitoHealthService, CognitoSessionService, GET /health/cognito, POST /auth/refresh and
 * PATCH /admin/users/:username/attributes.
 */
@Module({})
export class CognitoConfigModule {
  public static forRoot(options: CognitoConfigModuleOptions = {}): DynamicModule {
    return {
      module: CognitoConfigModule,
      global: true,
      controllers: [CognitoHealthController, AuthController, AdminUsersController],
      providers: [
        { provide: COGNITO_MODULE_OPTIONS, useValue: options },
        { provide: COGNITO_CONFIG, useFactory: () => loadCognitoConfig(options.env ?? process.env, options.clients) },
        CognitoConfigService,
        CognitoTokenVerifier,
        CognitoHealthService,
        CognitoSessionService,
        ClinicAdminGuard,
      ],
      exports: [CognitoConfigService, CognitoTokenVerifier, CognitoHealthService, CognitoSessionService],
    };
  }
}
