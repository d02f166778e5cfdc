import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { ComplianceReport, MedflowHealthcareChecks } from '../../src';
import { PENDING_GAPS } from '../../src/compliance/pending-gaps';
import { PRESET_NAMES, synthesize } from '../helpers';

const allPacks = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new MedflowHealthcareChecks()];

describe('pending gaps (src/compliance/pending-gaps.ts)', () => {
  test.each(PRESET_NAMES)('%s: every pending gap still acknowledges a finding that occurs', (preset) => {
    const { stack, auth } = synthesize(preset);
    const healthcare = ComplianceReport.check(stack, { packs: [new MedflowHealthcareChecks()] }).stacks[0].packs[0];
    const used = new Set(healthcare.acknowledged.map((a) => a.findingId));
    const closed = PENDING_GAPS
      .filter((gap) => gap.target === 'userPool' || auth.clientSecret !== undefined)
      .filter((gap) => !used.has(gap.findingId))
      .map((gap) => `${gap.findingId}: the ${gap.feature} gap is closed; delete its entry from PENDING_GAPS`);
    expect(closed).toEqual([]);
  });

  test.each(PRESET_NAMES)('%s: no acknowledgement of any pack matches nothing', (preset) => {
    const { stack } = synthesize(preset);
    const unused = ComplianceReport.check(stack, { packs: allPacks() }).stacks[0].packs
      .flatMap((p) => p.unusedAcknowledgements.map((a) => `${a.ruleId} on ${a.constructPath}`));
    expect(unused).toEqual([]);
  });
});
