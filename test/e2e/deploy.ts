/*
 * Creates on moto, with the AWS SDK, exactly what a synthesized MedFlow auth stack describes:
 * user pool, resource server, app client, domain, groups, lockout table, secret (and its sync
 * custom resource, run in-process), SSM parameters and identity pool. Every property goes through
 * a PropertyReader, so a property that is neither mapped nor listed as unsupported fails the deploy.
 */
import * as http from 'node:http';
import {
  CognitoIdentityClient, CreateIdentityPoolCommand, CreateIdentityPoolCommandInput,
} from '@aws-sdk/client-cognito-identity';
import {
  CognitoIdentityProviderClient, CreateGroupCommand, CreateResourceServerCommand, CreateUserPoolClientCommand,
  CreateUserPoolClientCommandInput, CreateUserPoolCommand, CreateUserPoolCommandInput, CreateUserPoolDomainCommand, SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand, CreateTableCommandInput, DynamoDBClient, UpdateContinuousBackupsCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, CreateKeyCommandInput, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, GetRandomPasswordCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { deployEmail } from './deploy-email';
import { OperationsDeployment, deployOperations } from './deploy-operations';
import { NOT_DEPLOYED, PROPERTY_COVERAGE, PropertyReader } from './property-coverage';
import { ACCOUNT, PhysicalIds, REGION, Template, TemplateResource, loadTemplate, resourcesOfType } from './template';

/** The Cognito trigger names of LambdaConfig and the function each points to. */
export type TriggerName = 'PreSignUp' | 'PreAuthentication' | 'PostAuthentication' | 'CustomMessage' | 'PreTokenGeneration';

export interface Deployment {
  readonly stackName: string;
  readonly template: Template;
  readonly ids: PhysicalIds;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly tableName: string;
  readonly secretArn?: string;
  readonly identityPoolId?: string;
  /** The resolved environment variables of each trigger's function. */
  readonly triggerEnvironment: Partial<Record<TriggerName, Record<string, string>>>;
  /** Resolved environment variables of every function, by logical ID. */
  readonly functionEnvironment: Record<string, Record<string, string>>;
  /** Every reader, for the coverage assertions. */
  readonly readers: PropertyReader[];
  /** Properties of the resources moto cannot create, resolved where possible, for tests that check them by other means. */
  readonly unsupportedResources: Record<string, TemplateResource>;
  /** The operations resources created on moto (buckets, log groups, queue, topic, alarms, dashboard, schedule, budget). */
  readonly operations: OperationsDeployment;
  /** The SES configuration sets created on moto. */
  readonly emailConfigurationSets: string[];
}

const clients = () => ({
  cognito: new CognitoIdentityProviderClient({}),
  identity: new CognitoIdentityClient({}),
  dynamodb: new DynamoDBClient({}),
  kms: new KMSClient({}),
  secrets: new SecretsManagerClient({}),
  ssm: new SSMClient({}),
});

const tagsListToMap = (tags: unknown): Record<string, string> =>
  Object.fromEntries((tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));

/** Runs the sync custom resource's handler in-process with a CloudFormation Create event. */
async function runCustomResource(
  handlerModule: string, logicalId: string, properties: Record<string, unknown>,
): Promise<{ Status: string; Reason: string }> {
  let received: { Status: string; Reason: string } | undefined;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      received = JSON.parse(body);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(handlerModule) as { handler: (event: unknown) => Promise<void> };
    await handler({
      RequestType: 'Create',
      ResponseURL: `http://127.0.0.1:${port}/response`,
      StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/rehearsal/1`,
      RequestId: 'rehearsal-create',
      LogicalResourceId: logicalId,
      ResourceProperties: properties,
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  if (!received) throw new Error(`The custom resource ${logicalId} sent no response.`);
  return received;
}

export async function deployStack(stackName: string, options: { suffix?: string } = {}): Promise<Deployment> {
  const template = loadTemplate(stackName);
  const aws = clients();
  const ids = new PhysicalIds();
  const readers: PropertyReader[] = [];
  const unsupportedResources: Record<string, TemplateResource> = {};
  const suffix = options.suffix ?? '';
  const reader = (logicalId: string, resource: TemplateResource) => {
    const r = new PropertyReader(resource.Type, logicalId, resource.Properties ?? {});
    readers.push(r);
    return r;
  };

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!PROPERTY_COVERAGE[resource.Type] && !NOT_DEPLOYED[resource.Type]) {
      throw new Error(`${stackName} ${logicalId}: resource type ${resource.Type} is neither deployed nor listed in NOT_DEPLOYED.`);
    }
  }

  // Functions are run in-process; their ARNs only label LambdaConfig and the custom resource.
  const functionArns = new Map<string, string>();
  for (const [logicalId] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
    ids.setAtt(logicalId, 'Arn', arn);
    ids.setRef(logicalId, logicalId);
    functionArns.set(arn, logicalId);
  }
  // Roles are not created (NOT_DEPLOYED); their ARNs only label policies, schedule targets and log deliveries.
  for (const [logicalId] of resourcesOfType(template, 'AWS::IAM::Role')) {
    ids.setAtt(logicalId, 'Arn', `arn:aws:iam::${ACCOUNT}:role/${logicalId}`);
    ids.setRef(logicalId, logicalId);
  }
  // A stand-in KMS key: the table's SSE, the secret and the pool's KeyConfiguration reference its ARN.
  // The user data key is multi-Region (Cognito replicates a pool only under one), and so is its stand-in;
  // the key spec and usage are kept, so that the export's HMAC key signs with GenerateMac on moto.
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::KMS::Key')) {
    const { KeySpec, KeyUsage, MultiRegion } = (resource.Properties ?? {}) as { KeySpec?: string; KeyUsage?: string; MultiRegion?: boolean };
    const key = await aws.kms.send(new CreateKeyCommand({
      Description: `stand-in for ${stackName}/${logicalId}`,
      MultiRegion: MultiRegion === true,
      KeySpec: KeySpec as CreateKeyCommandInput['KeySpec'],
      KeyUsage: KeyUsage as CreateKeyCommandInput['KeyUsage'],
    }));
    ids.setAtt(logicalId, 'Arn', key.KeyMetadata!.Arn!);
    ids.setRef(logicalId, key.KeyMetadata!.KeyId!);
  }

  // The configuration set the pool's EmailConfiguration names exists first, as CloudFormation orders it.
  const emailConfigurationSets = await deployEmail(template, ids, reader);

  // User pool.
  const [poolLogicalId, poolResource] = resourcesOfType(template, 'AWS::Cognito::UserPool')[0];
  const pool = reader(poolLogicalId, poolResource);
  const poolInput: CreateUserPoolCommandInput = { PoolName: `${ids.resolve<string>(pool.get('UserPoolName'))}${suffix}` };
  for (const name of [
    'AccountRecoverySetting', 'AdminCreateUserConfig', 'AutoVerifiedAttributes', 'DeletionProtection', 'EmailVerificationMessage',
    'EmailVerificationSubject', 'SmsVerificationMessage', 'VerificationMessageTemplate', 'LambdaConfig', 'MfaConfiguration', 'Policies',
    'Schema', 'UserAttributeUpdateSettings', 'UserPoolAddOns', 'UserPoolTags', 'UserPoolTier', 'UsernameAttributes', 'UsernameConfiguration',
    'KeyConfiguration',
    'DeviceConfiguration',
    'EmailConfiguration',
  ]) {
    const value = pool.get(name);
    if (value !== undefined) (poolInput as unknown as Record<string, unknown>)[name] = ids.resolve(value);
  }
  const createdPool = await aws.cognito.send(new CreateUserPoolCommand(poolInput));
  const userPoolId = createdPool.UserPool!.Id!;
  ids.setRef(poolLogicalId, userPoolId);
  ids.setAtt(poolLogicalId, 'Arn', createdPool.UserPool!.Arn!);
  ids.setAtt(poolLogicalId, 'ProviderName', `cognito-idp.${REGION}.amazonaws.com/${userPoolId}`);
  const enabledMfas = pool.get('EnabledMfas') as string[] | undefined;
  if (enabledMfas) {
    await aws.cognito.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: ids.resolve(pool.get('MfaConfiguration')),
      SoftwareTokenMfaConfiguration: { Enabled: enabledMfas.includes('SOFTWARE_TOKEN_MFA') },
    }));
  }
  pool.assertComplete();

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Cognito::UserPoolResourceServer')) {
    const r = reader(logicalId, resource);
    await aws.cognito.send(new CreateResourceServerCommand({
      UserPoolId: ids.resolve(r.get('UserPoolId')),
      Identifier: ids.resolve(r.get('Identifier')),
      Name: ids.resolve(r.get('Name')),
      Scopes: ids.resolve(r.get('Scopes')),
    }));
    ids.setRef(logicalId, ids.resolve(r.get('Identifier')));
    r.assertComplete();
  }

  let clientId = '';
  let clientSecret: string | undefined;
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Cognito::UserPoolClient')) {
    const r = reader(logicalId, resource);
    const input: Record<string, unknown> = {};
    for (const name of Object.keys(PROPERTY_COVERAGE[resource.Type])) {
      const value = r.get(name);
      if (value !== undefined) input[name] = ids.resolve(value);
    }
    const created = await aws.cognito.send(new CreateUserPoolClientCommand(input as unknown as CreateUserPoolClientCommandInput));
    ids.setRef(logicalId, created.UserPoolClient!.ClientId!);
    clientId = created.UserPoolClient!.ClientId!;
    clientSecret = created.UserPoolClient!.ClientSecret;
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Cognito::UserPoolDomain')) {
    const r = reader(logicalId, resource);
    const domain = `${ids.resolve<string>(r.get('Domain'))}${suffix}`;
    await aws.cognito.send(new CreateUserPoolDomainCommand({
      UserPoolId: ids.resolve(r.get('UserPoolId')), Domain: domain, ManagedLoginVersion: ids.resolve(r.get('ManagedLoginVersion')),
    }));
    ids.setRef(logicalId, domain);
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Cognito::UserPoolGroup')) {
    const r = reader(logicalId, resource);
    await aws.cognito.send(new CreateGroupCommand({
      UserPoolId: ids.resolve(r.get('UserPoolId')),
      GroupName: ids.resolve(r.get('GroupName')),
      Description: ids.resolve(r.get('Description')),
      Precedence: ids.resolve(r.get('Precedence')),
    }));
    ids.setRef(logicalId, ids.resolve(r.get('GroupName')));
    r.assertComplete();
  }

  const createTable = async (input: CreateTableCommandInput, ttlProperty: unknown, pitrProperty: unknown) => {
    await aws.dynamodb.send(new CreateTableCommand(input));
    const ttl = ids.resolve<{ AttributeName: string; Enabled: boolean } | undefined>(ttlProperty);
    if (ttl) await aws.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: ttl }));
    const pitr = ids.resolve<{ PointInTimeRecoveryEnabled: boolean } | undefined>(pitrProperty);
    if (pitr) await aws.dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: input.TableName, PointInTimeRecoverySpecification: pitr }));
  };
  let tableName = '';
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    const r = reader(logicalId, resource);
    tableName = `${ids.resolve<string>(r.get('TableName'))}${suffix}`;
    const sse = ids.resolve<{ SSEEnabled: boolean; SSEType: string; KMSMasterKeyId: string }>(r.get('SSESpecification'));
    const input: CreateTableCommandInput = {
      TableName: tableName,
      AttributeDefinitions: ids.resolve(r.get('AttributeDefinitions')),
      KeySchema: ids.resolve(r.get('KeySchema')),
      BillingMode: ids.resolve(r.get('BillingMode')),
      DeletionProtectionEnabled: ids.resolve(r.get('DeletionProtectionEnabled')),
      SSESpecification: sse && { Enabled: sse.SSEEnabled, SSEType: sse.SSEType as 'KMS', KMSMasterKeyId: sse.KMSMasterKeyId },
      Tags: ids.resolve(r.get('Tags')),
    };
    await createTable(input, r.get('TimeToLiveSpecification'), r.get('PointInTimeRecoverySpecification'));
    ids.setRef(logicalId, tableName);
    r.assertComplete();
  }
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::DynamoDB::GlobalTable')) {
    const r = reader(logicalId, resource);
    tableName = `${ids.resolve<string>(r.get('TableName'))}${suffix}`;
    const sse = ids.resolve<{ SSEEnabled: boolean; SSEType: string }>(r.get('SSESpecification'));
    // The stack Region's replica: CDK renders it after the other Regions' (TableV2.renderReplicaTables).
    const replicas = r.get('Replicas') as Record<string, unknown>[];
    const local = replicas[replicas.length - 1];
    const localSse = ids.resolve<{ KMSMasterKeyId: string } | undefined>(local.SSESpecification);
    const stream = ids.resolve<{ StreamViewType: string } | undefined>(r.get('StreamSpecification'));
    const input: CreateTableCommandInput = {
      TableName: tableName,
      AttributeDefinitions: ids.resolve(r.get('AttributeDefinitions')),
      KeySchema: ids.resolve(r.get('KeySchema')),
      BillingMode: ids.resolve(r.get('BillingMode')),
      DeletionProtectionEnabled: ids.resolve(local.DeletionProtectionEnabled),
      SSESpecification: sse && { Enabled: sse.SSEEnabled, SSEType: sse.SSEType as 'KMS', KMSMasterKeyId: localSse?.KMSMasterKeyId },
      StreamSpecification: stream && { StreamEnabled: true, StreamViewType: stream.StreamViewType as 'NEW_AND_OLD_IMAGES' },
      Tags: ids.resolve(local.Tags),
    };
    await createTable(input, r.get('TimeToLiveSpecification'), local.PointInTimeRecoverySpecification);
    ids.setRef(logicalId, tableName);
    r.assertComplete();
  }

  let secretArn: string | undefined;
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SecretsManager::Secret')) {
    const r = reader(logicalId, resource);
    const generate = ids.resolve<{ SecretStringTemplate: string; GenerateStringKey: string }>(r.get('GenerateSecretString'));
    const random = await aws.secrets.send(new GetRandomPasswordCommand({ PasswordLength: 32, ExcludePunctuation: true }));
    const secretString = JSON.stringify({ ...JSON.parse(generate.SecretStringTemplate), [generate.GenerateStringKey]: random.RandomPassword });
    const created = await aws.secrets.send(new CreateSecretCommand({
      Name: `${ids.resolve<string>(r.get('Name'))}${suffix}`,
      Description: ids.resolve(r.get('Description')),
      KmsKeyId: ids.resolve(r.get('KmsKeyId')),
      Tags: ids.resolve(r.get('Tags')),
      SecretString: secretString,
    }));
    secretArn = created.ARN!;
    ids.setRef(logicalId, secretArn);
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'Custom::MedflowClientSecretSync')) {
    const r = reader(logicalId, resource);
    const token = ids.resolve<string>(r.get('ServiceToken'));
    const fnLogicalId = functionArns.get(token);
    const code = template.Resources[fnLogicalId ?? '']?.Properties?.Code as { S3Key?: string } | undefined;
    if (!fnLogicalId || !code) throw new Error(`${logicalId}: ServiceToken ${token} is not a function of the template.`);
    const properties = { UserPoolId: ids.resolve(r.get('UserPoolId')), ClientId: ids.resolve(r.get('ClientId')), SecretId: ids.resolve(r.get('SecretId')) };
    const response = await runCustomResource('../../src/backend-config/client-secret-sync.lambda', logicalId, properties);
    if (response.Status !== 'SUCCESS') throw new Error(`${logicalId} failed: ${response.Reason}`);
    r.assertComplete();
  }

  let identityPoolId: string | undefined;
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Cognito::IdentityPool')) {
    const r = reader(logicalId, resource);
    const input: CreateIdentityPoolCommandInput = {
      IdentityPoolName: ids.resolve(r.get('IdentityPoolName')),
      AllowUnauthenticatedIdentities: ids.resolve(r.get('AllowUnauthenticatedIdentities')),
      AllowClassicFlow: ids.resolve(r.get('AllowClassicFlow')),
      CognitoIdentityProviders: ids.resolve(r.get('CognitoIdentityProviders')),
      IdentityPoolTags: tagsListToMap(ids.resolve(r.get('IdentityPoolTags'))),
    };
    const created = await aws.identity.send(new CreateIdentityPoolCommand(input));
    identityPoolId = created.IdentityPoolId!;
    ids.setRef(logicalId, identityPoolId);
    r.assertComplete();
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SSM::Parameter')) {
    const r = reader(logicalId, resource);
    const tags = ids.resolve<Record<string, string> | undefined>(r.get('Tags'));
    await aws.ssm.send(new PutParameterCommand({
      Name: ids.resolve(r.get('Name')),
      Value: ids.resolve(r.get('Value')),
      Type: ids.resolve(r.get('Type')),
      Description: ids.resolve(r.get('Description')),
      Tier: ids.resolve(r.get('Tier')),
      Tags: tags && Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }));
    ids.setRef(logicalId, ids.resolve(r.get('Name')));
    r.assertComplete();
  }

  const operations = await deployOperations(stackName, template, ids, reader);

  // Resources moto cannot create: every property must be listed as unsupported.
  for (const type of [
    'AWS::Cognito::LogDeliveryConfiguration', 'AWS::Cognito::ManagedLoginBranding', 'AWS::Cognito::IdentityPoolRoleAttachment', 'AWS::Cognito::IdentityPoolPrincipalTag',
    'AWS::SecretsManager::RotationSchedule', 'AWS::Cognito::UserPoolRiskConfigurationAttachment', 'AWS::Cognito::UserPoolReplica', 'Custom::CrossRegionExportWriter',
  ]) {
    for (const [logicalId, resource] of resourcesOfType(template, type)) {
      reader(logicalId, resource).assertComplete();
      unsupportedResources[logicalId] = resource;
    }
  }

  const functionEnvironment: Record<string, Record<string, string>> = {};
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const variables = (resource.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables;
    functionEnvironment[logicalId] = variables ? ids.resolve(variables) : {};
  }
  const lambdaConfig = ids.resolve<Record<string, unknown>>(poolResource.Properties?.LambdaConfig ?? {});
  const triggerEnvironment: Deployment['triggerEnvironment'] = {};
  for (const [name, value] of Object.entries(lambdaConfig)) {
    const arn = name === 'PreTokenGenerationConfig' ? (value as { LambdaArn: string }).LambdaArn : value as string;
    const fn = functionArns.get(arn);
    if (!fn) throw new Error(`LambdaConfig.${name} points to ${arn}, which is not a function of the template.`);
    triggerEnvironment[(name === 'PreTokenGenerationConfig' ? 'PreTokenGeneration' : name) as TriggerName] = functionEnvironment[fn];
  }

  return {
    stackName,
    template,
    ids,
    userPoolId,
    clientId,
    clientSecret,
    tableName,
    secretArn,
    identityPoolId,
    triggerEnvironment,
    functionEnvironment,
    readers,
    unsupportedResources,
    operations,
    emailConfigurationSets,
  };
}
