import { Stack, Token, aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PresetSettings } from './environment-preset';
import { MedflowCognitoProps } from './medflow-cognito-props';
import {
  EmailConfiguration,
  RiskLevelConfiguration,
  ThreatProtectionConfiguration,
  UserDataKeyConfiguration,
} from './resolved-configuration';
import { PropValidator } from '../internal/prop-validation';
import { ResourceNames } from '../internal/resource-names';
import { SesEmailOptions } from '../user-pool/email/email-sender';
import {
  CompromisedCredentialsResponse,
  RiskLevelAction,
  RiskResponse,
  ThreatProtectionOptions,
} from '../user-pool/threat-protection/threat-protection-options';

/*
 * The resolution of the user pool's email, data key, threat protection and devices: defaults and
 * checks, once. Errors name the prop, the bad value and what is allowed.
 */

const EMAIL_ADDRESS = /^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL_ADDRESS_ALLOWED = 'an email address such as no-reply@clinic.example (local part, @, a domain with a dot)';
/**
 * Regions that may hold the SES identity of a pool in another Region. The Cognito developer guide
 * ("Email settings for Amazon Cognito user pools", section "Amazon SES email configuration Regions")
 * lets every pool use SES in its own Region, and pools in the Regions below also US East (N. Virginia),
 * US West (Oregon) and Europe (Ireland), for backward compatibility. Pools elsewhere (us-west-1,
 * eu-west-3, eu-north-1, me-south-1, sa-east-1 and Regions launched since) use their own Region only.
 */
const ALTERNATE_SES_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const POOL_REGIONS_WITH_ALTERNATES = [
  'us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-south-1',
  'ap-southeast-1', 'ap-southeast-2', 'eu-west-1', 'eu-west-2', 'eu-central-1',
];
/** The SES Regions a pool in `poolRegion` may send through, per the table cited above. */
function sesRegionsFor(poolRegion: string): string[] {
  return POOL_REGIONS_WITH_ALTERNATES.includes(poolRegion) ? [...new Set([poolRegion, ...ALTERNATE_SES_REGIONS])] : [poolRegion];
}
function allowedSesRegions(poolRegion: string): string {
  return POOL_REGIONS_WITH_ALTERNATES.includes(poolRegion)
    ? `the user pool's Region (${poolRegion}) or one Cognito can send from for it: ${ALTERNATE_SES_REGIONS.join(', ')}`
    : `the user pool's Region (${poolRegion}) only: Cognito sends from no other SES Region for a pool there`;
}
const SES_IDENTITY_ARN = /^arn:(aws|aws-us-gov|aws-cn):ses:([a-z0-9-]+):(\d{12}):identity\/(.+)$/;
const CONFIGURATION_SET_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$|^[0-9a-fA-F:]+\/(\d{1,2}|1[01]\d|12[0-8])$/;
const DEFAULT_EMAIL_HINT = 'Pass email: EmailSender.ses({ fromAddress: \'no-reply@your-clinic.example\' }), or set allowCognitoDefaultEmail: true '
  + 'to accept Cognito\'s built-in sender (50 emails a day per account; verification and password recovery stop beyond it).';

/** The email sender: SES where given, Cognito's own only where the preset or an explicit risk acceptance allows it. */
export function resolveEmail(
  scope: Construct, props: MedflowCognitoProps, settings: PresetSettings, names: ResourceNames, validator: PropValidator,
): EmailConfiguration {
  const ses = props.email?.sesOptions;
  if (!ses) {
    if (settings.requireSesEmail && !props.allowCognitoDefaultEmail) {
      validator.fail('email', props.email ? 'EmailSender.cognitoDefault()' : '(not set)',
        `EmailSender.ses(...) in the ${settings.environmentName} preset, which requires Amazon SES (requireSesEmail)`, DEFAULT_EMAIL_HINT);
    }
    return { defaultSenderAccepted: settings.requireSesEmail === true };
  }
  const stackRegion = Stack.of(scope).region;
  validator.matches('email.fromAddress', ses.fromAddress, EMAIL_ADDRESS, EMAIL_ADDRESS_ALLOWED);
  if (ses.replyTo !== undefined) validator.matches('email.replyTo', ses.replyTo, EMAIL_ADDRESS, EMAIL_ADDRESS_ALLOWED);
  if (ses.fromName !== undefined && !Token.isUnresolved(ses.fromName) && /[\r\n<>"]/.test(ses.fromName)) {
    validator.fail('email.fromName', JSON.stringify(ses.fromName), 'a display name without line breaks, angle brackets or double quotes');
  }
  const identity = resolveSesIdentity(scope, ses, stackRegion, validator);
  if (ses.configurationSetName !== undefined) {
    validator.matches('email.configurationSetName', ses.configurationSetName, CONFIGURATION_SET_NAME,
      'an SES configuration set name: 1-64 letters, digits, underscores and hyphens');
  }
  if (ses.hostedZone && identity.region !== stackRegion) {
    validator.fail('email.hostedZone', `with sesRegion ${identity.region}`,
      `a hosted zone only where sesRegion is the stack's Region (${stackRegion}), since the domain identity is created in this stack`);
  }
  // The domain identity is created for the zone's name, so that must be the identity Cognito sends from.
  const zoneName = ses.hostedZone?.zoneName;
  if (zoneName !== undefined && !Token.isUnresolved(zoneName) && zoneName.replace(/\.$/, '').toLowerCase() !== identity.name.toLowerCase()) {
    validator.fail('email.hostedZone', `zone ${zoneName}`, `the zone of the sender's identity, ${identity.name}`);
  }
  if (ses.configurationSetName === undefined && identity.region !== stackRegion && !Token.isUnresolved(stackRegion)) {
    validator.fail('email.configurationSetName', '(not set)',
      `the name of a configuration set in ${identity.region} when sesRegion is not the stack's Region (${stackRegion}); `
      + 'the library creates one only in the stack\'s Region');
  }
  return {
    defaultSenderAccepted: false,
    ses: {
      fromAddress: ses.fromAddress,
      fromName: ses.fromName,
      replyTo: ses.replyTo,
      sesRegion: identity.region,
      identityArn: identity.arn,
      identityName: identity.name,
      configurationSetName: ses.configurationSetName ?? names.of('email'),
      createConfigurationSet: ses.configurationSetName === undefined,
      hostedZone: ses.hostedZone,
    },
  };
}

function resolveSesIdentity(scope: Construct, ses: SesEmailOptions, stackRegion: string, validator: PropValidator) {
  const domain = ses.fromAddress.slice(ses.fromAddress.lastIndexOf('@') + 1).toLowerCase();
  const region = ses.sesRegion ?? stackRegion;
  if (ses.sesRegion !== undefined && !Token.isUnresolved(region) && !Token.isUnresolved(stackRegion)
    && !sesRegionsFor(stackRegion).includes(region)) {
    validator.fail('email.sesRegion', JSON.stringify(region), allowedSesRegions(stackRegion));
  }
  if (ses.sesIdentityArn === undefined || Token.isUnresolved(ses.sesIdentityArn)) {
    const arn = ses.sesIdentityArn ?? Stack.of(scope).formatArn({ service: 'ses', region, resource: 'identity', resourceName: domain });
    return { region, arn, name: domain };
  }
  const match = SES_IDENTITY_ARN.exec(ses.sesIdentityArn);
  if (!match) {
    validator.fail('email.sesIdentityArn', JSON.stringify(ses.sesIdentityArn),
      'an SES identity ARN, arn:aws:ses:<region>:<account>:identity/<domain or address>');
  }
  const [, , arnRegion, arnAccount, name] = match;
  if (ses.sesRegion !== undefined && arnRegion !== region) {
    validator.fail('email.sesIdentityArn', JSON.stringify(ses.sesIdentityArn), `an identity in sesRegion ${region}`);
  }
  if (name.toLowerCase() !== domain && name.toLowerCase() !== ses.fromAddress.toLowerCase()) {
    validator.fail('email.sesIdentityArn', JSON.stringify(ses.sesIdentityArn),
      `the identity of fromAddress: its domain (${domain}) or the address itself`);
  }
  if (ses.sesRegion === undefined && !Token.isUnresolved(stackRegion) && !sesRegionsFor(stackRegion).includes(arnRegion)) {
    validator.fail('email.sesIdentityArn', JSON.stringify(ses.sesIdentityArn), `an identity in ${allowedSesRegions(stackRegion)}`);
  }
  // The same guide ("Configuring email for your user pool") says the SES identity cannot be in another account.
  const stackAccount = Stack.of(scope).account;
  if (!Token.isUnresolved(stackAccount) && arnAccount !== stackAccount) {
    validator.fail('email.sesIdentityArn', JSON.stringify(ses.sesIdentityArn), `an identity in the user pool's account (${stackAccount})`);
  }
  return { region: arnRegion, arn: ses.sesIdentityArn, name };
}

/** The key of the pool's user data: a given key, the library's user data key, or AWS owned. */
export function resolveUserDataKey(
  scope: Construct, props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator,
): UserDataKeyConfiguration {
  const key = props.userDataKey;
  if (key) {
    const stackRegion = Stack.of(scope).region;
    const keyRegion = key.env.region;
    if (!Token.isUnresolved(keyRegion) && !Token.isUnresolved(stackRegion) && keyRegion !== stackRegion) {
      validator.fail('userDataKey', `${key.keyArn.startsWith('arn:') ? key.keyArn : 'a key'} in ${keyRegion}`,
        `a KMS key in the user pool's Region (${stackRegion}); for a replica, use a multi-Region key with a replica in each Region`);
    }
    return { customerManaged: true, key };
  }
  return { customerManaged: settings.customerManagedUserDataKey === true };
}

/** The actions of threat protection, where the Plus plan has it. */
export function resolveThreatProtection(
  props: MedflowCognitoProps, settings: PresetSettings, email: EmailConfiguration, validator: PropValidator,
): ThreatProtectionConfiguration | undefined {
  const options: ThreatProtectionOptions = props.threatProtection ?? {};
  if (settings.featurePlan !== cognito.FeaturePlan.PLUS) {
    if (props.threatProtection) {
      validator.fail('threatProtection', '(set)', `threat protection actions only on the PLUS plan (this preset has ${settings.featurePlan})`);
    }
    return undefined;
  }
  const canNotify = email.ses !== undefined;
  const mfaOn = settings.mfa !== cognito.Mfa.OFF;
  const level = (name: 'lowRisk' | 'mediumRisk' | 'highRisk', given: RiskLevelAction | undefined, fallback: RiskResponse): RiskLevelConfiguration => {
    const response = given?.response ?? fallback;
    if (!Object.values(RiskResponse).includes(response)) {
      validator.fail(`threatProtection.${name}.response`, JSON.stringify(response), Object.keys(RiskResponse).map((k) => `RiskResponse.${k}`).join(', '));
    }
    if ((response === RiskResponse.MFA_REQUIRED || response === RiskResponse.MFA_IF_CONFIGURED) && !mfaOn) {
      validator.fail(`threatProtection.${name}.response`, `RiskResponse.${response}`, 'ALLOW or BLOCK where MFA is off');
    }
    const notify = given?.notify ?? (canNotify && response !== RiskResponse.ALLOW);
    if (notify && !canNotify) {
      validator.fail(`threatProtection.${name}.notify`, 'true', 'notifications only with an SES sender (email: EmailSender.ses(...))');
    }
    return { response, notify };
  };
  const compromised = options.compromisedCredentials ?? CompromisedCredentialsResponse.BLOCK;
  if (!Object.values(CompromisedCredentialsResponse).includes(compromised)) {
    validator.fail('threatProtection.compromisedCredentials', JSON.stringify(compromised),
      Object.keys(CompromisedCredentialsResponse).map((k) => `CompromisedCredentialsResponse.${k}`).join(', '));
  }
  const blockedIpRanges = options.riskExceptions?.blockedIpRanges ?? [];
  const skippedIpRanges = options.riskExceptions?.skippedIpRanges ?? [];
  for (const [prop, ranges] of [['blockedIpRanges', blockedIpRanges], ['skippedIpRanges', skippedIpRanges]] as const) {
    // Cognito accepts at most 200 ranges in each list (RiskExceptionConfigurationType).
    if (ranges.length > 200) validator.fail(`threatProtection.riskExceptions.${prop}`, `(${ranges.length} ranges)`, 'at most 200 CIDR ranges');
    ranges.forEach((range, index) => validator.matches(`threatProtection.riskExceptions.${prop}[${index}]`, range, CIDR,
      'an IPv4 or IPv6 CIDR range such as 203.0.113.0/24'));
  }
  return {
    compromisedCredentials: compromised,
    lowRisk: level('lowRisk', options.lowRisk, RiskResponse.ALLOW),
    mediumRisk: level('mediumRisk', options.mediumRisk, mfaOn ? RiskResponse.MFA_REQUIRED : RiskResponse.ALLOW),
    highRisk: level('highRisk', options.highRisk, RiskResponse.BLOCK),
    blockedIpRanges,
    skippedIpRanges,
    enforced: settings.threatProtectionMode === cognito.StandardThreatProtectionMode.FULL_FUNCTION,
  };
}

/**
 * Remembered devices: the prop, else the preset's. `challengeRequiredOnNewDevice` lets a remembered device
 * stand in for the TOTP factor, which Cognito does only where MFA is on ("Working with user devices in your
 * user pool": remembered devices can override MFA only in user pools with MFA active); with MFA off it
 * would promise a challenge that never happens, so a prop asking for it is refused. The preset's own
 * setting is kept when `enableMfa: false` turns MFA off: it then has no effect.
 */
export function resolveDeviceTracking(
  props: MedflowCognitoProps, settings: PresetSettings, validator: PropValidator,
): cognito.DeviceTracking | undefined {
  if (props.deviceTracking?.challengeRequiredOnNewDevice && settings.mfa === cognito.Mfa.OFF) {
    validator.fail('deviceTracking.challengeRequiredOnNewDevice', 'true',
      'false where MFA is off (enableMfa or the preset\'s mfa): a remembered device replaces the second factor only in a pool with MFA on');
  }
  return props.deviceTracking ?? settings.deviceTracking;
}

/** Email one-time codes as a second factor: SES, MFA on and a plan that has it. */
export function resolveEmailMfa(props: MedflowCognitoProps, settings: PresetSettings, email: EmailConfiguration, validator: PropValidator): boolean {
  if (!props.enableEmailMfa) return false;
  if (!email.ses) validator.fail('enableEmailMfa', 'true', 'true only with an SES sender (email: EmailSender.ses(...)); Cognito sends email codes only through SES');
  if (settings.mfa === cognito.Mfa.OFF) validator.fail('enableEmailMfa', 'true', 'true only where MFA is on (enableMfa or the preset\'s mfa)');
  if (settings.featurePlan === cognito.FeaturePlan.LITE) validator.fail('enableEmailMfa', 'true', 'true only on the ESSENTIALS or PLUS plan');
  return true;
}
