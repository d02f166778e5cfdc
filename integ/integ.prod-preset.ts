/*
 * Deploys the prod preset and checks, against the live APIs, what the unit tests only assume:
 * MFA is required with TOTP, passkeys are a first factor beside passwords and count as MFA with
 * user verification, the password policy holds, the client cannot write identity attributes, the
 * client secret landed in Secrets Manager with rotation on, the backend configuration is in SSM,
 * the identity pool maps roles by the custom:user_role claim and denies ambiguous users, the
 * hosted UI domain is active, the lockout table has TTL and point-in-time recovery, the user pool
 * delivers notification errors and auth events, and the daily user export is scheduled.
 */
import * as path from 'node:path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EmailSender, EnvironmentPreset, MedflowCognito } from '../src';

const app = new App({ stackTraces: false });
const stack = new Stack(app, 'MedflowCognitoProdInteg');

// The prod preset, made removable so the test leaves nothing behind.
const preset = EnvironmentPreset.prod().withOverrides({
  deletionProtection: false,
  removalPolicy: RemovalPolicy.DESTROY,
});
const auth = new MedflowCognito(stack, 'Auth', {
  preset,
  projectName: 'medflowinteg',
  email: EmailSender.ses({ fromAddress: 'no-reply@medflowinteg.example', fromName: 'MedFlow integ' }),
  // The committed lock file of this test: a change that would replace the pool fails the snapshot check.
  replacementGuard: { lockFile: path.join(__dirname, 'cognito.lock.json') },
});

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

// The sign-in policy allows passwords and passkeys as first factors; one call per factor so the
// check does not depend on the order Cognito returns them in.
for (const factor of ['PASSWORD', 'WEB_AUTHN']) {
  integ.assertions
    .awsApiCall('CognitoIdentityServiceProvider', 'describeUserPool', { UserPoolId: auth.userPoolId })
    .expect(ExpectedResult.objectLike({
      UserPool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: Match.arrayWith([factor]) } } },
    }));
}

// Passkeys require user verification, and a verified passkey satisfies the required MFA.
integ.assertions
  .awsApiCall('CognitoIdentityServiceProvider', 'getUserPoolMfaConfig', { UserPoolId: auth.userPoolId })
  .expect(ExpectedResult.objectLike({
    WebAuthnConfiguration: {
      UserVerification: 'required',
      FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION',
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
  .expect(ExpectedResult.objectLike({
    Name: 'prod-medflowinteg-cognito-app-client-secret',
    RotationEnabled: true,
    RotationRules: { AutomaticallyAfterDays: 30 },
  }));

integ.assertions
  .awsApiCall('SSM', 'getParameter', { Name: auth.backendConfig.userPoolIdParameterName })
  .expect(ExpectedResult.objectLike({ Parameter: { Type: 'String', Value: auth.userPoolId } }));

// GetIdentityPoolRoles keys each mapping by "<provider name>:<client ID>", and assertAtPath
// reads the flattened response, so each checked field is one path under that key.
const roleMapping = `RoleMappings.${auth.userPool.userPoolProviderName}:${auth.appClientId}`;
const roleMappingChecks: [string, string][] = [
  ['Type', 'Rules'],
  ['AmbiguousRoleResolution', 'Deny'],
  ['RulesConfiguration.Rules.0.Claim', 'custom:user_role'],
  ['RulesConfiguration.Rules.0.MatchType', 'Equals'],
  ['RulesConfiguration.Rules.0.Value', 'clinic_admin'],
];
for (const [field, expected] of roleMappingChecks) {
  integ.assertions
    .awsApiCall('CognitoIdentity', 'getIdentityPoolRoles', { IdentityPoolId: auth.identityPoolId! })
    .assertAtPath(`${roleMapping}.${field}`, ExpectedResult.stringLikeRegexp(`^${expected}$`));
}

integ.assertions
  .awsApiCall('CognitoIdentityServiceProvider', 'describeUserPoolDomain', { Domain: auth.userPoolDomain! })
  .expect(ExpectedResult.objectLike({ DomainDescription: { Status: 'ACTIVE', ManagedLoginVersion: 2 } }));

// The lockout table: TTL on the lock record and point-in-time recovery.
integ.assertions
  .awsApiCall('DynamoDB', 'describeTimeToLive', { TableName: auth.securityTriggers.lockoutTableName })
  .expect(ExpectedResult.objectLike({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' } }));

integ.assertions
  .awsApiCall('DynamoDB', 'describeContinuousBackups', { TableName: auth.securityTriggers.lockoutTableName })
  .expect(ExpectedResult.objectLike({
    ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } },
  }));

const logDelivery = integ.assertions.awsApiCall('CognitoIdentityServiceProvider', 'getLogDeliveryConfiguration', { UserPoolId: auth.userPoolId });
for (const [index, source] of ['userNotification', 'userAuthEvents'].entries()) {
  logDelivery.assertAtPath(`LogDeliveryConfiguration.LogConfigurations.${index}.EventSource`, ExpectedResult.stringLikeRegexp(`^${source}$`));
}

integ.assertions
  .awsApiCall('Scheduler', 'getSchedule', { Name: 'prod-medflowinteg-cognito-user-export' })
  .expect(ExpectedResult.objectLike({ State: 'ENABLED', ScheduleExpression: 'cron(0 3 * * ? *)', ScheduleExpressionTimezone: 'UTC' }));
