/*
 * PreSignUp: validates the healthcare attributes of every new user, whether they sign up
 * themselves, are created by an administrator (AdminCreateUser) or arrive from an external
 * identity provider. A rejected sign-up creates no user.
 */
import { HealthcareAttributeValidator } from '../../user-pool/healthcare-attribute-validator';
import {
  InvalidTriggerEventError, LineWriter, TriggerConfigurationError, TriggerLogger, TriggerRejection, requireCognitoEvent, withFailureLogging,
} from '../shared/trigger-log';
import { UserHashFunction } from '../shared/user-hash';

export const PRE_SIGN_UP_SOURCES = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const;

/** The role configuration of the trigger. */
export interface RoleConfiguration {
  /** Role names accepted in custom:user_role. */
  readonly roles: string[];
  /** Role names that must carry a license and an NPI. */
  readonly clinicalRoles: string[];
}

export interface PreSignUpHandlerDeps {
  /** Read on every invocation so that bad configuration fails with a logged error. */
  readonly roles: () => RoleConfiguration;
  readonly write?: LineWriter;
  /** The logged hash of a user: the keyed hash (user-hash.ts), never the username. */
  readonly userHash: UserHashFunction;
}

/** Reads HEALTHCARE_ROLES and CLINICAL_ROLES: JSON arrays of role names; clinical roles may be empty. */
export function rolesFromEnv(env: Record<string, string | undefined>): RoleConfiguration {
  const read = (name: string, allowEmpty: boolean): string[] => {
    let roles: unknown;
    try {
      roles = JSON.parse(env[name] ?? '');
    } catch {
      throw new TriggerConfigurationError(`${name} must be a JSON array of role names.`);
    }
    if (allowEmpty && Array.isArray(roles) && roles.length === 0) return [];
    const problems = HealthcareAttributeValidator.validateRoleNames(roles as string[]);
    if (problems.length > 0) {
      throw new TriggerConfigurationError(`${name} is invalid: ${problems.join('; ')}.`);
    }
    return roles as string[];
  };
  return { roles: read('HEALTHCARE_ROLES', false), clinicalRoles: read('CLINICAL_ROLES', true) };
}

export function createPreSignUpHandler(deps: PreSignUpHandlerDeps): (event: unknown) => Promise<unknown> {
  const logger = new TriggerLogger('PreSignUp', deps.write);
  return (event) => withFailureLogging(logger, (event as { triggerSource?: unknown } | undefined)?.triggerSource, async () => {
    const e = requireCognitoEvent('PreSignUp', event, PRE_SIGN_UP_SOURCES);
    const attributes = e.request.userAttributes;
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      throw new InvalidTriggerEventError('PreSignUp', 'request.userAttributes is missing or not an object', 'the user attributes Cognito sends with every sign-up');
    }
    const { roles, clinicalRoles } = deps.roles();
    const userHash = await deps.userHash(e.userPoolId, e.userName);
    const problems = HealthcareAttributeValidator.validate(attributes as Record<string, string>, roles, clinicalRoles);
    if (problems.length > 0) {
      logger.info('sign_up_rejected', {
        userHash,
        triggerSource: e.triggerSource,
        problems: problems.map((p) => `${p.attribute}:${p.code}`),
      });
      logger.metric('SignUpRejected', e.userPoolId, { triggerSource: e.triggerSource });
      throw new TriggerRejection(HealthcareAttributeValidator.describe(problems));
    }
    logger.info('sign_up_accepted', { userHash, triggerSource: e.triggerSource });
    return event;
  });
}
