/** What `CognitoMonitoring` watches of a user pool that sends email through Amazon SES. */
export interface SesEmailMonitoring {
  /**
   * The SES configuration set the pool's email goes through, whose send events (`AWS/SES` Send,
   * Delivery, Bounce, Complaint, Reject) are published to CloudWatch with the dimension
   * `medflow-configuration-set` set to its name, as MedflowCognito's own configuration set does.
   * @default - only the account's reputation is charted and alarmed
   */
  readonly configurationSetName?: string;
}
