import { App, Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { Acknowledgements } from '../../src';

/** The reason the fixture pool's COG2 finding is acknowledged with. */
export const FIXTURE_REASON = 'The fixture pool holds no users and exists only to exercise the report in this test.';

/** A pool that passes AwsSolutions-COG1, fails COG2 (acknowledged) and COG8 (not acknowledged). */
export function reportFixtureApp(): { app: App; pool: cognito.UserPool } {
  const app = new App();
  const stack = new Stack(app, 'Report', { env: { region: 'eu-west-1' } });
  const pool = new cognito.UserPool(stack, 'Pool', {
    mfa: cognito.Mfa.OFF,
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    passwordPolicy: { minLength: 12, requireSymbols: true, requireDigits: true, requireLowercase: true, requireUppercase: true },
  });
  Acknowledgements.add(pool, { id: 'AwsSolutions-COG2', reason: FIXTURE_REASON });
  return { app, pool };
}
