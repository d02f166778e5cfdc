/** What threat protection does with a sign-in at one adaptive-authentication risk level. */
export enum RiskResponse {
  /** Let the sign-in through (`NO_ACTION`). */
  ALLOW = 'NO_ACTION',
  /** Ask for MFA when the user has a factor set up; otherwise let it through (`MFA_IF_CONFIGURED`). */
  MFA_IF_CONFIGURED = 'MFA_IF_CONFIGURED',
  /** Ask for MFA; block the sign-in when the user has no factor set up (`MFA_REQUIRED`). */
  MFA_REQUIRED = 'MFA_REQUIRED',
  /** Block the sign-in (`BLOCK`). */
  BLOCK = 'BLOCK',
}

/** What threat protection does when a password is known to be compromised. */
export enum CompromisedCredentialsResponse {
  /** Block sign-in, sign-up and password change with the compromised password (`BLOCK`). */
  BLOCK = 'BLOCK',
  /** Only record the event (`NO_ACTION`). */
  RECORD_ONLY = 'NO_ACTION',
}

/** The response at one risk level. */
export interface RiskLevelAction {
  /** What happens to the sign-in. */
  readonly response: RiskResponse;
  /**
   * Whether the user is emailed about the sign-in (needs an SES sender).
   * @default - true where email goes through SES and the response is not ALLOW
   */
  readonly notify?: boolean;
}

/** IP ranges that threat protection always blocks or never assesses. */
export interface RiskExceptions {
  /**
   * CIDR ranges whose sign-ins are always blocked.
   * @default - none
   */
  readonly blockedIpRanges?: string[];
  /**
   * CIDR ranges whose sign-ins are never risk-assessed, for example a clinic's own network.
   * @default - none
   */
  readonly skippedIpRanges?: string[];
}

/**
 * The actions of threat protection (the Plus plan: staging audits them, prod enforces them).
 * Each member left out keeps the library's choice.
 */
export interface ThreatProtectionOptions {
  /**
   * What happens on sign-in, sign-up and password change with a compromised password.
   * @default CompromisedCredentialsResponse.BLOCK
   */
  readonly compromisedCredentials?: CompromisedCredentialsResponse;
  /**
   * Low-risk sign-ins.
   * @default - allowed, without a notification
   */
  readonly lowRisk?: RiskLevelAction;
  /**
   * Medium-risk sign-ins.
   * @default - MFA required where MFA is on (notified); allowed and notified where MFA is off
   */
  readonly mediumRisk?: RiskLevelAction;
  /**
   * High-risk sign-ins.
   * @default - blocked, and notified
   */
  readonly highRisk?: RiskLevelAction;
  /**
   * IP ranges always blocked or never assessed.
   * @default - none
   */
  readonly riskExceptions?: RiskExceptions;
}
