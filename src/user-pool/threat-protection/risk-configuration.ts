import { aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { renderRiskEmail } from './risk-notification-messages';
import { SesSenderConfiguration, ThreatProtectionConfiguration } from '../../config/resolved-configuration';

/** Props of the risk configuration, from the resolved configuration. */
export interface RiskConfigurationProps {
  readonly userPool: cognito.UserPool;
  readonly threatProtection: ThreatProtectionConfiguration;
  /** The SES sender; required when a risk level notifies. */
  readonly sender?: SesSenderConfiguration;
}

/**
 * Compromised credentials are checked on every event that takes a password (CompromisedCredentialsRiskConfigurationType
 * EventFilter: SIGN_IN | PASSWORD_CHANGE | SIGN_UP). Listed explicitly so the template says what is covered.
 */
export const COMPROMISED_CREDENTIALS_EVENTS = ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'];

/**
 * The pool's `AWS::Cognito::UserPoolRiskConfigurationAttachment`, for every app client (ClientId `ALL`: the
 * configuration of each client that has no client-level one). Without it, a pool on the Plus plan runs
 * Cognito's default actions, which nobody chose. In audit-only mode Cognito records the risk decisions
 * and takes none of these actions (Cognito developer guide, "Threat protection": audit-only vs full-function).
 */
export function addRiskConfiguration(scope: Construct, props: RiskConfigurationProps): cognito.CfnUserPoolRiskConfigurationAttachment {
  const { threatProtection: tp, sender } = props;
  const action = (level: { response: string; notify: boolean }) => ({ eventAction: level.response, notify: level.notify });
  const notifies = tp.lowRisk.notify || tp.mediumRisk.notify || tp.highRisk.notify;
  if (notifies && !sender) {
    // Resolution refuses this; a building block must not emit a NotifyConfiguration without a SourceArn.
    throw new Error('Risk notifications need an SES sender');
  }
  const exceptions = tp.blockedIpRanges.length > 0 || tp.skippedIpRanges.length > 0;
  const attachment = new cognito.CfnUserPoolRiskConfigurationAttachment(scope, 'RiskConfiguration', {
    userPoolId: props.userPool.userPoolId,
    clientId: 'ALL',
    compromisedCredentialsRiskConfiguration: {
      actions: { eventAction: tp.compromisedCredentials },
      eventFilter: COMPROMISED_CREDENTIALS_EVENTS,
    },
    accountTakeoverRiskConfiguration: {
      actions: {
        lowAction: action(tp.lowRisk),
        mediumAction: action(tp.mediumRisk),
        highAction: action(tp.highRisk),
      },
      notifyConfiguration: notifies && sender ? notifyConfiguration(sender) : undefined,
    },
    riskExceptionConfiguration: exceptions ? {
      blockedIpRangeList: tp.blockedIpRanges.length > 0 ? tp.blockedIpRanges : undefined,
      skippedIpRangeList: tp.skippedIpRanges.length > 0 ? tp.skippedIpRanges : undefined,
    } : undefined,
  });
  // The Ref on the pool already orders creation; the explicit dependency keeps the pool's plan and
  // threat protection mode (UserPoolTier, UserPoolAddOns) applied before SetRiskConfiguration runs
  // should the attachment ever stop referencing the pool directly (e.g. a client-level configuration).
  attachment.node.addDependency(props.userPool);
  return attachment;
}

/** NotifyConfigurationType: SES identity, sender and the three templates (one per action taken). */
function notifyConfiguration(sender: SesSenderConfiguration): cognito.CfnUserPoolRiskConfigurationAttachment.NotifyConfigurationTypeProperty {
  // fromName is validated to hold no quotes, angle brackets or line breaks, so quoting it is safe.
  const from = sender.fromName ? `"${sender.fromName}" <${sender.fromAddress}>` : sender.fromAddress;
  return {
    sourceArn: sender.identityArn,
    from,
    replyTo: sender.replyTo,
    blockEmail: renderRiskEmail('block'),
    mfaEmail: renderRiskEmail('mfa'),
    noActionEmail: renderRiskEmail('noAction'),
  };
}
