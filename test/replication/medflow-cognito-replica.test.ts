import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { EnvironmentPreset, MedflowCognito, MedflowCognitoProps, MedflowCognitoReplica, MedflowCognitoReplicaProps, ReplicaRolloutPhase } from '../../src';
import { PresetName, presetProps, synthesize } from '../helpers';

const PRIMARY_REGION = 'eu-west-1';
const REPLICA_REGION = 'eu-central-1';
/** What a prod primary needs besides its preset to allow a replica: the global lockout table (passkeys, on in prod, are the secondary's factor). */
const REPLICABLE: Partial<MedflowCognitoProps> = { securityTriggers: { globalLockoutTable: true } };

interface Pair {
  readonly app: App;
  readonly primaryStack: Stack;
  readonly replicaStack: Stack;
  readonly auth: MedflowCognito;
}

function primaryPair(preset: PresetName = 'prod', overrides: Partial<MedflowCognitoProps> = REPLICABLE,
  replicaStackProps: { region?: string; crossRegionReferences?: boolean } = {}): Pair {
  const app = new App();
  const primaryStack = new Stack(app, 'Primary', { env: { region: PRIMARY_REGION }, crossRegionReferences: true });
  const auth = new MedflowCognito(primaryStack, 'Auth', presetProps(preset, overrides));
  const replicaStack = new Stack(app, 'Replica', {
    env: { region: replicaStackProps.region ?? REPLICA_REGION },
    crossRegionReferences: replicaStackProps.crossRegionReferences ?? true,
  });
  return { app, primaryStack, replicaStack, auth };
}

function replicated(props: Partial<MedflowCognitoReplicaProps> = {}, preset: PresetName = 'prod', overrides: Partial<MedflowCognitoProps> = REPLICABLE) {
  const pair = primaryPair(preset, overrides);
  const replica = new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth, ...props });
  return { ...pair, replica, primary: Template.fromStack(pair.primaryStack), secondary: Template.fromStack(pair.replicaStack) };
}

describe('MedflowCognitoReplica: both templates', () => {
  const built = replicated();

  test('the primary stack holds the replica of its pool, in the replica Region, tagged like the pool', () => {
    built.primary.resourceCountIs('AWS::Cognito::UserPoolReplica', 1);
    built.primary.hasResourceProperties('AWS::Cognito::UserPoolReplica', {
      RegionName: REPLICA_REGION,
      UserPoolId: { Ref: Match.stringLikeRegexp('^AuthUserPool') },
      UserPoolTagsAtCreate: { Environment: 'prod', DataClassification: 'PHI', Compliance: 'HIPAA', Project: 'medflow' },
    });
    built.secondary.resourceCountIs('AWS::Cognito::UserPoolReplica', 0);
  });

  test('the replica stack holds the regional configuration, naming functions of the replica stack with the V2_0 token event', () => {
    built.secondary.resourceCountIs('AWS::Cognito::UserPoolRegionalConfigurationAttachment', 1);
    const [attachment] = Object.values(built.secondary.findResources('AWS::Cognito::UserPoolRegionalConfigurationAttachment'));
    const lambdaConfig = attachment.Properties.LambdaConfig;
    const functions = Object.keys(built.secondary.findResources('AWS::Lambda::Function'));
    const referenced = [lambdaConfig.PreAuthentication, lambdaConfig.PostAuthentication, lambdaConfig.PreSignUp, lambdaConfig.CustomMessage,
      lambdaConfig.PreTokenGenerationConfig.LambdaArn].map((arn: { 'Fn::GetAtt': [string, string] }) => arn['Fn::GetAtt'][0]);
    expect(referenced).toHaveLength(5);
    for (const logicalId of referenced) expect(functions).toContain(logicalId);
    expect(lambdaConfig.PreTokenGenerationConfig.LambdaVersion).toBe('V2_0');
    expect(attachment.Properties.UserPoolId).toEqual({ 'Fn::GetAtt': ['ExportsReader8B249524', expect.stringContaining('RefAuthUserPool')] });
  });

  test('the replica Region sends email through SES from an identity in that Region', () => {
    built.secondary.hasResourceProperties('AWS::Cognito::UserPoolRegionalConfigurationAttachment', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'MedFlow <no-reply@clinic.example>',
        SourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`:ses:${REPLICA_REGION}:`)])] },
      },
    });
  });

  test('each replica function may be invoked by Cognito for this pool in the replica Region only', () => {
    const permissions = Object.values(built.secondary.findResources('AWS::Lambda::Permission'))
      .filter((p) => p.Properties.Principal === 'cognito-idp.amazonaws.com');
    expect(permissions).toHaveLength(5);
    for (const permission of permissions) {
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(`:cognito-idp:${REPLICA_REGION}:`);
    }
  });

  test('the lockout table is a global table with a replica in the replica Region, under a key of that Region', () => {
    built.primary.resourceCountIs('AWS::DynamoDB::Table', 0);
    built.primary.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'prod-medflow-cognito-account-lockout-global',
      Replicas: [
        Match.objectLike({
          Region: REPLICA_REGION,
          DeletionProtectionEnabled: true,
          SSESpecification: { KMSMasterKeyId: { 'Fn::Join': ['', Match.arrayWith([`:kms:${REPLICA_REGION}:`, ':alias/prod-medflow-cognito'])] } },
        }),
        Match.objectLike({ Region: PRIMARY_REGION }),
      ],
    });
    // The replica Region's key carries that alias.
    built.secondary.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/prod-medflow-cognito' });
  });

  test('the replica functions use the table of their own Region', () => {
    const statements = Object.values(built.secondary.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(statements.length).toBeGreaterThanOrEqual(2);
    for (const statement of statements) {
      expect(JSON.stringify(statement.Resource)).toContain(`:dynamodb:${REPLICA_REGION}:`);
      expect(JSON.stringify(statement.Resource)).toContain('table/prod-medflow-cognito-account-lockout-global');
    }
  });

  test('the client secret replicates to the replica Region, encrypted with a key of that Region', () => {
    built.primary.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'prod-medflow-cognito-app-client-secret',
      ReplicaRegions: [{ Region: REPLICA_REGION, KmsKeyId: { 'Fn::Join': ['', Match.arrayWith([`:kms:${REPLICA_REGION}:`])] } }],
    });
  });

  test('the backend parameters exist in the replica Region under the same names, with that Region and its issuer', () => {
    for (const name of ['user-pool-id', 'client-id', 'region', 'authority', 'identity-pool-id', 'client-secret-arn']) {
      built.secondary.hasResourceProperties('AWS::SSM::Parameter', { Name: `/prod/medflow/cognito/${name}` });
    }
    built.secondary.hasResourceProperties('AWS::SSM::Parameter', { Name: '/prod/medflow/cognito/region', Value: REPLICA_REGION });
    built.secondary.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/prod/medflow/cognito/authority',
      Value: { 'Fn::Join': ['', Match.arrayWith([`https://cognito-idp.${REPLICA_REGION}.`])] },
    });
  });

  test('the replica Region has an identity pool with the clinic principal tag and Region-suffixed role names', () => {
    built.secondary.resourceCountIs('AWS::Cognito::IdentityPool', 1);
    built.secondary.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', { PrincipalTags: { clinic_id: 'custom:clinic_id' } });
    built.secondary.hasResourceProperties('AWS::IAM::Role', { RoleName: `prod-medflow-cognito-authenticated-role-${REPLICA_REGION}` });
  });

  test('the user data key is replicated into the replica Region, usable by Cognito pools of that Region only', () => {
    built.secondary.hasResourceProperties('AWS::KMS::ReplicaKey', {
      PrimaryKeyArn: { 'Fn::GetAtt': ['ExportsReader8B249524', Match.stringLikeRegexp('AuthUserDataKey')] },
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cognito-idp.amazonaws.com' },
          Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([`:cognito-idp:${REPLICA_REGION}:`])] } } }),
        })]),
      },
    });
  });

  test('the replica stack outputs its pool, endpoint, identity pool and secret replica, never a secret value', () => {
    const outputs = built.secondary.toJSON().Outputs as Record<string, { Description: string; Value: unknown }>;
    const names = Object.values(outputs).map((o) => o.Description.split(':')[0]).sort();
    expect(names).toEqual(expect.arrayContaining(['app_client_secret', 'identity_pool_id', 'user_pool_arn', 'user_pool_endpoint', 'user_pool_id']));
    const secretOutput = Object.values(outputs).find((o) => o.Description.startsWith('app_client_secret'))!;
    expect(JSON.stringify(secretOutput.Value)).toContain(REPLICA_REGION);
    expect(JSON.stringify(secretOutput.Value)).not.toMatch(/SecretString|resolve:secretsmanager/);
  });

  test('the primary stack checks the replica\'s status every five minutes, the replica stack does not', () => {
    built.primary.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthReplicaStatuseucentral1Function'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    built.primary.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: { USER_POOL_ID: { Ref: Match.stringLikeRegexp('^AuthUserPool') }, REPLICA_REGION: REPLICA_REGION } },
    });
    expect(JSON.stringify(built.secondary.findResources('AWS::Events::Rule'))).not.toContain('rate(5 minutes)');
  });

  test('the status check may only list this pool\'s replicas and write its own encrypted log group', () => {
    const [policy] = Object.entries(built.primary.findResources('AWS::IAM::ManagedPolicy'))
      .filter(([id]) => id.startsWith('AuthReplicaStatuseucentral1Policy')).map(([, resource]) => resource);
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statements[1]).toEqual({
      Action: 'cognito-idp:ListUserPoolReplicas',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AuthUserPool/), 'Arn'] },
    });
    const [logGroup] = Object.entries(built.primary.findResources('AWS::Logs::LogGroup'))
      .filter(([id]) => id.startsWith('AuthReplicaStatuseucentral1Logs')).map(([, resource]) => resource);
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AuthEncryptionKey/), 'Arn'] });
  });

  test('the ReplicaStatus alarm breaches on an unhealthy or silent check and notifies the primary\'s alarm topic', () => {
    const alarm = built.replica.replicaStatusAlarm;
    expect(alarm).toBeDefined();
    expect(built.auth.monitoring.alarms).toContain(alarm);
    built.primary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `prod-medflow-cognito-replica-status-${REPLICA_REGION}`,
      Namespace: 'MedFlow/Cognito',
      MetricName: 'ReplicaHealthy',
      Dimensions: Match.arrayWith([{ Name: 'ReplicaRegion', Value: REPLICA_REGION }]),
      Statistic: 'Minimum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
    const [description] = Object.values(built.primary.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ReplicaHealthy' } }))
      .map((resource) => JSON.stringify(resource.Properties.AlarmDescription));
    expect(description).toMatch(/aws cognito-idp list-user-pool-replicas --user-pool-id /);
    expect(description).toMatch(/disaster-recovery\.md#replica-status-alarm"\]\]\}$/);
  });

  test('the cdk-nag packs report nothing unacknowledged on the replica stack', () => {
    const findings = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()]
      .flatMap((pack) => pack.validateScope(built.replicaStack).violations
        .map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`));
    expect(findings).toEqual([]);
  });

  test('the cdk-nag packs report nothing unacknowledged on the primary stack with its replica', () => {
    const findings = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()]
      .flatMap((pack) => pack.validateScope(built.primaryStack).violations
        .map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`));
    expect(findings).toEqual([]);
  });
});

test('without globalLockoutTable the lockout table stays a regional table, so existing stacks are not changed', () => {
  const { template } = synthesize('prod');
  template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'prod-medflow-cognito-account-lockout' });
});

test('the global table never reuses the regional table\'s logical ID or name, so switching cannot change a resource\'s type', () => {
  const regional = Object.entries(synthesize('prod').template.findResources('AWS::DynamoDB::Table'));
  const global = Object.entries(replicated().primary.findResources('AWS::DynamoDB::GlobalTable'));
  expect(regional).toHaveLength(1);
  expect(global).toHaveLength(1);
  expect(global[0][0]).not.toEqual(regional[0][0]);
  expect(global[0][1].Properties.TableName).not.toEqual(regional[0][1].Properties.TableName);
});

describe('MedflowCognitoReplica: the PREPARE_REGION phase', () => {
  const built = replicated({ phase: ReplicaRolloutPhase.PREPARE_REGION });

  test('creates the replica Region\'s keys and functions, but neither the replica nor the regional configuration nor the table and secret replicas', () => {
    built.secondary.resourceCountIs('AWS::KMS::ReplicaKey', 1);
    built.secondary.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/prod-medflow-cognito' });
    built.secondary.resourceCountIs('AWS::Cognito::UserPoolRegionalConfigurationAttachment', 0);
    built.primary.resourceCountIs('AWS::Cognito::UserPoolReplica', 0);
    built.primary.resourceCountIs('AWS::CloudWatch::Alarm', Object.keys(built.primary.findResources('AWS::CloudWatch::Alarm')).length);
    expect(built.replica.replicaStatusAlarm).toBeUndefined();
    expect(JSON.stringify(built.primary.findResources('AWS::Lambda::Function'))).not.toContain('REPLICA_REGION');
    const [table] = Object.values(built.primary.findResources('AWS::DynamoDB::GlobalTable'));
    expect(table.Properties.Replicas.map((r: { Region: string }) => r.Region)).toEqual([PRIMARY_REGION]);
    built.primary.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'prod-medflow-cognito-app-client-secret', ReplicaRegions: Match.absent() });
  });
});

describe('MedflowCognitoReplica: keys from a stack of the replica Region deployed before the primary', () => {
  // The layout of one deployment that brings everything up: the multi-Region user data key, then the
  // replica Region's keys, then the primary, then the replica.
  const app = new App();
  const keyStack = new Stack(app, 'UserDataKey', { env: { region: PRIMARY_REGION }, crossRegionReferences: true });
  const userDataKey = new kms.Key(keyStack, 'Key', { multiRegion: true });
  const regionKeys = new Stack(app, 'RegionKeys', { env: { region: REPLICA_REGION }, crossRegionReferences: true });
  const encryptionKey = new kms.Key(regionKeys, 'LibraryKey');
  const userDataKeyReplica = new kms.Key(regionKeys, 'UserDataKeyReplica');
  const primaryStack = new Stack(app, 'Primary', { env: { region: PRIMARY_REGION }, crossRegionReferences: true });
  const auth = new MedflowCognito(primaryStack, 'Auth', presetProps('prod', { ...REPLICABLE, userDataKey }));
  const replicaStack = new Stack(app, 'Replica', { env: { region: REPLICA_REGION }, crossRegionReferences: true });
  const replica = new MedflowCognitoReplica(replicaStack, 'AuthReplica', { primary: auth, encryptionKey, userDataKeyReplica });
  const primary = Template.fromStack(primaryStack);
  const secondary = Template.fromStack(replicaStack);

  test('the replica stack uses the given keys and creates neither a library key nor a user data key replica', () => {
    expect(replica.encryptionKey).toBe(encryptionKey);
    expect(replica.userDataKeyReplica).toBe(userDataKeyReplica);
    secondary.resourceCountIs('AWS::KMS::ReplicaKey', 0);
    expect(Object.values(secondary.findResources('AWS::KMS::Alias')).map((a) => a.Properties.AliasName)).not.toContain('alias/prod-medflow-cognito');
  });

  test('the primary names the given key by its ARN, read across Regions, so it deploys after the key\'s stack', () => {
    const byKeyStack = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportsReader'), Match.stringLikeRegexp('RegionKeys.*LibraryKey')] };
    primary.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: Match.arrayWith([Match.objectLike({ Region: REPLICA_REGION, SSESpecification: { KMSMasterKeyId: byKeyStack } })]),
    });
    primary.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'prod-medflow-cognito-app-client-secret',
      ReplicaRegions: [{ Region: REPLICA_REGION, KmsKeyId: byKeyStack }],
    });
    expect(primaryStack.dependencies).toContain(regionKeys);
    primary.resourceCountIs('AWS::Cognito::UserPoolReplica', 1);
  });

  test('the given key lets CloudWatch Logs of the replica Region encrypt log groups', () => {
    Template.fromStack(regionKeys).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: `logs.${REPLICA_REGION}.amazonaws.com` } })]) },
    });
  });

  test('a given key of another Region fails at synth', () => {
    const other = new App();
    const pair = primaryPair('prod', REPLICABLE);
    const elsewhere = new Stack(other, 'Elsewhere', { env: { region: 'us-east-1' } });
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth, encryptionKey: new kms.Key(elsewhere, 'Key') }))
      .toThrow(/MedflowCognitoReplica: invalid encryptionKey a key in us-east-1; allowed: a KMS key in the replica Region \(eu-central-1\)/);
  });
});

describe('MedflowCognitoReplica: synth errors', () => {
  test('a replica in the primary\'s Region', () => {
    const pair = primaryPair('prod', REPLICABLE, { region: PRIMARY_REGION });
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth }))
      .toThrow(/MedflowCognitoReplica: invalid scope in stack Replica of Region eu-west-1; allowed: a stack in a Region other than the primary's \(eu-west-1\)/);
  });

  test('a primary built from the dev preset', () => {
    const pair = primaryPair('dev', {});
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth }))
      .toThrow(/invalid primary built from the dev preset; allowed: a primary built from the staging or prod preset/);
  });

  test('a primary without a customer-managed user data key', () => {
    const pair = primaryPair('prod', { ...REPLICABLE, preset: EnvironmentPreset.prod().withOverrides({ customerManagedUserDataKey: false }) });
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth }))
      .toThrow(/invalid primary userDataKey an AWS owned key; allowed: a customer-managed multi-Region KMS key/);
  });

  test('a primary whose user data key is single-Region', () => {
    const app = new App();
    const primaryStack = new Stack(app, 'Primary', { env: { region: PRIMARY_REGION }, crossRegionReferences: true });
    const userDataKey = new kms.Key(primaryStack, 'SingleRegionKey');
    const auth = new MedflowCognito(primaryStack, 'Auth', presetProps('prod', { ...REPLICABLE, userDataKey }));
    const replicaStack = new Stack(app, 'Replica', { env: { region: REPLICA_REGION }, crossRegionReferences: true });
    expect(() => new MedflowCognitoReplica(replicaStack, 'AuthReplica', { primary: auth }))
      .toThrow(/invalid primary userDataKey Primary\/SingleRegionKey \(a single-Region key\); allowed: a key created with multiRegion: true/);
  });

  test('an MFA-required primary with no second factor the secondary accepts', () => {
    const pair = primaryPair('prod', { ...REPLICABLE, enablePasskeys: false });
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth }))
      .toThrow(/invalid primary enableEmailMfa \/ enablePasskeys both off on a pool that requires MFA; allowed: enableEmailMfa: true or enablePasskeys: true: the secondary does not support TOTP MFA/);
  });

  test('the same MFA-required primary with email OTP on is accepted', () => {
    const pair = primaryPair('prod', { ...REPLICABLE, enablePasskeys: false, enableEmailMfa: true });
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth })).not.toThrow();
  });

  test('a primary whose lockout table is not global', () => {
    const pair = primaryPair('prod', {});
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth }))
      .toThrow(/invalid primary securityTriggers.globalLockoutTable false; allowed: true/);
  });

  test('a replica stack without cross-region references, with the fix in the message', () => {
    const pair = primaryPair('prod', REPLICABLE, { crossRegionReferences: false });
    expect(() => new MedflowCognitoReplica(pair.replicaStack, 'AuthReplica', { primary: pair.auth }))
      .toThrow(/invalid crossRegionReferences false on stack Replica; allowed: true.*new Stack\(app, 'Replica', \{ env: \{ region: 'eu-central-1' \}, crossRegionReferences: true \}\)/);
  });
});
