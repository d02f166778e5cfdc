export * from './presets';
export * from './medflow-cognito';
export * from './user-pool/healthcare-attributes';
export * from './backend-config/client-secret-store';
export * from './identity/healthcare-roles';
export * from './identity/clinic-identity';
export * from './triggers/pre-token-generation/role-scopes-trigger';
export * from './operations';
