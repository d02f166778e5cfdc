/*
 * Unit tests synthesize the same construct paths with many different settings, so the replacement
 * guard, which compares every synthesis with a lock file in the working directory, is off for them
 * through its app-wide context key. test/rollout/replacement-guard.test.ts turns it on with the
 * `mode` prop and a lock file in a temporary directory.
 */
const inherited = JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}');
process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...inherited, '@medflow/cognito-construct:replacementGuard': 'OFF' });
