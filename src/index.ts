export * from './presets';
export * from './medflow-cognito';
export * from './user-pool/healthcare-attributes';
export * from './backend-config/client-secret-store';
export * from './user-pool/healthcare-attribute-validator';
export * from './triggers/security-triggers';
