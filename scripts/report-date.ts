/*
 * The date and commit of the committed compliance report, chosen so that regenerating the report
 * from the same sources gives the same file (CI runs `git diff --exit-code -- compliance/`).
 */

/** The paths whose changes change the report. */
export const REPORT_INPUTS = ['src', 'examples', 'scripts', 'package.json'];

/** Runs git with `args` and returns its trimmed output, or undefined when git fails. */
export type Git = (...args: string[]) => string | undefined;

/**
 * COMPLIANCE_REPORT_DATE when set; otherwise the UTC date of the last commit that changed the
 * report's inputs; undefined (the report then uses today) when those inputs have uncommitted
 * changes, since the report then describes the commit about to be made, or when git is unavailable.
 */
export function reportDate(env: NodeJS.ProcessEnv, git: Git): string | undefined {
  const given = env.COMPLIANCE_REPORT_DATE;
  if (given) return given;
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', ...REPORT_INPUTS);
  if (dirty === undefined || dirty !== '') return undefined;
  const seconds = git('log', '-1', '--format=%ct', '--', ...REPORT_INPUTS);
  return seconds ? new Date(Number(seconds) * 1000).toISOString().slice(0, 10) : undefined;
}

/** COMPLIANCE_REPORT_COMMIT when set (a release pipeline stamping its evidence); otherwise none. */
export function reportCommit(env: NodeJS.ProcessEnv): string | undefined {
  return env.COMPLIANCE_REPORT_COMMIT || undefined;
}
