import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { ComplianceReport, MedflowHealthcareChecks } from '../../src';
import { PRESET_NAMES, synthesize } from '../helpers';

const allPacks = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new MedflowHealthcareChecks()];

describe('acknowledgements of the presets', () => {
  test.each(PRESET_NAMES)('%s: no acknowledgement of any pack matches nothing', (preset) => {
    const { stack } = synthesize(preset);
    const unused = ComplianceReport.check(stack, { packs: allPacks() }).stacks[0].packs
      .flatMap((p) => p.unusedAcknowledgements.map((a) => `${a.ruleId} on ${a.constructPath}`));
    expect(unused).toEqual([]);
  });
});
