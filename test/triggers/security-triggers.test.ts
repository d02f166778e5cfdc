import { createHash } from 'node:crypto';
import { App, CfnElement, Duration, RemovalPolicy, Stack, aws_cognito as cognito, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { EnvironmentPreset, HealthcareRole, LockoutFailureMode, MedflowCognito, MedflowScope, SecurityTriggers } from '../../src';
import { PRESET_NAMES, PresetName, construct, synthesize, TEST_EMAIL } from '../helpers';

const TRIGGERS = ['PreAuthentication', 'PostAuthentication', 'PreSignUp', 'CustomMessage'] as const;

/** Logical ID of the CloudFormation resource of the construct whose path ends with `pathSuffix`. */
function logicalId(stack: Stack, pathSuffix: string): string {
  const found = stack.node.findAll().filter((c: IConstruct) => c.node.path.endsWith(pathSuffix));
  if (found.length !== 1) throw new Error(`expected one construct at ${pathSuffix}, found ${found.length}`);
  const element = (found[0] instanceof CfnElement ? found[0] : found[0].node.defaultChild) as CfnElement;
  return stack.getLogicalId(element);
}

function nagFindings(stack: Stack): string[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()]
    .flatMap((pack) => pack.validateScope(stack).violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`));
}

const EXPECTED: Record<PresetName, { max: string; seconds: string; retention: number; protection: boolean; policy: string; reserved: boolean }> = {
  dev: { max: '10', seconds: '300', retention: 30, protection: false, policy: 'Delete', reserved: false },
  staging: { max: '5', seconds: '1800', retention: 365, protection: true, policy: 'Retain', reserved: true },
  prod: { max: '5', seconds: '1800', retention: 2192, protection: true, policy: 'Retain', reserved: true },
};

describe.each(PRESET_NAMES)('security triggers in the %s preset', (preset) => {
  const { template, auth, stack } = synthesize(preset);
  const expected = EXPECTED[preset];
  const keyId = logicalId(stack, '/Auth/EncryptionKey');
  const fnId = (_template: Template, trigger: string) => logicalId(stack, `/SecurityTriggers/${trigger}`);

  test('the lockout table is on-demand, encrypted with the customer-managed key, with PITR and TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        TableName: `${preset}-medflow-cognito-account-lockout`,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        DeletionProtectionEnabled: expected.protection,
      },
      DeletionPolicy: expected.policy,
      UpdateReplacePolicy: expected.policy,
    });
    expect(auth.securityTriggers.lockoutTableName).toBe(`${preset}-medflow-cognito-account-lockout`);
  });

  test('the four triggers are attached to the user pool', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: Object.fromEntries(TRIGGERS.map((t) => [t, { 'Fn::GetAtt': [fnId(template, t), 'Arn'] }])),
    });
  });

  test.each(TRIGGERS)('%s runs Node.js 24 with a timeout below Cognito\'s 5 s, its own encrypted log group and the preset\'s retention', (trigger) => {
    const fn = template.findResources('AWS::Lambda::Function')[fnId(template, trigger)].Properties;
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Timeout).toBeLessThan(5);
    expect(fn.Timeout).toBe(3);
    expect(fn.MemorySize).toBe(256);
    const logGroupId = logicalId(stack, `/SecurityTriggers/${trigger}Logs`);
    expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: expected.retention });
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId].Properties).toMatchObject({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: expected.retention });
    expect(fn.ReservedConcurrentExecutions).toBe(expected.reserved ? (trigger.endsWith('Authentication') ? 25 : 10) : undefined);
    expect(fn.VpcConfig).toBeUndefined();
  });

  test.each(TRIGGERS)('Cognito may invoke %s only from this user pool', (trigger) => {
    const poolId = logicalId(stack, '/Auth/UserPool');
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'))
      .filter((p) => JSON.stringify(p.Properties.FunctionName).includes(fnId(template, trigger)));
    expect(permissions.map((p) => p.Properties)).toEqual([{
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId(template, trigger), 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] },
    }]);
  });

  const hashKeyId = () => logicalId(stack, '/SecurityTriggers/UsernameHashKey');
  const hashKeyStatements = () => [{
    Effect: 'Allow',
    Action: 'kms:GenerateMac',
    Resource: { 'Fn::GetAtt': [hashKeyId(), 'Arn'] },
    Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } },
  }];

  test('the username hash key is a KMS HMAC key: its material never leaves KMS and is in no template, secret or variable', () => {
    const key = template.findResources('AWS::KMS::Key')[hashKeyId()].Properties;
    expect(key).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(key.EnableKeyRotation).toBeUndefined();
    for (const trigger of TRIGGERS) {
      expect(template.findResources('AWS::Lambda::Function')[fnId(template, trigger)].Properties.Environment.Variables.USER_HASH_KEY_ARN)
        .toEqual({ 'Fn::GetAtt': [hashKeyId(), 'Arn'] });
    }
  });

  test('only the five trigger functions may derive the username hash key', () => {
    const users = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .concat(Object.values(template.findResources('AWS::IAM::Policy')))
      .filter((p) => p.Properties.PolicyDocument.Statement.some((st: any) => JSON.stringify(st.Resource).includes(hashKeyId())))
      .flatMap((p) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    const triggerRoles = [...TRIGGERS.map((trigger) => template.findResources('AWS::Lambda::Function')[fnId(template, trigger)].Properties.Role['Fn::GetAtt'][0]),
      logicalId(stack, '/RoleScopes/Role')];
    expect(users.sort()).toEqual(triggerRoles.sort());
    // Nothing in the stack may GenerateMac on every key.
    const wide = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().some((a: string) => a === 'kms:GenerateMac' || a === 'kms:*') && JSON.stringify(st.Resource).includes('*'));
    expect(wide).toEqual([]);
  });

  test('the lockout functions get the preset\'s thresholds; PreSignUp gets the roles', () => {
    for (const trigger of ['PreAuthentication', 'PostAuthentication']) {
      expect(template.findResources('AWS::Lambda::Function')[fnId(template, trigger)].Properties.Environment.Variables).toEqual({
        LOCKOUT_TABLE_NAME: `${preset}-medflow-cognito-account-lockout`,
        LOCKOUT_MAX_ATTEMPTS: expected.max,
        LOCKOUT_DURATION_SECONDS: expected.seconds,
        LOCKOUT_FAILURE_MODE: 'FAIL_OPEN',
        USER_HASH_KEY_ARN: { 'Fn::GetAtt': [hashKeyId(), 'Arn'] },
      });
    }
    expect(template.findResources('AWS::Lambda::Function')[fnId(template, 'PreSignUp')].Properties.Environment.Variables).toEqual({
      HEALTHCARE_ROLES: '["clinic_admin","physician","nurse","receptionist"]', CLINICAL_ROLES: '["physician","nurse"]', USER_HASH_KEY_ARN: { 'Fn::GetAtt': [hashKeyId(), 'Arn'] },
    });
    expect(template.findResources('AWS::Lambda::Function')[fnId(template, 'CustomMessage')].Properties.Environment.Variables)
      .toEqual({ USER_HASH_KEY_ARN: { 'Fn::GetAtt': [hashKeyId(), 'Arn'] } });
  });

  test('each trigger has its own role with exactly one customer-managed policy: logs, and for the lockout one table action and the key through DynamoDB', () => {
    const tableId = logicalId(stack, '/SecurityTriggers/LockoutTable');
    const roles = new Set<string>();
    for (const trigger of TRIGGERS) {
      const fn = template.findResources('AWS::Lambda::Function')[fnId(template, trigger)].Properties;
      const roleId = fn.Role['Fn::GetAtt'][0];
      roles.add(roleId);
      const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
      expect(policies).toHaveLength(1);
      const statements = policies[0].Properties.PolicyDocument.Statement;
      const logGroupId = logicalId(stack, `/SecurityTriggers/${trigger}Logs`);
      expect(statements[0]).toEqual({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } });
      // Every trigger may derive the username hash key, and do nothing else with it.
      expect(statements.slice(-1)).toEqual(hashKeyStatements());
      const tableAction = { PreAuthentication: 'dynamodb:UpdateItem', PostAuthentication: 'dynamodb:DeleteItem' }[trigger as string];
      if (tableAction) {
        expect(statements.slice(1, -1)).toEqual([
          { Effect: 'Allow', Action: tableAction, Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
            Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } },
          },
        ]);
      } else {
        expect(statements).toHaveLength(2);
      }
      const role = template.findResources('AWS::IAM::Role')[roleId].Properties;
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }]);
    }
    expect(roles.size).toBe(4);
  });

  test('nag findings on the functions are acknowledged only where they apply', () => {
    const fn = auth.securityTriggers.preAuthenticationFunction.node;
    const ids = fn.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.keys(m.data as object));
    expect(ids).toEqual(expect.arrayContaining(['annotation::HIPAA.Security-LambdaDLQ', 'annotation::NIST.800.53.R5-LambdaInsideVPC']));
    expect(ids.includes('annotation::HIPAA.Security-LambdaConcurrency')).toBe(!expected.reserved);
    expect(auth.securityTriggers.reservesConcurrency).toBe(expected.reserved);
  });
});

describe('security trigger options', () => {
  test('failureMode FAIL_CLOSED reaches the lockout functions', () => {
    const { template, auth } = synthesize('prod', { securityTriggers: { failureMode: LockoutFailureMode.FAIL_CLOSED } });
    expect(auth.securityTriggers.failureMode).toBe(LockoutFailureMode.FAIL_CLOSED);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LOCKOUT_FAILURE_MODE: 'FAIL_CLOSED' }) } });
    expect(JSON.stringify(template.toJSON())).not.toContain('FAIL_OPEN');
  });

  test('reserved concurrency can be turned off, sized, or turned on in dev', () => {
    const off = synthesize('prod', { securityTriggers: { reserveConcurrency: false } }).template;
    expect(Object.values(off.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.ReservedConcurrentExecutions !== undefined)).toEqual([]);
    const sized = synthesize('dev', { securityTriggers: { reserveConcurrency: true, authenticationConcurrency: 60, messageConcurrency: 4 } }).template;
    const reserved = Object.values(sized.findResources('AWS::Lambda::Function')).map((f) => f.Properties.ReservedConcurrentExecutions).filter((c) => c !== undefined);
    // The four security triggers and the pre token generation function, which is sized like the authentication triggers.
    expect(reserved.sort()).toEqual([4, 4, 60, 60, 60]);
  });

  test('the role names reach the PreSignUp trigger, through the narrow props', () => {
    const stack = new Stack(new App(), 'Roles', { env: { region: 'eu-west-1' } });
    const pool = new cognito.UserPool(stack, 'Pool');
    const triggers = new SecurityTriggers(stack, 'Triggers', {
      userPool: pool,
      encryptionKey: new kms.Key(stack, 'Key'),
      resourcePrefix: 'staging-clinic-cognito',
      lockoutMaxAttempts: 5,
      lockoutDuration: Duration.minutes(30),
      logRetention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      failureMode: LockoutFailureMode.FAIL_OPEN,
      reserveConcurrency: false,
      authenticationConcurrency: 25,
      messageConcurrency: 10,
      healthcareRoles: ['clinic_admin', 'physician', 'midwife'],
      clinicalRoles: ['physician', 'midwife'],
    });
    expect(triggers.healthcareRoles).toEqual(['clinic_admin', 'physician', 'midwife']);
    expect(triggers.clinicalRoles).toEqual(['physician', 'midwife']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { HEALTHCARE_ROLES: '["clinic_admin","physician","midwife"]', CLINICAL_ROLES: '["physician","midwife"]' } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOCKOUT_MAX_ATTEMPTS: '5', LOCKOUT_DURATION_SECONDS: '1800' }) },
    });
  });

  test('MedflowCognito passes its custom roles and their clinical flags to the PreSignUp trigger', () => {
    const midwife = HealthcareRole.custom({ name: 'midwife', precedence: 25, description: 'Midwife', scopes: [MedflowScope.PATIENTS_READ], clinical: true });
    const { auth } = synthesize('staging', { healthcareRoles: [HealthcareRole.CLINIC_ADMIN, midwife] });
    expect(auth.securityTriggers.healthcareRoles).toEqual(['clinic_admin', 'midwife']);
    expect(auth.securityTriggers.clinicalRoles).toEqual(['midwife']);
  });

  test('with a vpc the functions run in its private subnets, with interface permissions scoped and acknowledged, and nag stays clean', () => {
    const app = new App();
    const stack = new Stack(app, 'WithVpc', { env: { region: 'eu-west-1', account: '111111111111' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, securityTriggers: { vpc } });
    const template = Template.fromStack(stack);
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.VpcConfig);
    expect(functions).toHaveLength(4);
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((s) => [s.Action].flat().includes('ec2:DescribeNetworkInterfaces'))).toHaveLength(4);
    expect(statements.filter((s) => [s.Action].flat().includes('ec2:CreateNetworkInterface'))).toHaveLength(4);
    const vpcFindings = nagFindings(stack).filter((f) => !f.includes('/Vpc/'));
    expect(vpcFindings).toEqual([]);
  });

  test('dev acknowledges DLQ, VPC and concurrency on a trigger function, and nothing more', () => {
    const { stack } = synthesize('dev');
    const fn = Stack.of(stack).node.findAll().find((c) => c.node.path.endsWith('/SecurityTriggers/PreSignUp'))!;
    const keys = fn.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.keys(m.data as object)).sort();
    expect(keys).toEqual([
      'annotation::HIPAA.Security-LambdaConcurrency', 'annotation::HIPAA.Security-LambdaDLQ', 'annotation::HIPAA.Security-LambdaInsideVPC',
      'annotation::NIST.800.53.R5-LambdaConcurrency', 'annotation::NIST.800.53.R5-LambdaDLQ', 'annotation::NIST.800.53.R5-LambdaInsideVPC',
    ]);
  });

  test('metrics: AccountLocked, LockoutStoreUnavailable and SignUpRejected in MedFlow/Cognito by user pool', () => {
    const { stack, auth } = synthesize('prod');
    const metric = auth.securityTriggers.metricAccountLocked();
    expect(metric.namespace).toBe('MedFlow/Cognito');
    expect(SecurityTriggers.METRICS_NAMESPACE).toBe('MedFlow/Cognito');
    expect(metric.metricName).toBe('AccountLocked');
    expect(metric.statistic).toBe('Sum');
    expect(stack.resolve(metric.dimensions)).toEqual({ UserPoolId: stack.resolve(auth.userPoolId) });
    expect(auth.securityTriggers.metricLockoutStoreUnavailable({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
    expect(auth.securityTriggers.metricSignUpRejected().metricName).toBe('SignUpRejected');
  });

  test('grantUnlock lets an admin role delete lock items, and nothing else', () => {
    const stack = new Stack(new App(), 'Unlock', { env: { region: 'eu-west-1' } });
    const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL });
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    auth.securityTriggers.grantUnlock(admin);
    const template = Template.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles).includes('Admin'));
    const statements = policy!.Properties.PolicyDocument.Statement;
    expect(statements.map((s: { Action: unknown }) => s.Action)).toEqual([['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], 'dynamodb:DeleteItem']);
  });

  test('lockKey is the documented hash', () => {
    expect(SecurityTriggers.lockKey('eu-west-3_Tr1ggErs9', 'User@Clinic.example'))
      .toBe(createHash('sha256').update('eu-west-3_Tr1ggErs9:user@clinic.example').digest('hex'));
  });
});

describe('security trigger props are validated', () => {
  const custom = (overrides: object) => EnvironmentPreset.custom({ ...EnvironmentPreset.prod().settings, ...overrides });
  const build = (props: object) => () => new MedflowCognito(new Stack(new App(), 'Bad'), 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, ...props });

  test.each([
    [{ preset: custom({ lockoutMaxAttempts: 0 }) }, /MedflowCognito: invalid preset\.lockoutMaxAttempts 0; allowed: a whole number from 1 to 100\./],
    [{ preset: custom({ lockoutMaxAttempts: 2.5 }) }, /invalid preset\.lockoutMaxAttempts 2\.5/],
    [{ preset: custom({ lockoutDuration: Duration.seconds(30) }) }, /invalid preset\.lockoutDuration 30 seconds; allowed: from 1 minute to 1 day\./],
    [{ preset: custom({ lockoutDuration: Duration.days(2) }) }, /invalid preset\.lockoutDuration 2 days/],
    [{ preset: custom({ lockoutDuration: Duration.millis(90_500) }) }, /invalid preset\.lockoutDuration .*; allowed: a whole number of seconds\./],
    [{ securityTriggers: { authenticationConcurrency: 0 } }, /invalid securityTriggers\.authenticationConcurrency 0; allowed: a whole number from 1 to 1000\./],
    [{ securityTriggers: { messageConcurrency: 5000 } }, /invalid securityTriggers\.messageConcurrency 5000/],
    [{ securityTriggers: { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } }, /invalid securityTriggers\.vpcSubnets given without vpc; allowed: vpcSubnets only together with vpc\./],
    [{ securityTriggers: { failureMode: 'FAIL_CLOSE' as LockoutFailureMode } }, /invalid securityTriggers\.failureMode "FAIL_CLOSE"; allowed: LockoutFailureMode\.FAIL_OPEN or LockoutFailureMode\.FAIL_CLOSED\./],
  ])('%j fails with a clear error', (props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('a valid custom lockout passes', () => {
    const auth = construct('prod', { preset: custom({ lockoutMaxAttempts: 3, lockoutDuration: Duration.minutes(15) }) });
    expect(auth.settings.lockoutMaxAttempts).toBe(3);
  });
});

test('an environment-agnostic stack with a vpc is nag-clean too', () => {
  const stack = new Stack(new App(), 'AgnosticVpc');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.staging(), email: TEST_EMAIL, securityTriggers: { vpc } });
  expect(nagFindings(stack).filter((f) => !f.includes('/Vpc/'))).toEqual([]);
});
