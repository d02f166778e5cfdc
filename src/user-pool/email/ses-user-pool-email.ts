import { aws_cognito as cognito } from 'aws-cdk-lib';

/** The SES sender of the user pool, from the resolved configuration. */
export interface UserPoolSesSender {
  readonly fromAddress: string;
  readonly fromName?: string;
  readonly replyTo?: string;
  readonly sesRegion: string;
  /** The verified identity Cognito sends from (`SourceArn`). */
  readonly identityArn: string;
  /** The identity's domain or address. */
  readonly identityName: string;
  /** The configuration set every message goes through. */
  readonly configurationSetName: string;
}

/**
 * The pool's `email` for an SES sender. `UserPoolEmail.withSES` is used so that the L2 knows the
 * pool sends through SES (it checks this before it allows email MFA) and encodes a non-ASCII
 * display name (RFC 2047) in `From`. It derives `SourceArn` from this stack's account, though,
 * so `applySesSourceArn` then sets the resolved identity ARN exactly.
 */
export function sesUserPoolEmail(sender: UserPoolSesSender): cognito.UserPoolEmail {
  return cognito.UserPoolEmail.withSES({
    fromEmail: sender.fromAddress,
    fromName: sender.fromName,
    replyTo: sender.replyTo,
    sesRegion: sender.sesRegion,
    sesVerifiedDomain: sender.identityName.includes('@') ? undefined : sender.identityName,
    configurationSetName: sender.configurationSetName,
  });
}

/**
 * Sets `EmailConfiguration.SourceArn` to the resolved identity. Cognito sends through SES with its
 * service-linked role AWSServiceRoleForAmazonCognitoIdpEmailService, which it creates when a pool
 * is set to `DEVELOPER`; no sending authorization policy is needed on the identity then. Only
 * `COGNITO_DEFAULT` with a custom FROM address needs one ("Email settings for Amazon Cognito user
 * pools", step 3, and "Authorizing Amazon Cognito to send Amazon SES email on your behalf").
 */
export function applySesSourceArn(pool: cognito.UserPool, sender: UserPoolSesSender): void {
  const cfn = pool.node.defaultChild as cognito.CfnUserPool;
  const bound = cfn.emailConfiguration as cognito.CfnUserPool.EmailConfigurationProperty;
  cfn.emailConfiguration = { ...bound, sourceArn: sender.identityArn };
}
