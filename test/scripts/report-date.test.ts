import { REPORT_INPUTS, reportCommit, reportDate } from '../../scripts/report-date';

/** A fake git answering `status` and `log` for the report's inputs. */
function fakeGit(answers: { status?: string; log?: string }) {
  const calls: string[][] = [];
  const git = (...args: string[]) => {
    calls.push(args);
    expect(args.slice(-REPORT_INPUTS.length)).toEqual(REPORT_INPUTS);
    return args[0] === 'status' ? answers.status : answers.log;
  };
  return { git, calls };
}

describe('the committed report\'s date and commit', () => {
  test('a clean tree takes the UTC date of the last commit that changed the report\'s inputs', () => {
    // 2026-12-02T23:30:00Z: the UTC date, whatever the committer's time zone.
    const { git } = fakeGit({ status: '', log: String(Date.UTC(2026, 11, 2, 23, 30) / 1000) });
    expect(reportDate({}, git)).toBe('2026-12-02');
  });

  test('uncommitted changes to the inputs give no date, so the report takes today, the date of the commit about to be made', () => {
    const { git, calls } = fakeGit({ status: ' M src/medflow-cognito.ts', log: '1796200000' });
    expect(reportDate({}, git)).toBeUndefined();
    expect(calls.map((c) => c[0])).toEqual(['status']);
  });

  test('without git there is no date', () => {
    expect(reportDate({}, () => undefined)).toBeUndefined();
  });

  test('COMPLIANCE_REPORT_DATE and COMPLIANCE_REPORT_COMMIT win; without a commit variable there is no commit', () => {
    const { git, calls } = fakeGit({ status: '', log: '1796200000' });
    expect(reportDate({ COMPLIANCE_REPORT_DATE: '2027-01-15' }, git)).toBe('2027-01-15');
    expect(calls).toEqual([]);
    expect(reportCommit({ COMPLIANCE_REPORT_COMMIT: 'abc1234' })).toBe('abc1234');
    expect(reportCommit({})).toBeUndefined();
  });
});
