/*
 * PreAuthentication and PostAuthentication handlers of the account lockout, built from injected
 * dependencies. The *.lambda.ts entry points wire in the DynamoDB client and the environment.
 */
import { AttemptOutcome, LockoutPolicy, LockoutTableClient, recordAttempt, resetAttempts } from './lockout-store';
import { ACCOUNT_LOCKED_METRIC } from '../../operations/metric-names';
import {
  LineWriter, TriggerConfigurationError, TriggerLogger, TriggerRejection, lockKey, requireCognitoEvent, withFailureLogging,
} from '../shared/trigger-log';
import { UserHashFunction } from '../shared/user-hash';

/** What Cognito shows for a locked account; identical for existing and unknown usernames. */
export const LOCKED_MESSAGE = 'Too many sign-in attempts. Try again later or contact your clinic administrator.';
/** What Cognito shows when the lockout cannot be checked and the failure mode is FAIL_CLOSED. */
export const UNAVAILABLE_MESSAGE = 'Sign-in is temporarily unavailable. Try again in a few minutes.';

export const FAIL_OPEN = 'FAIL_OPEN';
export const FAIL_CLOSED = 'FAIL_CLOSED';

/** Longest time the handler waits for DynamoDB before applying the failure mode. */
export const DEFAULT_DEADLINE_MS = 1500;
// Time kept back from the function's remaining time to log and answer Cognito.
const ANSWER_RESERVE_MS = 400;

export interface LockoutConfig {
  readonly policy: LockoutPolicy;
  readonly failureMode: string;
  readonly deadlineMs: number;
}

/** Minimal Lambda context: only the remaining time is used. */
export interface InvocationContext {
  getRemainingTimeInMillis?(): number;
}

export interface LockoutHandlerDeps {
  readonly client: LockoutTableClient;
  /** Read on every invocation so that a misconfigured function fails with a logged, clear error. */
  readonly config: () => LockoutConfig;
  readonly now?: () => number;
  readonly write?: LineWriter;
  /** The logged hash of a user: the keyed hash (user-hash.ts), never the username. */
  readonly userHash: UserHashFunction;
}

export type CognitoTriggerHandler = (event: unknown, context?: InvocationContext) => Promise<unknown>;

/** Reads LOCKOUT_TABLE_NAME, LOCKOUT_MAX_ATTEMPTS, LOCKOUT_DURATION_SECONDS and LOCKOUT_FAILURE_MODE. */
export function lockoutConfigFromEnv(env: Record<string, string | undefined>): LockoutConfig {
  const tableName = env.LOCKOUT_TABLE_NAME;
  if (!tableName) {
    throw new TriggerConfigurationError('LOCKOUT_TABLE_NAME is not set; it must name the lockout DynamoDB table.');
  }
  const maxAttempts = Number(env.LOCKOUT_MAX_ATTEMPTS);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new TriggerConfigurationError('LOCKOUT_MAX_ATTEMPTS must be a whole number of at least 1.');
  }
  const lockoutSeconds = Number(env.LOCKOUT_DURATION_SECONDS);
  if (!Number.isInteger(lockoutSeconds) || lockoutSeconds < 1) {
    throw new TriggerConfigurationError('LOCKOUT_DURATION_SECONDS must be a whole number of at least 1.');
  }
  const failureMode = env.LOCKOUT_FAILURE_MODE ?? FAIL_OPEN;
  if (failureMode !== FAIL_OPEN && failureMode !== FAIL_CLOSED) {
    throw new TriggerConfigurationError(`LOCKOUT_FAILURE_MODE must be ${FAIL_OPEN} or ${FAIL_CLOSED}.`);
  }
  return { policy: { tableName, maxAttempts, lockoutSeconds }, failureMode, deadlineMs: DEFAULT_DEADLINE_MS };
}

/**
 * PreAuthentication: counts the attempt before Cognito checks the password and rejects it when
 * the account is locked. When DynamoDB fails or is too slow, FAIL_OPEN lets the attempt through
 * (password and MFA still apply) and FAIL_CLOSED rejects it; both emit `LockoutStoreUnavailable`.
 */
export function createPreAuthenticationHandler(deps: LockoutHandlerDeps): CognitoTriggerHandler {
  const logger = new TriggerLogger('PreAuthentication', deps.write);
  const now = deps.now ?? Date.now;
  return (event, context) => withFailureLogging(logger, (event as { triggerSource?: unknown } | undefined)?.triggerSource, async () => {
    const e = requireCognitoEvent('PreAuthentication', event, ['PreAuthentication_Authentication']);
    const config = deps.config();
    // The log hash is computed alongside the DynamoDB call, so a cold start's key read adds no latency of its own.
    const hashing = deps.userHash(e.userPoolId, e.userName);
    const { maxAttempts } = config.policy;
    let result: AttemptOutcome;
    try {
      result = await recordAttempt(deps.client, config.policy, lockKey(e.userPoolId, e.userName), now(), deadline(config, context));
    } catch (error) {
      const userHash = await hashing;
      logger.warn('lockout_store_unavailable', { userHash, failureMode: config.failureMode, errorName: errorName(error) });
      logger.metric('LockoutStoreUnavailable', e.userPoolId, { failureMode: config.failureMode });
      if (config.failureMode === FAIL_CLOSED) throw new TriggerRejection(UNAVAILABLE_MESSAGE);
      return event;
    }
    const userHash = await hashing;
    if (result.locked) {
      if (result.newlyLocked) {
        logger.warn('account_locked', { userHash, attempts: result.attempts, maxAttempts });
        logger.metric(ACCOUNT_LOCKED_METRIC, e.userPoolId, { userHash });
      }
      logger.info('attempt_rejected_locked', { userHash, attempts: result.attempts, maxAttempts, dynamoDbCalls: result.calls });
      throw new TriggerRejection(LOCKED_MESSAGE);
    }
    logger.info('attempt_counted', { userHash, attempts: result.attempts, maxAttempts, dynamoDbCalls: result.calls });
    return event;
  });
}

/**
 * PostAuthentication: the sign-in succeeded, so the count restarts. A failure to reset never
 * blocks a sign-in that Cognito has already accepted, in either failure mode: it can only leave
 * a stale count, which expires by itself (or when its lock ends).
 */
export function createPostAuthenticationHandler(deps: LockoutHandlerDeps): CognitoTriggerHandler {
  const logger = new TriggerLogger('PostAuthentication', deps.write);
  return (event, context) => withFailureLogging(logger, (event as { triggerSource?: unknown } | undefined)?.triggerSource, async () => {
    const e = requireCognitoEvent('PostAuthentication', event, ['PostAuthentication_Authentication']);
    const config = deps.config();
    const hashing = deps.userHash(e.userPoolId, e.userName);
    try {
      await resetAttempts(deps.client, config.policy.tableName, lockKey(e.userPoolId, e.userName), deadline(config, context));
    } catch (error) {
      const userHash = await hashing;
      logger.warn('lockout_reset_failed', { userHash, errorName: errorName(error) });
      logger.metric('LockoutStoreUnavailable', e.userPoolId, { failureMode: config.failureMode });
      return event;
    }
    logger.info('attempts_reset', { userHash: await hashing, dynamoDbCalls: 1 });
    return event;
  });
}

function deadline(config: LockoutConfig, context?: InvocationContext): AbortSignal {
  const remaining = context?.getRemainingTimeInMillis?.();
  const budget = typeof remaining === 'number' ? Math.min(config.deadlineMs, remaining - ANSWER_RESERVE_MS) : config.deadlineMs;
  return AbortSignal.timeout(Math.max(50, budget));
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
