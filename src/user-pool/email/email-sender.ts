import { aws_route53 as route53 } from 'aws-cdk-lib';

/** How the user pool sends email through Amazon SES. */
export interface SesEmailOptions {
  /**
   * The sender address, for example `no-reply@clinic.example`. Its domain (or the address itself)
   * must be a verified identity in Amazon SES in `sesRegion`.
   */
  readonly fromAddress: string;
  /**
   * The sender's display name, for example `MedFlow`.
   * @default - the address only
   */
  readonly fromName?: string;
  /**
   * Where replies go.
   * @default - `fromAddress`
   */
  readonly replyTo?: string;
  /**
   * An existing SES configuration set to send through. Its event destinations are yours to manage.
   * @default - a configuration set is created, publishing bounces, complaints and rejects to CloudWatch
   */
  readonly configurationSetName?: string;
  /**
   * The Region of the SES identity: the user pool's own Region, or one of the Regions Cognito can
   * send from for it: us-east-1, us-west-2 or eu-west-1 for pools in the Regions the Cognito developer guide lists
   * ("Amazon SES email configuration Regions"); other Regions use only their own.
   * @default - the user pool's Region
   */
  readonly sesRegion?: string;
  /**
   * ARN of the verified SES identity: the domain of `fromAddress` or the address itself, in `sesRegion`.
   * @default - the domain identity of `fromAddress` in `sesRegion`, in this account
   */
  readonly sesIdentityArn?: string;
  /**
   * Route 53 zone of the sender's domain. When given, the SES domain identity is created here with
   * Easy DKIM records, which needs `sesRegion` to be the stack's Region.
   * @default - the identity is verified outside this stack
   */
  readonly hostedZone?: route53.IHostedZone;
}

/**
 * Who sends the user pool's email: Amazon SES from the clinic's own domain (production), or
 * Cognito's built-in sender (development only: 50 emails a day per account, from a Cognito address).
 *
 * @example
 * const email = EmailSender.ses({ fromAddress: 'no-reply@clinic.example', fromName: 'MedFlow' });
 */
export class EmailSender {
  /** Email through Amazon SES (`EmailSendingAccount: DEVELOPER`). */
  public static ses(options: SesEmailOptions): EmailSender {
    return new EmailSender(options);
  }

  /** Cognito's built-in sender (`COGNITO_DEFAULT`): 50 emails a day per account. */
  public static cognitoDefault(): EmailSender {
    return new EmailSender(undefined);
  }

  /** The SES options, when email goes through SES. */
  public readonly sesOptions?: SesEmailOptions;

  private constructor(sesOptions: SesEmailOptions | undefined) {
    this.sesOptions = sesOptions ? { ...sesOptions } : undefined;
  }

  /** Whether email goes through Amazon SES. */
  public get usesSes(): boolean {
    return this.sesOptions !== undefined;
  }
}
