export * from './presets';
export * from './medflow-cognito';
export * from './user-pool/healthcare-attributes';
export * from './backend-config/client-secret-store';
export { Acknowledgements } from './compliance/acknowledgements';
export type { AcknowledgedRule, RuleAcknowledgement } from './compliance/acknowledgements';
export * from './compliance/medflow-healthcare-checks';
export * from './compliance/compliance-report';
