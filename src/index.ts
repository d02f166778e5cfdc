// The public API: what users compose, and the types of what MedflowCognito exposes. Building
// blocks that only MedflowCognito creates (client secret store and rotation, federation, the
// role-scopes trigger, terms documents, buckets) stay internal.

// The construct, its props and its presets.
export { MedflowCognito } from './medflow-cognito';
export type { AccessTokenClaims, CustomDomainOptions, MedflowCognitoProps } from './config/medflow-cognito-props';
export { DataClassification, EnvironmentPreset } from './config/environment-preset';
export type { PresetOverrides, PresetSettings } from './config/environment-preset';

// Machine-to-machine clients, as MedflowCognito.addMachineClient returns them.
export { MachineClient } from './user-pool/machine-client';
export type { MachineClientOptions, MachineClientProps } from './user-pool/machine-client';

// Email, threat protection: what the user pool sends and how it responds to risk.
export { EmailSender } from './user-pool/email/email-sender';
export type { SesEmailOptions } from './user-pool/email/email-sender';
export { CompromisedCredentialsResponse, RiskResponse } from './user-pool/threat-protection/threat-protection-options';
export type { RiskExceptions, RiskLevelAction, ThreatProtectionOptions } from './user-pool/threat-protection/threat-protection-options';

// Roles, scopes and identity.
export { DocumentAccess, HealthcareRole } from './identity/healthcare-roles';
export type { HealthcareRoleOptions } from './identity/healthcare-roles';
export { MedflowScope } from './identity/medflow-scopes';
export { ClinicIdentity } from './identity/clinic-identity';
export type { ClinicIdentityProps } from './identity/clinic-identity';

// Sign-in: hospital identity providers and localized documents.
export { FederationProtocol, HospitalIdentityProvider } from './sign-in/hospital-identity-provider';
export type { FederatedAttributeMapping, HospitalIdentityProviderOptions, OidcProviderOptions, SamlProviderOptions } from './sign-in/hospital-identity-provider';
export type { LocalizedUrl } from './sign-in/localized-url';

// The healthcare attributes and their validator.
export { HealthcareAttributes } from './user-pool/healthcare-attributes';
export type { HealthcareAttributeDefinition } from './user-pool/healthcare-attributes';
export { HealthcareAttributeValidator } from './user-pool/healthcare-attribute-validator';
export type { AttributeProblem, AttributeRule } from './user-pool/healthcare-attribute-validator';

// Triggers and backend configuration, as MedflowCognito exposes them.
export { LockoutFailureMode, SecurityTriggers } from './triggers/security-triggers';
export type { SecurityTriggersOptions, SecurityTriggersProps } from './triggers/security-triggers';
export { BackendConfig, BackendEnvironmentVariable } from './backend-config/backend-config';
export type { BackendConfigProps } from './backend-config/backend-config';

// Operations: monitoring, audit logs, backup, budget, and the metrics users alarm on.
export * from './operations';

// Compliance: the healthcare pack, the report and acknowledgements.
export { MedflowHealthcareChecks } from './compliance/medflow-healthcare-checks';
export type { HealthcareRuleDescription, MedflowHealthcareChecksProps } from './compliance/medflow-healthcare-checks';
export { ComplianceReport, RuleStatus } from './compliance/compliance-report';
export type {
  AcknowledgedFinding, ComplianceReportOptions, ControlResult, ControlStackStatus, FunctionEnvironment, PackResult, PackVersion,
  ReasonFinding, ReasonGroup, ReportHeader, RuleResult, StackResult, UnacknowledgedFinding,
} from './compliance/compliance-report';
export { Acknowledgements } from './compliance/acknowledgements';
export type { AcknowledgedRule, RuleAcknowledgement } from './compliance/acknowledgements';

// Multi-Region disaster recovery.
export { MedflowCognitoReplica, ReplicaRolloutPhase } from './replication/medflow-cognito-replica';
export type { MedflowCognitoReplicaProps } from './replication/medflow-cognito-replica';

// Safe rollout.
export { ReplacementGuard, ReplacementGuardMode } from './rollout/replacement-guard';
export type { ReplacementGuardOptions, ReplacementGuardProps } from './rollout/replacement-guard';
