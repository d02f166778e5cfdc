export * from './cognito-config';
export * from './cognito-config.module';
export * from './cognito-config.service';
export * from './cognito-health';
export * from './cognito-token-verifier.service';
export * from './tokens';
