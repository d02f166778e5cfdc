/**
 * Alarm thresholds. Each applies to one five-minute period unless its description says otherwise.
 */
export interface AlarmThresholds {
  /**
   * Throttled sign-in, sign-up and token-refresh requests of one app client in five minutes.
   * @default 1 - any throttle pages: users were turned away
   */
  readonly throttledRequests?: number;
  /**
   * Sign-in success rate, in percent, below which the success-rate alarm fires when at least
   * `signInMinimumRequests` sign-ins were attempted in each of three consecutive periods.
   * Wrong passwords count as failures, so calibrate it from two weeks of the dashboard's line.
   * @default 50
   */
  readonly signInSuccessRatePercent?: number;
  /**
   * Sign-in attempts per five minutes below which the success rate is not judged, so a quiet
   * night with three mistyped passwords does not page.
   * @default 20
   */
  readonly signInMinimumRequests?: number;
  /**
   * Errors of one Cognito trigger function in five minutes.
   * @default 1 - a trigger error fails the user's sign-in or token
   */
  readonly triggerErrors?: number;
  /**
   * Accounts locked by the lockout triggers in five minutes; more suggests credential stuffing.
   * @default 10
   */
  readonly lockouts?: number;
  /**
   * Sign-ins with high account-takeover risk in five minutes (Plus plan threat protection).
   * @default 1
   */
  readonly highRiskTakeovers?: number;
  /**
   * Errors of the secret rotation function in one hour.
   * @default 1
   */
  readonly rotationFailures?: number;
  /**
   * Use of a request-rate quota category, in percent of its quota, averaged over five minutes.
   * @default 80
   */
  readonly quotaUtilizationPercent?: number;
  /**
   * The account's SES bounce rate (`Reputation.BounceRate`), in percent, at or above which the
   * email bounce-rate alarm fires. SES places an account under review at 5% and may pause its
   * sending at 10% ("Reputation metrics messages", Amazon SES Developer Guide).
   * @default 5
   */
  readonly emailBounceRatePercent?: number;
  /**
   * The account's SES complaint rate (`Reputation.ComplaintRate`), in percent, at or above which
   * the email complaint-rate alarm fires. SES reviews an account at 0.1% and may pause it at 0.5%.
   * @default 0.1
   */
  readonly emailComplaintRatePercent?: number;
}
