/*
 * Deploys the prod preset and checks, against the live APIs, what the unit tests only assume:
 * MFA is required with TOTP, the password policy holds, the client cannot write identity
 * attributes, the client secret landed in Secrets Manager, and the lockout table has TTL and PITR.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EnvironmentPreset, MedflowCognito } from '../src';

const app = new App({ stackTraces: false });
const stack = new Stack(app, 'MedflowCognitoProdInteg');

// The prod preset, made removable so the test leaves nothing behind.
const preset = EnvironmentPreset.custom({
  ...EnvironmentPreset.prod().settings,
  deletionProtection: false,
  removalPolicy: RemovalPolicy.DESTROY,
});
const auth = new MedflowCognito(stack, 'Auth', { preset, projectName: 'medflowinteg' });

const integ = new IntegTest(app, 'MedflowCognitoProdPreset', {
  testCases: [stack],
  diffAssets: false,
  stackUpdateWorkflow: false,
});

integ.assertions
  .awsApiCall('CognitoIdentityServiceProvider', 'getUserPoolMfaConfig', { UserPoolId: auth.userPoolId })
  .expect(ExpectedResult.objectLike({
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  }));

integ.assertions
  .awsApiCall('CognitoIdentityServiceProvider', 'describeUserPool', { UserPoolId: auth.userPoolId })
  .expect(ExpectedResult.objectLike({
    UserPool: {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          PasswordHistorySize: 10,
        },
      },
    },
  }));

integ.assertions
  .awsApiCall('CognitoIdentityServiceProvider', 'describeUserPoolClient', {
    UserPoolId: auth.userPoolId,
    ClientId: auth.appClientId,
  })
  .expect(ExpectedResult.objectLike({
    UserPoolClient: {
      PreventUserExistenceErrors: 'ENABLED',
      // Exactly these: never custom:user_role, clinic_id, medical_license, npi_number or license_state.
      WriteAttributes: [
        'custom:preferred_language',
        'custom:specialties',
        'family_name',
        'given_name',
        'locale',
        'phone_number',
      ],
    },
  }));

integ.assertions
  .awsApiCall('SecretsManager', 'describeSecret', { SecretId: auth.appClientSecretArn! })
  .expect(ExpectedResult.objectLike({ Name: 'prod-medflowinteg-cognito-app-client-secret' }));

// The lockout table: TTL on the lock record and point-in-time recovery.
integ.assertions
  .awsApiCall('DynamoDB', 'describeTimeToLive', { TableName: auth.securityTriggers.lockoutTableName })
  .expect(ExpectedResult.objectLike({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' } }));

integ.assertions
  .awsApiCall('DynamoDB', 'describeContinuousBackups', { TableName: auth.securityTriggers.lockoutTableName })
  .expect(ExpectedResult.objectLike({
    ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } },
  }));
