/*
 * ===========================================================================================
 * PENDING GAPS: MedflowHealthcareChecks findings that MedflowCognito still has today.
 *
 * Each entry is a library feature under construction. Until it ships, the finding is
 * acknowledged here, on the resource it is about, with a reason that names the feature, so the
 * compliance report shows the gap instead of hiding it.
 *
 * When a feature lands, delete its entry. test/compliance/pending-gaps.test.ts fails while an
 * entry acknowledges a finding that no longer occurs.
 * ===========================================================================================
 */
import { CfnResource, aws_cognito as cognito, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgeRules } from './acknowledgements';
import { MedflowHealthcareChecks } from './medflow-healthcare-checks';
import { PresetSettings } from '../presets';

/** Where a pending gap's finding occurs. */
export type PendingGapTarget = 'userPool' | 'clientSecret';

/** One pending gap: the finding, the resource it is on, the missing feature and why it is acceptable for now. */
export interface PendingGap {
  readonly findingId: string;
  readonly target: PendingGapTarget;
  readonly feature: string;
  reason(settings: PresetSettings): string;
}

const PACK = MedflowHealthcareChecks.PACK_NAME;

export const PENDING_GAPS: readonly PendingGap[] = [
  {
    findingId: `${PACK}-CognitoUserPoolLogDelivery`,
    target: 'userPool',
    feature: 'user pool log delivery',
    reason: () => 'Pending library feature, user pool log delivery: the AWS::Cognito::LogDeliveryConfiguration that exports '
      + 'this pool\'s user activity logs to a KMS-encrypted log group is being added to MedflowCognito; until it ships, '
      + 'the pool\'s sign-in activity is not exported for retention and review.',
  },
];

/** The resources MedflowCognito creates that pending gaps are recorded on. */
export interface PendingGapResources {
  readonly userPool: cognito.IUserPool;
  readonly clientSecret?: secretsmanager.ISecret;
}

/** Acknowledges every pending gap on the CloudFormation resource it is about. */
export function acknowledgePendingGaps(resources: PendingGapResources, settings: PresetSettings): void {
  for (const gap of PENDING_GAPS) {
    const target = resourceOf(gap.target === 'userPool' ? resources.userPool : resources.clientSecret);
    if (target) acknowledgeRules(target, { id: gap.findingId, reason: gap.reason(settings) });
  }
}

function resourceOf(construct: IConstruct | undefined): CfnResource | undefined {
  const child = construct?.node.defaultChild;
  return child && CfnResource.isCfnResource(child) ? child : undefined;
}
