import { App, Stack, aws_certificatemanager as acm, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { BackendConfig, EnvironmentPreset, MedflowCognito } from '../../src';
import { construct, synthesize, TEST_EMAIL } from '../helpers';

function backendFunction(stack: Stack, id = 'Backend'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
}

function resolved(stack: Stack, value: unknown): unknown {
  return stack.resolve(value);
}

describe('SSM parameters', () => {
  test('prod: seven String parameters under /prod/medflow/cognito/', () => {
    const { template, auth, stack } = synthesize('prod');
    const params = Object.values(template.findResources('AWS::SSM::Parameter')).map((p) => p.Properties);
    expect(params.map((p) => p.Name)).toEqual([
      '/prod/medflow/cognito/user-pool-id',
      '/prod/medflow/cognito/client-id',
      '/prod/medflow/cognito/region',
      '/prod/medflow/cognito/authority',
      '/prod/medflow/cognito/identity-pool-id',
      '/prod/medflow/cognito/domain',
      '/prod/medflow/cognito/client-secret-arn',
    ]);
    expect(params.every((p) => p.Type === 'String' && p.Tier === 'Standard')).toBe(true);
    const byName = Object.fromEntries(params.map((p) => [p.Name.split('/').pop(), p.Value]));
    expect(byName['user-pool-id']).toEqual(resolved(stack, auth.userPoolId));
    expect(byName['client-id']).toEqual(resolved(stack, auth.appClientId));
    expect(byName.region).toBe('eu-west-1');
    expect(byName.authority).toEqual(resolved(stack, auth.authority));
    expect(byName['identity-pool-id']).toEqual(resolved(stack, auth.identityPoolId));
    expect(byName.domain).toEqual({ 'Fn::Join': ['', [{ Ref: expect.stringMatching(/UserPoolDomain/) }, '.auth.eu-west-1.amazoncognito.com']] });
    // The secret's ARN, and nothing else about the secret: no parameter holds or resolves its value.
    expect(byName['client-secret-arn']).toEqual(resolved(stack, auth.clientSecret!.secretArn));
    expect(JSON.stringify(params)).not.toMatch(/resolve:secretsmanager|SecretString|GetSecretValue/);
    expect(auth.backendConfig.clientSecretArnParameterName).toBe('/prod/medflow/cognito/client-secret-arn');
  });

  test('the paths are exposed as attributes', () => {
    const { auth } = synthesize('staging', { projectName: 'clinic-one' });
    const config = auth.backendConfig;
    expect(config.parameterPath).toBe('/staging/clinic-one/cognito');
    expect([config.userPoolIdParameterName, config.clientIdParameterName, config.regionParameterName, config.authorityParameterName,
      config.identityPoolIdParameterName, config.domainParameterName]).toEqual([
      '/staging/clinic-one/cognito/user-pool-id', '/staging/clinic-one/cognito/client-id', '/staging/clinic-one/cognito/region',
      '/staging/clinic-one/cognito/authority', '/staging/clinic-one/cognito/identity-pool-id', '/staging/clinic-one/cognito/domain',
    ]);
    expect(config.parameters).toHaveLength(7);
  });

  test('dev: no identity pool parameter; without a hosted UI no domain parameter', () => {
    const dev = synthesize('dev');
    expect(dev.auth.backendConfig.identityPoolIdParameterName).toBeUndefined();
    dev.template.resourceCountIs('AWS::SSM::Parameter', 5);
    const headless = synthesize('dev', { enableHostedUi: false });
    headless.template.resourceCountIs('AWS::SSM::Parameter', 4);
    expect(headless.auth.backendConfig.domainParameterName).toBeUndefined();
  });

  test('a custom domain is stored as its host name', () => {
    const { template } = synthesize('prod', {
      customDomain: {
        domainName: 'auth.medflow.example',
        certificate: acm.Certificate.fromCertificateArn(new Stack(), 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/prod/medflow/cognito/domain', Value: 'auth.medflow.example' });
  });

  test('a bad parameter path is refused with the rule', () => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new BackendConfig(stack, 'Config', { parameterPath: '/prod/medflow/cognito/', userPoolId: 'p', clientId: 'c', region: 'r', authority: 'a' }))
      .toThrow(/BackendConfig: invalid parameterPath "\/prod\/medflow\/cognito\/"; allowed: an SSM path such as \/prod\/medflow\/cognito/);
  });
});

describe('environmentVariables', () => {
  test('prod: every key, the secret as an ARN and never as a value', () => {
    const { auth, stack } = synthesize('prod');
    const env = auth.backendConfig.environmentVariables;
    expect(Object.keys(env).sort()).toEqual([
      'COGNITO_AUTHORITY', 'COGNITO_CLIENT_ID', 'COGNITO_CLIENT_SECRET_ARN', 'COGNITO_CONFIG_PATH',
      'COGNITO_IDENTITY_POOL_ID', 'COGNITO_REGION', 'COGNITO_USER_POOL_ID',
    ]);
    expect(resolved(stack, env.COGNITO_CLIENT_SECRET_ARN)).toEqual(resolved(stack, auth.clientSecret!.secretArn));
    expect(env.COGNITO_CONFIG_PATH).toBe('/prod/medflow/cognito');
    expect(env.COGNITO_REGION).toBe('eu-west-1');
    expect(resolved(stack, env.COGNITO_AUTHORITY)).toEqual(resolved(stack, auth.authority));
    expect(JSON.stringify(resolved(stack, env))).not.toContain('ClientSecret"]');
  });

  test('dev: no secret ARN and no identity pool ID', () => {
    const { auth } = synthesize('dev');
    expect(Object.keys(auth.backendConfig.environmentVariables).sort()).toEqual([
      'COGNITO_AUTHORITY', 'COGNITO_CLIENT_ID', 'COGNITO_CONFIG_PATH', 'COGNITO_REGION', 'COGNITO_USER_POOL_ID',
    ]);
  });
});

describe('grantRead', () => {
  test('same stack: one customer-managed policy with exactly the parameters, the secret and Decrypt through Secrets Manager', () => {
    const auth = construct('prod');
    const stack = Stack.of(auth);
    const fn = backendFunction(stack);
    auth.backendConfig.grantRead(fn);
    auth.backendConfig.grantRead(fn);
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole);
    const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0];
    const parameterArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:', { Ref: 'AWS::AccountId' }, `:parameter/prod/medflow/cognito/${name}`]] });
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters'],
        Resource: ['user-pool-id', 'client-id', 'region', 'authority', 'identity-pool-id', 'domain', 'client-secret-arn'].map(parameterArn),
      },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resolved(stack, auth.clientSecret!.secretArn) },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: resolved(stack, auth.encryptionKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      },
    ]);
    // No inline policy, and the function waits for its permissions.
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    const fnResource = template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)];
    expect(fnResource.DependsOn).toEqual(expect.arrayContaining([policyId]));
  });

  test('a client without a secret grants the parameters only', () => {
    const auth = construct('dev');
    const stack = Stack.of(auth);
    const fn = backendFunction(stack);
    auth.backendConfig.grantRead(fn);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => p.Properties.Description?.startsWith('Reads the Cognito backend configuration'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((s) => s.Action)).toEqual([['ssm:GetParameter', 'ssm:GetParameters']]);
  });

  test('a grantee in another stack: the policy lives in its stack, imports from the auth stack, and nothing points back', () => {
    const app = new App();
    const authStack = new Stack(app, 'Auth', { env: { region: 'eu-west-1', account: '111111111111' } });
    const auth = new MedflowCognito(authStack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL });
    const backendStack = new Stack(app, 'ClinicApi', { env: { region: 'eu-west-1', account: '111111111111' } });
    const fn = backendFunction(backendStack);
    auth.backendConfig.grantRead(fn);
    for (const [name, value] of Object.entries(auth.backendConfig.environmentVariables)) fn.addEnvironment(name, value);

    // A cyclic reference would throw here.
    const assembly = app.synth();
    const authTemplate = JSON.stringify(assembly.getStackByName('Auth').template);
    const backendTemplate = assembly.getStackByName('ClinicApi').template;
    expect(authTemplate).not.toContain('Fn::ImportValue');
    expect(authTemplate).not.toContain('ClinicApi');
    expect(backendStack.dependencies.map((s) => s.stackName)).toEqual(['Auth']);
    expect(authStack.dependencies).toEqual([]);

    const policies = Object.values(backendTemplate.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy');
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    expect(statements[0].Resource[0]).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:111111111111:parameter/prod/medflow/cognito/user-pool-id']] });
    expect(statements[1].Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Auth:ExportsOutputRef/) });
    expect(statements[2].Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Auth:ExportsOutputFnGetAtt/) });
    expect(Object.values(backendTemplate.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::IAM::Policy')).toEqual([]);

    const nag = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()]
      .flatMap((pack) => pack.validateScope(backendStack).violations.map((v) => v.ruleName));
    // The test function's own role uses the AWS managed basic execution policy (IAM4); the grant adds no finding.
    expect(nag.filter((rule) => /IAM5|InlinePolicy|NoStatementsWith|Wildcard/.test(rule))).toEqual([]);
  });

  test('a principal that is not a role of this app receives the statements through its own policy', () => {
    const auth = construct('prod');
    const stack = Stack.of(auth);
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/backend', { mutable: true });
    auth.backendConfig.grantRead(imported);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['backend'],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'secretsmanager:GetSecretValue' })]) },
    });
  });
});
