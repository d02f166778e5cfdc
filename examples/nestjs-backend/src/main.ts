/*
 * The smallest MedFlow API: starts only when the Cognito configuration resolves, then serves
 * GET /health/cognito. Run it with the variables from `auth.backendConfig.environmentVariables`.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CognitoConfigModule } from './cognito-config.module';

@Module({ imports: [CognitoConfigModule.forRoot()] })
export class AppModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  await app.listen(Number(process.env.PORT ?? 3000));
}

if (require.main === module) {
  void bootstrap();
}
