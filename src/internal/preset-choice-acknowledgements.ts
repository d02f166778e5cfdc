/*
 * The acknowledgements of the findings an environment causes by its own configuration. Each reason
 * is chosen from the resolved configuration (production or not, a risk accepted or not, the data
 * the environment holds), never from the environment's name, and says only what is true of it.
 * A weaker setting that no true reason covers is not acknowledged: its finding stays for the
 * deploying team to fix or to acknowledge with its own reason.
 */
import { Duration, aws_cognito as cognito } from 'aws-cdk-lib';
import { RuleAcknowledgement } from './acknowledgements';
import { MEDFLOW_HEALTHCARE_PACK } from './compliance-packs';
import { DataClassification, PresetSettings } from '../config/environment-preset';
import { EmailConfiguration, EnvironmentProfile } from '../config/resolved-configuration';

const STRONG_PASSWORD_LENGTH = 12;
const TOKEN_LIMIT = Duration.hours(1);

/** Where each acknowledgement is recorded. */
export interface PresetChoiceAcknowledgements {
  /** On the user pool construct and everything below it. */
  readonly userPool: RuleAcknowledgement[];
  /** On the user pool's CloudFormation resource. */
  readonly userPoolResource: RuleAcknowledgement[];
  /** On the backend app client's CloudFormation resource. */
  readonly appClientResource: RuleAcknowledgement[];
}

export function presetChoiceAcknowledgements(
  environment: EnvironmentProfile, settings: PresetSettings, email: EmailConfiguration,
): PresetChoiceAcknowledgements {
  const env = environment.name;
  const synthetic = environment.dataClassification === DataClassification.SYNTHETIC && !environment.production;
  const holdsNoPatients = `The ${env} environment holds only synthetic test users and no patient data (DataClassification ${DataClassification.SYNTHETIC})`;
  const userPool: RuleAcknowledgement[] = [];
  const userPoolResource: RuleAcknowledgement[] = [];
  const appClientResource: RuleAcknowledgement[] = [];

  if (environment.productionWithoutMfaAccepted) {
    const reason = `MFA is not required in the production environment ${env} because the deploying organisation set `
      + 'allowProductionWithoutMfa: true, accepting this risk in its own documented risk acceptance; passwords of at least '
      + `${settings.passwordMinimumLength} characters and the lockout after ${settings.lockoutMaxAttempts} failed attempts still apply.`;
    userPool.push({ id: 'AwsSolutions-COG2', reason });
    userPoolResource.push({ id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoProductionMfa`, reason });
  } else if (!environment.production && settings.mfa === cognito.Mfa.OPTIONAL) {
    userPool.push({
      id: 'AwsSolutions-COG2',
      reason: `The ${env} environment is not production and offers TOTP MFA as optional so that test accounts can sign in without a device; production presets require MFA for every user.`,
    });
  } else if (synthetic && settings.mfa === cognito.Mfa.OFF) {
    userPool.push({
      id: 'AwsSolutions-COG2',
      reason: `${holdsNoPatients}, so MFA is off to keep automated tests simple; production presets require MFA.`,
    });
  }

  // The SES rule applies only to production, so an acceptance elsewhere (staging) has nothing to acknowledge.
  if (environment.production && email.defaultSenderAccepted) {
    userPoolResource.push({
      id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoProductionEmailThroughSes`,
      reason: `Email in the production environment ${env} goes through Cognito's own sender because the deploying organisation set `
        + 'allowCognitoDefaultEmail: true, accepting in its own documented risk acceptance the limit of 50 emails a day per account, '
        + 'beyond which verification and password-recovery messages stop, and a sender address that is not the clinic\'s.',
    });
  }

  if (environment.productionPasswordAuthAccepted) {
    appClientResource.push({
      id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoClientNoUserPasswordAuthInProduction`,
      reason: `The backend client of the production environment ${env} allows USER_PASSWORD_AUTH because the deploying organisation set `
        + 'allowPasswordAuthInProduction: true, accepting in its own documented risk acceptance that the password itself reaches Cognito over TLS.',
    });
  }

  if (synthetic && settings.featurePlan !== cognito.FeaturePlan.PLUS) {
    userPool.push({
      id: 'AwsSolutions-COG8',
      reason: `${holdsNoPatients}, so it runs on the ${settings.featurePlan} plan to save cost; the staging and prod presets run threat protection on the Plus plan.`,
    });
    userPoolResource.push({
      id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoThreatProtectionEnforced`,
      reason: `${holdsNoPatients}, so it runs on the ${settings.featurePlan} feature plan, which has no threat protection, to save cost; the prod preset enforces threat protection on the Plus plan.`,
    });
  } else if (!environment.production && settings.featurePlan === cognito.FeaturePlan.PLUS
    && settings.threatProtectionMode !== cognito.StandardThreatProtectionMode.FULL_FUNCTION) {
    userPoolResource.push({
      id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoThreatProtectionEnforced`,
      reason: `The ${env} environment is not production and runs threat protection in audit-only mode so that automated test sign-ins from shared CI `
        + 'addresses are recorded rather than blocked; the prod preset enforces it.',
    });
  }

  if (synthetic) {
    if (settings.passwordMinimumLength < STRONG_PASSWORD_LENGTH) {
      userPoolResource.unshift({
        id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoPasswordPolicy[MinimumLength]`,
        reason: `${holdsNoPatients}, so its passwords may be ${settings.passwordMinimumLength} characters long for test accounts; `
          + `the prod preset requires at least ${STRONG_PASSWORD_LENGTH} characters with every character class.`,
      });
    }
    if (!settings.deletionProtection) {
      userPoolResource.push({
        id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoDeletionProtection`,
        reason: `${holdsNoPatients} and is disposable, so its user pool has no deletion protection and is removed with the stack; `
          + 'the prod preset turns deletion protection on and retains the pool.',
      });
    }
    for (const [finding, kind, validity] of [['AccessToken', 'access', settings.accessTokenValidity], ['IdToken', 'ID', settings.idTokenValidity]] as const) {
      if (validity.toSeconds() > TOKEN_LIMIT.toSeconds()) {
        appClientResource.push({
          id: `${MEDFLOW_HEALTHCARE_PACK}-CognitoClientTokenValidity[${finding}]`,
          reason: `${holdsNoPatients}, so its ${kind} tokens last ${validity.toHumanString()} to spare developers repeated sign-ins; the prod preset limits them to 1 hour.`,
        });
      }
    }
  }
  return { userPool, userPoolResource, appClientResource };
}
