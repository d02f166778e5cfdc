import { Duration } from 'aws-cdk-lib';
import { PropValidator } from '../internal/prop-validation';

/** Secrets Manager accepts rotation schedules from 4 hours to 1000 days. */
export const ROTATION_SCHEDULE_BOUNDS = [Duration.hours(4), Duration.days(1000)] as const;
export const GRACE_PERIOD_BOUNDS = [Duration.hours(1), Duration.days(7)] as const;
export const DEFAULT_ROTATION_SCHEDULE = Duration.days(30);
export const DEFAULT_GRACE_PERIOD = Duration.days(1);
/** How often superseded secrets are looked for; a secret is deleted at most this long after its grace period ends. */
export const CLEANUP_INTERVAL = Duration.hours(1);

/** Validates a rotation schedule and returns it, or the 30-day default. */
export function resolveRotationSchedule(validator: PropValidator, prop: string, schedule?: Duration): Duration {
  const value = schedule ?? DEFAULT_ROTATION_SCHEDULE;
  validator.durationInRange(prop, value, ...ROTATION_SCHEDULE_BOUNDS);
  if (!Number.isInteger(value.toHours({ integral: false }))) {
    validator.fail(prop, value.toHumanString(), 'whole hours from 4 hours to 1000 days');
  }
  return value;
}

/** Validates a grace period against its schedule and returns it, or the default: 1 day, or half the schedule when shorter. */
export function resolveGracePeriod(
  validator: PropValidator, prop: string, schedule: Duration, scheduleProp: string, gracePeriod?: Duration,
): Duration {
  const halfSchedule = Duration.minutes(schedule.toMinutes() / 2);
  const value = gracePeriod ?? (halfSchedule.toMinutes() < DEFAULT_GRACE_PERIOD.toMinutes() ? halfSchedule : DEFAULT_GRACE_PERIOD);
  validator.durationInRange(prop, value, ...GRACE_PERIOD_BOUNDS);
  if (value.toSeconds() >= schedule.toSeconds()) {
    validator.fail(prop, value.toHumanString(), `less than ${scheduleProp} (${schedule.toHumanString()})`,
      'A rotation can only add the next secret after the previous one was deleted.');
  }
  return value;
}
