/*
 * Deliberate choices of the non-production presets that MedflowHealthcareChecks reports. Each is
 * acknowledged only when the setting in force is weaker than the rule asks, with the value in the
 * reason, on the CloudFormation resource it is about. Production is never acknowledged here.
 */
import { CfnResource, Duration, aws_cognito as cognito } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RuleAcknowledgement, acknowledgeRules } from './acknowledgements';
import { MedflowHealthcareChecks } from './medflow-healthcare-checks';
import { PresetSettings } from '../presets';

const PACK = MedflowHealthcareChecks.PACK_NAME;
const STRONG_PASSWORD_LENGTH = 12;
const TOKEN_LIMIT = Duration.hours(1);

/** The resources the choices are recorded on. */
export interface PresetChoiceResources {
  readonly userPool: cognito.IUserPool;
  readonly appClient: cognito.IUserPoolClient;
}

/** Acknowledges the healthcare findings a non-production preset causes by design. */
export function acknowledgeHealthcarePresetChoices(resources: PresetChoiceResources, settings: PresetSettings, isProduction: boolean): void {
  if (isProduction) return;
  const env = settings.environmentName;
  const pool: RuleAcknowledgement[] = [];
  if (settings.passwordMinimumLength < STRONG_PASSWORD_LENGTH) {
    pool.push({
      id: `${PACK}-CognitoPasswordPolicy[MinimumLength]`,
      reason: `The ${env} environment holds only synthetic test users and no patient data, so its passwords may be `
        + `${settings.passwordMinimumLength} characters long for test accounts; the prod preset requires at least `
        + `${STRONG_PASSWORD_LENGTH} characters with every character class.`,
    });
  }
  if (settings.featurePlan !== cognito.FeaturePlan.PLUS) {
    pool.push({
      id: `${PACK}-CognitoThreatProtectionEnforced`,
      reason: `The ${env} environment holds only synthetic test users, so it runs on the ${settings.featurePlan} feature plan, `
        + 'which has no threat protection, to save cost; the prod preset enforces threat protection on the Plus plan.',
    });
  } else if (settings.threatProtectionMode !== cognito.StandardThreatProtectionMode.FULL_FUNCTION) {
    pool.push({
      id: `${PACK}-CognitoThreatProtectionEnforced`,
      reason: `The ${env} environment runs threat protection in audit-only mode so that automated test sign-ins from shared CI `
        + 'addresses are recorded rather than blocked; the prod preset enforces it.',
    });
  }
  if (!settings.deletionProtection) {
    pool.push({
      id: `${PACK}-CognitoDeletionProtection`,
      reason: `The ${env} environment is disposable and holds only synthetic test users, so its user pool has no deletion `
        + 'protection and is removed with the stack; the prod preset turns deletion protection on and retains the pool.',
    });
  }
  const client: RuleAcknowledgement[] = [];
  for (const [finding, kind, validity] of [['AccessToken', 'access', settings.accessTokenValidity], ['IdToken', 'ID', settings.idTokenValidity]] as const) {
    if (validity.toSeconds() > TOKEN_LIMIT.toSeconds()) {
      client.push({
        id: `${PACK}-CognitoClientTokenValidity[${finding}]`,
        reason: `The ${env} environment holds only synthetic test users, so its ${kind} tokens last ${validity.toHumanString()} `
          + 'to spare developers repeated sign-ins; the prod preset limits them to 1 hour.',
      });
    }
  }
  acknowledgeOn(resources.userPool, pool);
  acknowledgeOn(resources.appClient, client);
}

function acknowledgeOn(construct: IConstruct, acknowledgements: RuleAcknowledgement[]): void {
  const resource = construct.node.defaultChild;
  if (acknowledgements.length > 0 && resource && CfnResource.isCfnResource(resource)) acknowledgeRules(resource, ...acknowledgements);
}
