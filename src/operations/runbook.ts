/** Where the operations runbook is published, and the anchor of each alarm's section in it. */
export const DEFAULT_RUNBOOK_URL = 'https://github.com/medflow/cognito-construct/blob/main/docs/operations-runbook.md';

/** The disaster recovery guide, beside the runbook; `ReplicaStatus` alarms link its replica status section. */
export const DISASTER_RECOVERY_URL = DEFAULT_RUNBOOK_URL.replace(/operations-runbook\.md$/, 'disaster-recovery.md');
/** Anchor of the replica status section in docs/disaster-recovery.md. */
export const REPLICA_STATUS_ANCHOR = 'replica-status-alarm';

/** Anchors in docs/operations-runbook.md; a test checks that each one exists there. */
export const RunbookAnchor = {
  THROTTLES: 'alarm-cognito-throttles',
  SIGN_IN_SUCCESS_RATE: 'alarm-sign-in-success-rate',
  TRIGGER_ERRORS: 'alarm-trigger-errors',
  LOCKOUT_SPIKE: 'alarm-lockout-spike',
  ACCOUNT_TAKEOVER: 'alarm-account-takeover',
  ROTATION_FAILURES: 'alarm-rotation-failures',
  QUOTA_UTILIZATION: 'alarm-quota-utilization',
  BACKUP_FAILURES: 'alarm-backup-failures',
  BUDGET: 'alert-monthly-budget',
  EMAIL_NOT_ARRIVING: 'email-is-not-arriving',
} as const;

/** CloudWatch allows 1024 characters in an alarm description. */
const MAX_DESCRIPTION = 1024;

/** "<what happened>. Do: <first steps>. Runbook: <url>#<anchor>", within CloudWatch's limit. */
export function alarmDescription(what: string, action: string, runbookUrl: string, anchor: string): string {
  const link = ` Runbook: ${runbookUrl}#${anchor}`;
  const text = `${what} Do: ${action}`;
  const room = MAX_DESCRIPTION - link.length;
  return (text.length > room ? `${text.slice(0, room - 1)}…` : text) + link;
}
