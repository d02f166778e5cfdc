/*
 * Structured JSON logging and Embedded Metric Format for the Cognito triggers.
 *
 * A log line carries only the fields below: trigger, event name, the hashed username, codes and
 * counts. There is deliberately no field for attribute values or raw usernames.
 */
import { createHash } from 'node:crypto';

import { MEDFLOW_METRICS_NAMESPACE, emfRecord } from '../../operations/metric-names';

/** Namespace of every metric the triggers emit: MedFlow's one metric namespace (`SecurityTriggers.METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = MEDFLOW_METRICS_NAMESPACE;

/** Writes one line; the Lambda runtime sends stdout to the function's log group. */
export type LineWriter = (line: string) => void;

export const stdoutWriter: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Fields a log line may carry. */
export interface LogFields {
  /** `keyedUserHash(key, userPoolId, userName)` (user-hash.ts): never the username, never an unkeyed hash. */
  readonly userHash?: string;
  readonly triggerSource?: string;
  readonly attempts?: number;
  readonly maxAttempts?: number;
  readonly failureMode?: string;
  readonly errorName?: string;
  /** A message this code composed itself; never an exception message from elsewhere. */
  readonly reason?: string;
  /** Problem codes and attribute names, never values. */
  readonly problems?: string[];
  readonly dynamoDbCalls?: number;
}

/**
 * The lockout table key (never logged; logs carry the keyed hash of user-hash.ts): SHA-256 over `{userPoolId}:{username}`,
 * the username NFC-normalised and lower-cased, as 64 hexadecimal characters.
 */
export function lockKey(userPoolId: string, userName: string): string {
  return createHash('sha256').update(`${userPoolId}:${userName.normalize('NFC').toLowerCase()}`, 'utf8').digest('hex');
}

export class TriggerLogger {
  constructor(private readonly trigger: string, private readonly write: LineWriter = stdoutWriter) {}

  public info(event: string, fields: LogFields = {}): void {
    this.line('INFO', event, fields);
  }

  public warn(event: string, fields: LogFields = {}): void {
    this.line('WARN', event, fields);
  }

  public error(event: string, fields: LogFields = {}): void {
    this.line('ERROR', event, fields);
  }

  /** One Embedded Metric Format record: a count of 1 for `metric`, dimensioned by user pool, then the trigger and `fields`. */
  public metric(metric: string, userPoolId: string, fields: LogFields = {}): void {
    this.write(JSON.stringify({
      ...emfRecord(userPoolId, [{ name: metric, value: 1, unit: 'Count' }]),
      trigger: this.trigger,
      ...fields,
    }));
  }

  private line(level: string, event: string, fields: LogFields): void {
    this.write(JSON.stringify({ level, trigger: this.trigger, event, ...fields }));
  }
}

/** An event Cognito should never send: names what is wrong, never a value from the event. */
export class InvalidTriggerEventError extends Error {
  constructor(trigger: string, problem: string, expected: string) {
    super(`${trigger} trigger received an invalid event: ${problem}. Expected ${expected}.`);
    this.name = 'InvalidTriggerEventError';
  }
}

/** A decision to reject the request, with the message Cognito shows the caller. */
export class TriggerRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriggerRejection';
  }
}

/** A required setting of the function is missing or malformed. */
export class TriggerConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriggerConfigurationError';
  }
}

export interface CognitoEventBase {
  readonly triggerSource: string;
  readonly userPoolId: string;
  readonly userName: string;
  readonly request: Record<string, unknown>;
  readonly response: Record<string, unknown>;
}

/** Checks the common Cognito trigger fields and that `triggerSource` is one of `sources`. */
export function requireCognitoEvent(trigger: string, event: unknown, sources: readonly string[]): CognitoEventBase {
  const expected = `a Cognito ${trigger} event with triggerSource ${sources.join(' or ')}, userPoolId, userName, request and response`;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidTriggerEventError(trigger, 'the event is not an object', expected);
  }
  const e = event as Record<string, unknown>;
  if (typeof e.triggerSource !== 'string' || !sources.includes(e.triggerSource)) {
    const got = typeof e.triggerSource === 'string' ? JSON.stringify(e.triggerSource.slice(0, 80)) : 'missing';
    throw new InvalidTriggerEventError(trigger, `triggerSource ${got} is not handled`, expected);
  }
  for (const field of ['userPoolId', 'userName'] as const) {
    if (typeof e[field] !== 'string' || e[field] === '') {
      throw new InvalidTriggerEventError(trigger, `${field} is missing or empty`, expected);
    }
  }
  for (const field of ['request', 'response'] as const) {
    if (typeof e[field] !== 'object' || e[field] === null || Array.isArray(e[field])) {
      throw new InvalidTriggerEventError(trigger, `${field} is missing or not an object`, expected);
    }
  }
  return e as unknown as CognitoEventBase;
}

/**
 * Runs `body`, logging every failure before it propagates so that nothing fails silently.
 * Only messages this code composed are logged; other errors are logged by name.
 */
export async function withFailureLogging<T>(logger: TriggerLogger, triggerSource: unknown, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof TriggerRejection)) {
      const source = typeof triggerSource === 'string' ? triggerSource.slice(0, 80) : undefined;
      const ownMessage = error instanceof InvalidTriggerEventError || error instanceof TriggerConfigurationError;
      logger.error(error instanceof InvalidTriggerEventError ? 'invalid_event' : 'trigger_failed', {
        triggerSource: source,
        errorName: error instanceof Error ? error.name : typeof error,
        reason: ownMessage ? (error as Error).message : undefined,
      });
    }
    throw error;
  }
}
