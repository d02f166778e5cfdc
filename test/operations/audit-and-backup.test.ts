import { App, Duration, RemovalPolicy, Stack, aws_cognito as cognito, aws_iam as iam, aws_kms as kms, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { once, operations } from './fixtures';
import { AuditLogDelivery, AuthEventsDestination, UserPoolBackup } from '../../src';

/** The props of a UserPoolBackup on its own: a pool, a log bucket and a log key in `stack`. */
function standaloneBackupProps(stack: Stack) {
  return {
    userPool: new cognito.UserPool(stack, 'P'),
    namePrefix: 'prod-medflow-cognito',
    accessLogsBucket: new s3.Bucket(stack, 'L'),
    logEncryptionKey: new kms.Key(stack, 'K'),
    logRetention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

const PACKS = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()];
function findings(scope: IConstruct): string[] {
  return PACKS().flatMap((pack) => pack.validateScope(scope).violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`));
}

function logGroupByName(template: Template, suffix: string): any {
  return Object.values(template.findResources('AWS::Logs::LogGroup') as Record<string, any>)
    .find((r) => typeof r.Properties.LogGroupName === 'string' && r.Properties.LogGroupName.endsWith(suffix));
}

// CognitoOperations as each preset configures it, built once each on first use and shared.
const built = {
  dev: once(() => operations('dev')),
  staging: once(() => operations('staging')),
  prod: once(() => operations('prod')),
};

describe('audit log delivery', () => {
  test('dev (Essentials): user notification errors only, to a log group kept one month', () => {
    const { template } = built.dev();
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      UserPoolId: { Ref: 'AuthUserPool8115E87F' },
      LogConfigurations: [{
        EventSource: 'userNotification',
        LogLevel: 'ERROR',
        CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthOperationsAuditLogsUserNotificationLogs'), 'Arn'] } },
      }],
    });
    expect(logGroupByName(template, '/user-notification').Properties).toMatchObject({
      LogGroupName: '/aws/vendedlogs/cognito/dev-medflow-cognito/user-notification',
      RetentionInDays: 30,
    });
  });

  test('prod (Plus): auth events at INFO level too, kept six years like every prod log', () => {
    const { template } = built.prod();
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: [
        Match.objectLike({ EventSource: 'userNotification', LogLevel: 'ERROR' }),
        { EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuthEventsLogs'), 'Arn'] } } },
      ],
    });
    for (const suffix of ['/user-notification', '/user-auth-events']) {
      const group = logGroupByName(template, suffix);
      expect(group.Properties.RetentionInDays).toBe(2192);
      // Cognito refuses KMS-encrypted log groups; the acknowledgement says so.
      expect(group.Properties.KmsKeyId).toBeUndefined();
      expect(group.DeletionPolicy).toBe('Retain');
    }
    template.resourceCountIs('AWS::Cognito::LogDeliveryConfiguration', 1);
  });

  test('the unencrypted log groups are acknowledged, with the reason, only for the encryption rule', () => {
    const group = built.prod().construct.auditLogs.authEventsLogGroup!;
    const entries = group.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => Object.keys(m.data)[0]);
    expect(entries).toEqual(['annotation::HIPAA.Security-CloudWatchLogGroupEncrypted', 'annotation::NIST.800.53.R5-CloudWatchLogGroupEncrypted']);
    const bare = new Stack(new App(), 'Bare');
    new logs.LogGroup(bare, 'Plain', { retention: logs.RetentionDays.ONE_YEAR });
    expect(new HIPAASecurityChecks().validateScope(bare).violations.map((v) => v.ruleName)).toContain('HIPAA.Security-CloudWatchLogGroupEncrypted');
  });

  test('the S3 destination writes auth events to a KMS-encrypted, hardened bucket that only the log delivery service may write', () => {
    const { template, construct } = operations('prod', { authEventsDestination: AuthEventsDestination.S3 });
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: Match.arrayWith([{ EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuthEvents'), 'Arn'] } } }]),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AWSLogDeliveryWrite', Action: 's3:PutObject', Principal: { Service: 'delivery.logs.amazonaws.com' }, Condition: Match.objectLike({ StringEquals: Match.objectLike({ 's3:x-amz-acl': 'bucket-owner-full-control' }) }) }),
          Match.objectLike({ Sid: 'AWSLogDeliveryAclCheck', Action: 's3:GetBucketAcl' }),
        ]),
      },
    });
    expect(logGroupByName(template, '/user-auth-events')).toBeUndefined();
    // The operations resources only: the bare pool beside them is not MedflowCognito's. The whole
    // MedflowCognito stack with S3 auth events is checked in cost-and-compliance.test.ts.
    expect(findings(construct)).toEqual([]);
  });

  test('the S3 destination needs an access-log bucket and says so', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new AuditLogDelivery(stack, 'A', {
      userPool: new cognito.UserPool(stack, 'P'),
      logRetention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
      logGroupPrefix: '/aws/vendedlogs/cognito/x',
      authEvents: true,
      authEventsDestination: AuthEventsDestination.S3,
    })).toThrow(/AuditLogDelivery: invalid accessLogsBucket undefined; allowed: a bucket for server access logs when authEventsDestination is S3/);
  });
});

describe('user pool backup', () => {
  test('dev has no backup; staging and prod export daily at 03:00 UTC through EventBridge Scheduler', () => {
    built.dev().template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(built.dev().construct.backup).toBeUndefined();
    for (const preset of ['staging', 'prod'] as const) {
      const { template } = built[preset]();
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: `${preset}-medflow-cognito-user-export`,
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'UTC',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthOperationsBackupFunction'), 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthOperationsBackupScheduleRole'), 'Arn'] },
          Input: '{"source":"schedule","executionId":"<aws.scheduler.execution-id>"}',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthOperationsBackupDeadLetterQueue'), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
        },
      });
    }
  });

  test('the export bucket is versioned, KMS-encrypted, public-access-blocked, SSL-only and access-logged', () => {
    const { template } = built.prod();
    const buckets = template.findResources('AWS::S3::Bucket') as Record<string, any>;
    const [exportsId, exportsBucket] = Object.entries(buckets).find(([id]) => id.includes('BackupExports'))!;
    const [accessLogsId] = Object.entries(buckets).find(([id]) => id.includes('AccessLogs'))!;
    expect(exportsBucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^AuthOperationsBackupKey/), 'Arn'] } } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: accessLogsId }, LogFilePrefix: 'user-exports/' },
    });
    expect(exportsBucket.DeletionPolicy).toBe('Retain');
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy') as Record<string, any>);
    const exportsPolicy = policies.find((p) => p.Properties.Bucket.Ref === exportsId)!;
    expect(exportsPolicy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
    const accessPolicy = policies.find((p) => p.Properties.Bucket.Ref === accessLogsId)!;
    expect(accessPolicy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Condition: expect.objectContaining({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [exportsId, 'Arn'] } } }) }),
    ]));
  });

  test('prod exports move to Glacier after 90 days and expire after six years; checkpoints after a week', () => {
    const { template } = built.prod();
    const [bucket] = Object.entries(template.findResources('AWS::S3::Bucket') as Record<string, any>).filter(([id]) => id.includes('BackupExports')).map(([, b]) => b);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'retain-exports',
        Prefix: 'exports/',
        Status: 'Enabled',
        ExpirationInDays: 2192,
        Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER', TransitionInDays: 1 }],
      },
      { Id: 'expire-checkpoints', Prefix: 'checkpoints/', Status: 'Enabled', ExpirationInDays: 7, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
    ]);
    const staging = built.staging().template;
    const [stagingBucket] = Object.entries(staging.findResources('AWS::S3::Bucket') as Record<string, any>).filter(([id]) => id.includes('BackupExports')).map(([, b]) => b);
    expect(stagingBucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(365);
  });

  test('the export function: Node.js 24, 15 minutes, its own dead-letter queue, paced at 5 RPS, KMS-encrypted log group', () => {
    const { template } = built.prod();
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'prod-medflow-cognito-user-export',
      Runtime: 'nodejs24.x',
      Timeout: 900,
      MemorySize: 512,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthOperationsBackupDeadLetterQueue'), 'Arn'] } },
      Environment: { Variables: { USER_POOL_ID: { Ref: 'AuthUserPool8115E87F' }, REQUESTS_PER_SECOND: '5', SAFETY_MARGIN_SECONDS: '60', BUCKET_NAME: Match.anyValue() } },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^AuthOperationsBackupLogs') } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'prod-medflow-cognito-user-export-dlq',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthOperationsBackupKey'), 'Arn'] },
      MessageRetentionPeriod: 1209600,
    });
    const logGroup = Object.entries(template.findResources('AWS::Logs::LogGroup') as Record<string, any>).find(([id]) => id.startsWith('AuthOperationsBackupLogs'))![1];
    expect(logGroup.Properties).toMatchObject({ RetentionInDays: 2192, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^AuthEncryptionKey/), 'Arn'] } });
  });

  test('the export role may list this pool, write only the exports and checkpoints prefixes, and invoke only itself', () => {
    const { template } = built.prod();
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy') as Record<string, any>)
      .find((p) => p.Properties.Description?.startsWith('Least privilege for the user export'))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['cognito-idp:ListUsers', 'cognito-idp:ListGroups', 'cognito-idp:ListUsersInGroup'],
      's3:PutObject',
      ['kms:GenerateDataKey', 'kms:Decrypt'],
      'kms:GenerateMac',
      'lambda:InvokeFunction',
      'sqs:SendMessage',
    ]);
    expect(statements[4].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AuthOperationsBackupManifestKey/), 'Arn'] });
    expect(statements[1].Resource).toEqual({ 'Fn::GetAtt': ['AuthUserPool8115E87F', 'Arn'] });
    // The only wildcards: object keys under the two prefixes, scoped by the backup key condition.
    expect(JSON.stringify(statements[2].Resource)).toMatch(/BackupExportsBucket.*\/exports\/\*.*BackupExportsBucket.*\/checkpoints\/\*/);
    expect(statements[2].Condition).toEqual({
      StringEquals: {
        's3:x-amz-server-side-encryption': 'aws:kms',
        's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [expect.stringMatching(/^AuthOperationsBackupKey/), 'Arn'] },
      },
    });
    const wildcards = statements.filter((s: any) => JSON.stringify(s.Resource).includes('*') || [s.Action].flat().some((a: string) => a.includes('*')));
    expect(wildcards).toEqual([statements[2]]);
    expect(JSON.stringify(statements[5].Resource)).toContain(':function:prod-medflow-cognito-user-export');
  });

  test('the manifest signing key is a KMS HMAC key on which only the export role may call GenerateMac', () => {
    const { template } = built.prod();
    const keys = Object.entries(template.findResources('AWS::KMS::Key') as Record<string, any>).filter(([id]) => id.startsWith('AuthOperationsBackupManifestKey'));
    expect(keys).toHaveLength(1);
    const [, key] = keys[0];
    expect(key.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const exportRole = Object.entries(template.findResources('AWS::IAM::Role') as Record<string, any>)
      .find(([, r]) => r.Properties.Description?.startsWith('Runs the user export'))![0];
    const deny = key.Properties.KeyPolicy.Statement.filter((st: any) => st.Effect === 'Deny');
    expect(deny).toEqual([{
      Sid: 'OnlyTheExportFunctionSignsManifests',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:GenerateMac',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [exportRole, 'Arn'] } } },
    }]);
    // No other policy in the stack grants GenerateMac or VerifyMac.
    const macGrants = Object.values(template.findResources('AWS::IAM::ManagedPolicy') as Record<string, any>)
      .concat(Object.values(template.findResources('AWS::IAM::Policy') as Record<string, any>))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().some((a: string) => /Mac$|^kms:\*$/.test(a)));
    expect(macGrants.map((st: any) => st.Action)).toEqual(['kms:GenerateMac']);
  });

  test('grantVerifyExports gives the restoring role kms:VerifyMac on the manifest key only', () => {
    const stack = new Stack(new App(), 'V');
    const backup = new UserPoolBackup(stack, 'Backup', standaloneBackupProps(stack));
    const restorer = new iam.Role(stack, 'Restorer', { assumedBy: new iam.AccountRootPrincipal() });
    backup.grantVerifyExports(restorer);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy') as Record<string, any>)
      .find((p) => JSON.stringify(p.Properties.Roles).includes('Restorer'))!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Action: 'kms:VerifyMac', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^BackupManifestKey/), 'Arn'] },
    }]);
  });

  test('failure and staleness alarms go to the alarm topic; staleness treats missing data as breaching', () => {
    const { construct, template } = built.prod();
    const backup = construct.backup!;
    expect(construct.monitoring.alarms).toEqual(expect.arrayContaining([backup.failureAlarm, backup.staleAlarm]));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'prod-medflow-cognito-user-export-failed',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'prod-medflow-cognito-user-export-stale',
      MetricName: 'UsersExported',
      Namespace: 'MedFlow/Cognito',
      Statistic: 'SampleCount',
      Period: 86400,
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('bad backup props name the prop and what is allowed', () => {
    const stack = new Stack(new App(), 'B');
    const base = standaloneBackupProps(stack);
    expect(() => new UserPoolBackup(stack, 'B1', { ...base, requestsPerSecond: 30 }))
      .toThrow(/UserPoolBackup: invalid requestsPerSecond 30; allowed: more than 0 and at most 25/);
    expect(() => new UserPoolBackup(stack, 'B2', { ...base, scheduleExpression: '0 3 * * *' }))
      .toThrow(/invalid scheduleExpression "0 3 \* \* \*"; allowed: an EventBridge Scheduler cron\(...\) or rate\(...\) expression/);
    expect(() => new UserPoolBackup(stack, 'B3', { ...base, retention: Duration.hours(2) })).toThrow(/invalid retention 2 hours; allowed: at least 1 day/);
  });
});
