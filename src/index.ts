export * from './presets';
export * from './medflow-cognito';
export * from './user-pool/healthcare-attributes';
export * from './backend-config/client-secret-store';
export * from './backend-config/client-secret-rotation';
export * from './backend-config/backend-config';
