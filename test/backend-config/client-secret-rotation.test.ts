import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { listAcknowledgements } from '../../src/internal/acknowledgements';
import { construct, synthesize } from '../helpers';

const ASSETS = path.join(__dirname, '..', '..', 'assets', 'backend-config');

function logicalIdOf(stack: Stack, resource: { node: { defaultChild?: unknown } } | object): string {
  const cfn = ('node' in resource && (resource as { node: { defaultChild?: unknown } }).node.defaultChild) || resource;
  return stack.getLogicalId(cfn as never);
}

describe('client secret rotation', () => {
  test('prod: a 30-day rotation schedule on the secret, after the first value, the permission and the policy exist', () => {
    const { template, auth, stack } = synthesize('prod');
    const schedules = template.findResources('AWS::SecretsManager::RotationSchedule');
    expect(Object.keys(schedules)).toHaveLength(1);
    const [schedule] = Object.values(schedules);
    const secretId = logicalIdOf(stack, auth.clientSecret!);
    expect(schedule.Properties).toEqual({
      SecretId: { Ref: secretId },
      RotationLambdaARN: { 'Fn::GetAtt': [expect.stringMatching(/RotationFunction/), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotateImmediatelyOnUpdate: true,
    });
    const dependsOn: string[] = schedule.DependsOn;
    expect(dependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(/ClientSecretSync[0-9A-F]{8}$/),
      expect.stringMatching(/RotationPolicy/),
      expect.stringMatching(/RotationSecretsManagerInvoke/),
      expect.stringMatching(/RotationFunction[0-9A-F]{8}$/),
    ]));
  });

  test('Secrets Manager may invoke the function for this secret and account only', () => {
    const { template, auth, stack } = synthesize('prod');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'secretsmanager.amazonaws.com',
      Action: 'lambda:InvokeFunction',
      SourceArn: { Ref: logicalIdOf(stack, auth.clientSecret!) },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  test('the function runs Node.js 24 with its own role and one policy scoped to the pool, the secret and the key', () => {
    const { template, auth, stack } = synthesize('prod');
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('Rotates the Cognito app client secret') } });
    expect(Object.keys(functions)).toHaveLength(1);
    const [fn] = Object.values(functions);
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Environment.Variables).toEqual({
      USER_POOL_ID: { Ref: logicalIdOf(stack, auth.userPool) },
      CLIENT_ID: { Ref: logicalIdOf(stack, auth.appClient) },
      SECRET_ARN: { Ref: logicalIdOf(stack, auth.clientSecret!) },
      GRACE_PERIOD_SECONDS: '86400',
    });
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    expect(statements.map((s: { Action: unknown }) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['cognito-idp:AddUserPoolClientSecret', 'cognito-idp:ListUserPoolClientSecrets', 'cognito-idp:DeleteUserPoolClientSecret'],
      ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      ['kms:Decrypt', 'kms:GenerateDataKey'],
    ]);
    expect(statements[1].Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, auth.userPool), 'Arn'] });
    expect(statements[2].Resource).toEqual({ Ref: logicalIdOf(stack, auth.clientSecret!) });
    expect(statements[3].Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } });
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('an hourly event deletes secrets whose grace period ended', () => {
    const { template } = synthesize('prod');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Input: '{"action":"deleteExpiredClientSecrets"}', RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 } })],
    });
  });

  test('the rotation findings are satisfied, not acknowledged, and a secret without rotation would be a finding', () => {
    const { auth, stack } = synthesize('staging');
    const ids = listAcknowledgements(auth).map((a) => a.id);
    expect(ids.filter((id) => /SMG4|SecretsManagerRotationEnabled/.test(id))).toEqual([]);
    const violations = [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((p) => p.validateScope(stack).violations.map((v) => v.ruleName));
    expect(violations).toEqual([]);

    const bare = new Stack(new App(), 'Bare');
    new secretsmanager.Secret(bare, 'Secret');
    const bareRules = [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((p) => p.validateScope(bare).violations.map((v) => v.ruleName));
    expect(bareRules).toEqual(expect.arrayContaining(['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled']));
  });

  test('the schedule and grace period are configurable; the default grace period is at most half the schedule', () => {
    const weekly = synthesize('prod', { clientSecretRotationSchedule: Duration.days(7), clientSecretGracePeriod: Duration.hours(6) });
    weekly.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(7 days)' } });
    weekly.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ GRACE_PERIOD_SECONDS: '21600' }) } });

    const fast = synthesize('prod', { clientSecretRotationSchedule: Duration.hours(4) });
    fast.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(4 hours)' } });
    fast.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ GRACE_PERIOD_SECONDS: '7200' }) } });
  });

  test.each([
    [Duration.hours(3), /MedflowCognito: invalid clientSecretRotationSchedule 3 hours; allowed: from 4 hours to 1000 days\./],
    [Duration.days(1001), /MedflowCognito: invalid clientSecretRotationSchedule 1001 days; allowed: from 4 hours to 1000 days\./],
    [Duration.minutes(270), /MedflowCognito: invalid clientSecretRotationSchedule 4 hours 30 minutes; allowed: whole hours from 4 hours to 1000 days\./],
  ])('a rotation schedule of %s is a synth error naming the prop', (schedule, message) => {
    expect(() => construct('prod', { clientSecretRotationSchedule: schedule })).toThrow(message);
  });

  test('a grace period not shorter than the schedule, or outside 1 hour to 7 days, is a synth error naming the prop', () => {
    expect(() => construct('prod', { clientSecretRotationSchedule: Duration.days(1), clientSecretGracePeriod: Duration.days(1) }))
      .toThrow(/MedflowCognito: invalid clientSecretGracePeriod 1 day; allowed: less than clientSecretRotationSchedule \(1 day\)\./);
    expect(() => construct('prod', { clientSecretGracePeriod: Duration.minutes(30) }))
      .toThrow(/MedflowCognito: invalid clientSecretGracePeriod 30 minutes; allowed: from 1 hour to 7 days\./);
  });

  test('a client without a secret gets no secret and no rotation, without an error, whatever the schedule', () => {
    const { template, auth } = synthesize('dev', { clientSecretRotationSchedule: Duration.days(7) });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    // Only the Cognito triggers remain: no sync and no rotation function.
    const descriptions = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => String(f.Properties.Description));
    expect(descriptions.length).toBeGreaterThan(0);
    expect(descriptions.filter((d) => /secret/i.test(d))).toEqual([]);
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(auth.clientSecret).toBeUndefined();
  });

  test('the rotation bundle carries its own Cognito client; the sync bundle uses the runtime SDK', () => {
    const rotation = fs.readFileSync(path.join(ASSETS, 'client-secret-rotation.lambda', 'index.js'), 'utf8');
    const sync = fs.readFileSync(path.join(ASSETS, 'client-secret-sync.lambda', 'index.js'), 'utf8');
    expect(rotation).toContain('AWSCognitoIdentityProviderService');
    expect(rotation).toContain('AddUserPoolClientSecret');
    expect(rotation).not.toMatch(/require\("@aws-sdk\/client-/);
    expect(sync).toMatch(/require\("@aws-sdk\/client-cognito-identity-provider"\)/);
  });
});
