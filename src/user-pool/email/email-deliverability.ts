import { RemovalPolicy, aws_route53 as route53, aws_ses as ses } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SES_CONFIGURATION_SET_DIMENSION } from '../../operations/metric-names';

/** Props of the SES resources beside the pool, from the resolved configuration. */
export interface EmailDeliverabilityProps {
  /** The configuration set's name; created here when `createConfigurationSet`. */
  readonly configurationSetName: string;
  readonly createConfigurationSet: boolean;
  /** The sender's domain, created as an SES identity with Easy DKIM records when `hostedZone` is given. */
  readonly identityName: string;
  readonly hostedZone?: route53.IHostedZone;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Send events Cognito's email goes through: bounces, complaints and rejects to act on, and sends and
 * deliveries as the denominators of their rates. Each becomes an `AWS/SES` metric carrying the
 * `SES_CONFIGURATION_SET_DIMENSION` dimension.
 */
const PUBLISHED_EVENTS = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
];

/**
 * The SES configuration set the pool's email goes through, with reputation metrics on and its send
 * events published to CloudWatch, and, given a hosted zone, the sender's domain identity with Easy
 * DKIM records in that zone.
 */
export class EmailDeliverability extends Construct {
  /** The name of the configuration set; a reference to it when created here, so the pool is created after it. */
  public readonly configurationSetName: string;
  /** The configuration set, when created here. */
  public readonly configurationSet?: ses.ConfigurationSet;
  /** The sender's domain identity, when created here. */
  public readonly identity?: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: EmailDeliverabilityProps) {
    super(scope, id);
    this.configurationSetName = props.configurationSetName;
    if (props.createConfigurationSet) {
      const configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
        configurationSetName: props.configurationSetName,
        // Bounce and complaint rates of this set in the SES console, beside the account's.
        reputationMetrics: true,
        // Account-level suppression applies as well; bounces and complaints are suppressed here too.
        suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        // Temporary passwords and codes leave SES only over TLS; a server without TLS gets nothing.
        tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      });
      configurationSet.addEventDestination('CloudWatch', {
        destination: ses.EventDestination.cloudWatchDimensions([{
          name: SES_CONFIGURATION_SET_DIMENSION,
          // Cognito sets no message tags, so every event carries the default value.
          source: ses.CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: props.configurationSetName,
        }]),
        events: PUBLISHED_EVENTS,
      });
      configurationSet.applyRemovalPolicy(props.removalPolicy);
      this.configurationSet = configurationSet;
      this.configurationSetName = configurationSet.configurationSetName;
    }
    if (props.hostedZone) {
      this.identity = new ses.EmailIdentity(this, 'DomainIdentity', {
        // Easy DKIM: SES generates the keys and the three CNAME records go into the zone.
        identity: ses.Identity.publicHostedZone(props.hostedZone),
        dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
        configurationSet: this.configurationSet,
      });
      this.identity.applyRemovalPolicy(props.removalPolicy);
    }
  }
}
