export * from './metrics';
export * from './quota-category';
export * from './monitoring/alarm-thresholds';
export * from './monitoring/cognito-monitoring';
export * from './audit-log-delivery';
export * from './backup/user-pool-backup';
export * from './cost-guardrail';
export * from './cognito-operations';
