import { PropValidator } from '../internal/prop-validation';

/**
 * A Cognito user pools API request-rate category and the quota it is alarmed against.
 *
 * Cognito counts requests per category for the whole account and region and publishes them as
 * `AWS/Usage` `CallCount` with `Resource` set to the category name. The defaults below are the
 * default quotas in the Cognito developer guide's category table; if your account has a raised
 * quota, pass `QuotaCategory.custom(name, rps)` with the value from the Service Quotas console.
 *
 * @example
 * const categories = [
 *   QuotaCategory.USER_AUTHENTICATION,
 *   QuotaCategory.USER_CREATION,
 *   QuotaCategory.custom('UserFederation', 25),
 * ];
 */
export class QuotaCategory {
  /** InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge…: 120 requests per second. */
  public static readonly USER_AUTHENTICATION = new QuotaCategory('UserAuthentication', 120);
  /** SignUp, ConfirmSignUp, AdminCreateUser, AdminConfirmSignUp: 50 requests per second. */
  public static readonly USER_CREATION = new QuotaCategory('UserCreation', 50);
  /** ForgotPassword, ConfirmForgotPassword, ChangePassword…: 30 requests per second, not adjustable. */
  public static readonly USER_ACCOUNT_RECOVERY = new QuotaCategory('UserAccountRecovery', 30);
  /** GetUser, AdminGetUser: 120 requests per second. */
  public static readonly USER_READ = new QuotaCategory('UserRead', 120);
  /** AdminUpdateUserAttributes, AdminDisableUser…: 25 requests per second, not adjustable. */
  public static readonly USER_UPDATE = new QuotaCategory('UserUpdate', 25);
  /** AdminListGroupsForUser, ListDevices…: 50 requests per second. */
  public static readonly USER_RESOURCE_READ = new QuotaCategory('UserResourceRead', 50);
  /** AdminAddUserToGroup, AdminRemoveUserFromGroup…: 25 requests per second, not adjustable. */
  public static readonly USER_RESOURCE_UPDATE = new QuotaCategory('UserResourceUpdate', 25);
  /** ListUsers, ListUsersInGroup: 30 requests per second, not adjustable. The user export uses it. */
  public static readonly USER_LIST = new QuotaCategory('UserList', 30);
  /** Token refresh, revocation and the token endpoint: 120 requests per second. */
  public static readonly USER_TOKEN = new QuotaCategory('UserToken', 120);

  /** The categories MedFlow's sign-in, user management and backup use. */
  public static defaults(): QuotaCategory[] {
    return [
      QuotaCategory.USER_AUTHENTICATION,
      QuotaCategory.USER_CREATION,
      QuotaCategory.USER_ACCOUNT_RECOVERY,
      QuotaCategory.USER_READ,
      QuotaCategory.USER_UPDATE,
      QuotaCategory.USER_RESOURCE_UPDATE,
      QuotaCategory.USER_LIST,
      QuotaCategory.USER_TOKEN,
    ];
  }

  /**
   * Any category by its `Resource` name, with the quota in force in your account.
   * @param name category name as Cognito publishes it, for example `UserFederation`
   * @param requestsPerSecond the applied quota from the Service Quotas console
   */
  public static custom(name: string, requestsPerSecond: number): QuotaCategory {
    const validator = new PropValidator('QuotaCategory');
    validator.matches('name', name, /^[A-Z][A-Za-z]{2,63}$/, 'a Cognito category name such as UserAuthentication');
    if (!(requestsPerSecond > 0 && requestsPerSecond <= 100_000)) {
      validator.fail('requestsPerSecond', String(requestsPerSecond), 'a number of requests per second above 0 and at most 100000');
    }
    return new QuotaCategory(name, requestsPerSecond);
  }

  /** Category name, the `Resource` dimension value of its usage metrics. */
  public readonly name: string;
  /** Quota in requests per second. */
  public readonly requestsPerSecond: number;

  private constructor(name: string, requestsPerSecond: number) {
    this.name = name;
    this.requestsPerSecond = requestsPerSecond;
  }
}
