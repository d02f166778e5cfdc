/*
 * Deploy rehearsal: each example-app auth stack is created on moto from its synthesized template,
 * with every property either mapped or listed as unsupported by moto.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeUserPoolClientCommand, DescribeUserPoolCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { deployStack } from './deploy';
import { resetMoto } from './moto-server';
import { PropertyReader } from './property-coverage';

describe.each(['MedflowAuthDev', 'MedflowAuthStaging', 'MedflowAuthProd'])('%s on moto', (stackName) => {
  test('every resource is created with the template\'s properties', async () => {
    await resetMoto();
    const d = await deployStack(stackName);
    const cognito = new CognitoIdentityProviderClient({});
    const pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: d.userPoolId }))).UserPool!;
    const [, poolResource] = Object.entries(d.template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')!;
    const p = poolResource.Properties as Record<string, any>;
    expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(p.Policies.PasswordPolicy.MinimumLength);
    expect(pool.MfaConfiguration).toBe(p.MfaConfiguration);
    expect(pool.DeletionProtection).toBe(p.DeletionProtection);
    // Staging and prod: the pool names a multi-Region key (its stand-in); dev keeps Cognito's AWS owned key.
    expect(pool.KeyConfiguration?.KeyType).toBe(stackName === 'MedflowAuthDev' ? undefined : 'CUSTOMER_MANAGED_KEY');
    if (pool.KeyConfiguration?.KmsKeyArn) {
      const key = (await new KMSClient({}).send(new DescribeKeyCommand({ KeyId: pool.KeyConfiguration.KmsKeyArn }))).KeyMetadata!;
      expect(key.MultiRegion).toBe(true);
    }
    const customAttributes = (pool.SchemaAttributes ?? []).filter((a) => a.Name?.startsWith('custom:')).map((a) => a.Name).sort();
    expect(customAttributes).toEqual(p.Schema.filter((s: any) => s.AttributeDataType).map((s: any) => `custom:${s.Name}`).sort());
    const client = (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: d.userPoolId, ClientId: d.clientId }))).UserPoolClient!;
    const [, clientResource] = Object.entries(d.template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient')!;
    const c = clientResource.Properties as Record<string, any>;
    expect(client.WriteAttributes?.slice().sort()).toEqual([...c.WriteAttributes].sort());
    expect(client.ExplicitAuthFlows?.slice().sort()).toEqual([...c.ExplicitAuthFlows].sort());
    expect(Boolean(client.ClientSecret)).toBe(c.GenerateSecret);
    for (const r of d.readers) expect(() => r.assertComplete()).not.toThrow();
  });

  test('the operations resources are created with the template\'s properties', async () => {
    await resetMoto();
    const d = await deployStack(stackName);
    const ofType = (type: string) => Object.entries(d.template.Resources).filter(([, r]) => r.Type === type);
    const s3 = new S3Client({ forcePathStyle: true });
    for (const [logicalId, resource] of ofType('AWS::S3::Bucket')) {
      const Bucket = d.operations.buckets[logicalId];
      const p = resource.Properties as Record<string, any>;
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe(p.VersioningConfiguration.Status);
      const encryption = (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration!.Rules![0];
      const expected = p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
      expect(encryption.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(expected.SSEAlgorithm);
      expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual(p.PublicAccessBlockConfiguration);
      const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules!;
      expect(rules.map((r) => [r.ID, r.Expiration?.Days])).toEqual(p.LifecycleConfiguration.Rules.map((r: any) => [r.Id, r.ExpirationInDays]));
    }
    const logs = new CloudWatchLogsClient({});
    const groups = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups!;
    expect(groups).toHaveLength(ofType('AWS::Logs::LogGroup').length);
    for (const [logicalId, resource] of ofType('AWS::Logs::LogGroup')) {
      const group = groups.find((g) => g.logGroupName === d.operations.logGroups[logicalId])!;
      expect(group.retentionInDays).toBe((resource.Properties as any).RetentionInDays);
    }
    // moto cannot take the log delivery configuration itself; its targets must be log groups that exist.
    for (const [logicalId] of ofType('AWS::Cognito::LogDeliveryConfiguration')) {
      const configurations = d.ids.resolve<any[]>((d.unsupportedResources[logicalId].Properties as any).LogConfigurations);
      for (const c of configurations) {
        const name = c.CloudWatchLogsConfiguration.LogGroupArn.replace(/^arn:aws:logs:[^:]+:\d+:log-group:/, '').replace(/:\*$/, '');
        expect(groups.map((g) => g.logGroupName)).toContain(name);
      }
    }
    const cloudwatch = new CloudWatchClient({});
    const alarms = (await cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100 })));
    expect((alarms.MetricAlarms ?? []).length + (alarms.CompositeAlarms ?? []).length).toBe(ofType('AWS::CloudWatch::Alarm').length);
    expect(d.operations.dashboardNames).toHaveLength(ofType('AWS::CloudWatch::Dashboard').length);
    for (const [, resource] of ofType('AWS::Scheduler::Schedule')) {
      const p = resource.Properties as Record<string, any>;
      const schedule = await new SchedulerClient({}).send(new GetScheduleCommand({ Name: p.Name }));
      expect(schedule.ScheduleExpression).toBe(p.ScheduleExpression);
      expect(schedule.Target?.Input).toBe(p.Target.Input);
      expect(schedule.Target?.DeadLetterConfig?.Arn).toMatch(/^arn:aws:sqs:/);
    }
    for (const [logicalId, resource] of ofType('AWS::SQS::Queue')) {
      const attributes = (await new SQSClient({}).send(new GetQueueAttributesCommand({ QueueUrl: d.operations.queueUrls[logicalId], AttributeNames: ['All'] }))).Attributes!;
      expect(Number(attributes.MessageRetentionPeriod)).toBe((resource.Properties as any).MessageRetentionPeriod);
      expect(attributes.KmsMasterKeyId).toMatch(/^arn:aws:kms:/);
      expect(JSON.parse(attributes.Policy!).Statement.length).toBeGreaterThan(0);
    }
  });
});

describe('property coverage', () => {
  test('a property that is neither mapped nor listed as unsupported fails the deploy', () => {
    const reader = new PropertyReader('AWS::Cognito::UserPool', 'Pool', { UserPoolName: 'x', EmailMfaConfiguration: { Subject: 'y' } });
    reader.get('UserPoolName');
    expect(() => reader.assertComplete()).toThrow(/EmailMfaConfiguration is neither mapped nor listed as unsupported/);
  });

  test('a mapped property the deployer did not read fails the deploy', () => {
    const reader = new PropertyReader('AWS::Cognito::UserPoolGroup', 'Group', { GroupName: 'nurse', Precedence: 30 });
    reader.get('GroupName');
    expect(() => reader.assertComplete()).toThrow(/Precedence is listed as mapped \(CreateGroup, same name\) but was not read/);
  });
});
