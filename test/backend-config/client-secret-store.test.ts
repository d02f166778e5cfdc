import { Template } from 'aws-cdk-lib/assertions';
import { PresetName, synthesize } from '../helpers';

const SYNC_TYPE = 'Custom::MedflowClientSecretSync';

type Resource = {
  Type: string;
  Properties?: Record<string, any>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, any>;
};

/** A resource found by logical ID, with its type checked. */
interface Found {
  readonly id: string;
  readonly resource: Resource;
}

/** The secret store's resources, found by following references out of the custom resource. */
interface SecretStore {
  readonly resources: Record<string, Resource>;
  readonly sync: Found;
  readonly fn: Found;
  readonly role: Found;
  readonly logGroup: Found;
  readonly secret: Found;
  readonly key: Found;
  readonly pool: Found;
  readonly client: Found;
  readonly policy: Found;
}

function only<T>(items: T[], what: string): T {
  if (items.length !== 1) {
    throw new Error(`Expected exactly one ${what}, found ${items.length}.`);
  }
  return items[0];
}

function resourceOfType(resources: Record<string, Resource>, id: string, type: string): Found {
  const resource = resources[id];
  expect(resource?.Type).toBe(type);
  return { id, resource };
}

function refId(value: any): string {
  expect(value).toEqual({ Ref: expect.any(String) });
  return value.Ref;
}

function getAttId(value: any, attribute: string): string {
  expect(value).toEqual({ 'Fn::GetAtt': [expect.any(String), attribute] });
  return value['Fn::GetAtt'][0];
}

function secretStoreOf(template: Template): SecretStore {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const [syncId, syncResource] = only(Object.entries(resources).filter(([, r]) => r.Type === SYNC_TYPE), SYNC_TYPE);
  const props = syncResource.Properties!;
  const fn = resourceOfType(resources, getAttId(props.ServiceToken, 'Arn'), 'AWS::Lambda::Function');
  const role = resourceOfType(resources, getAttId(fn.resource.Properties!.Role, 'Arn'), 'AWS::IAM::Role');
  const logGroup = resourceOfType(resources, refId(fn.resource.Properties!.LoggingConfig?.LogGroup), 'AWS::Logs::LogGroup');
  const secret = resourceOfType(resources, refId(props.SecretId), 'AWS::SecretsManager::Secret');
  const key = resourceOfType(resources, getAttId(secret.resource.Properties!.KmsKeyId, 'Arn'), 'AWS::KMS::Key');
  const pool = resourceOfType(resources, refId(props.UserPoolId), 'AWS::Cognito::UserPool');
  const client = resourceOfType(resources, refId(props.ClientId), 'AWS::Cognito::UserPoolClient');
  const [policyId, policyResource] = only(Object.entries(resources).filter(([, r]) =>
    r.Type === 'AWS::IAM::ManagedPolicy' && (r.Properties?.Roles ?? []).some((ref: any) => ref?.Ref === role.id)), 'managed policy on the sync role');
  return {
    resources,
    sync: { id: syncId, resource: syncResource },
    fn,
    role,
    logGroup,
    secret,
    key,
    pool,
    client,
    policy: { id: policyId, resource: policyResource },
  };
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every statement of every identity policy in the template: managed, inline on a principal, or AWS::IAM::Policy. */
function identityPolicyStatements(resources: Record<string, Resource>): { id: string; statement: any }[] {
  const statements: { id: string; statement: any }[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const documents = resource.Type === 'AWS::IAM::ManagedPolicy' || resource.Type === 'AWS::IAM::Policy'
      ? [resource.Properties?.PolicyDocument]
      : ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(resource.Type)
        ? asArray(resource.Properties?.Policies).map((p: any) => p.PolicyDocument)
        : [];
    for (const document of documents) {
      for (const statement of asArray(document?.Statement)) {
        statements.push({ id, statement });
      }
    }
  }
  return statements;
}

const SYNTHESES: [string, PresetName, boolean | undefined][] = [
  ['prod', 'prod', undefined],
  ['staging', 'staging', undefined],
  ['dev with generateClientSecret', 'dev', true],
];

function synthesizeWithStore(preset: PresetName, generateClientSecret: boolean | undefined): SecretStore {
  const overrides = generateClientSecret === undefined ? {} : { generateClientSecret };
  return secretStoreOf(synthesize(preset, overrides).template);
}

describe('ClientSecretStore', () => {
  const prod = synthesizeWithStore('prod', undefined);

  test('the secret is encrypted with the construct\'s rotating customer-managed key', () => {
    expect(prod.secret.resource.Properties!.KmsKeyId).toEqual({ 'Fn::GetAtt': [prod.key.id, 'Arn'] });
    expect(prod.key.resource.Properties!.EnableKeyRotation).toBe(true);
  });

  test('the custom resource passes the pool, the client and the secret, and is served by the sync function', () => {
    expect(prod.sync.resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [prod.fn.id, 'Arn'] },
      UserPoolId: { Ref: prod.pool.id },
      ClientId: { Ref: prod.client.id },
      SecretId: { Ref: prod.secret.id },
    });
    expect(prod.client.resource.Properties!.GenerateSecret).toBe(true);
  });

  test('the sync function runs nodejs24.x with a timeout below 900 seconds', () => {
    const { Runtime, Timeout } = prod.fn.resource.Properties!;
    expect(Runtime).toBe('nodejs24.x');
    expect(typeof Timeout).toBe('number');
    expect(Timeout).toBeLessThan(900);
  });

  test.each([
    { name: 'prod', preset: 'prod', generateClientSecret: undefined, days: 2192 },
    { name: 'staging', preset: 'staging', generateClientSecret: undefined, days: 365 },
    { name: 'dev with generateClientSecret', preset: 'dev', generateClientSecret: true, days: 30 },
  ] as { name: string; preset: PresetName; generateClientSecret?: boolean; days: number }[])(
    '$name: the function logs to an explicit KMS-encrypted log group kept $days days', ({ preset, generateClientSecret, days }) => {
      const store = synthesizeWithStore(preset, generateClientSecret);
      expect(store.logGroup.resource.Properties).toEqual(expect.objectContaining({
        KmsKeyId: { 'Fn::GetAtt': [store.key.id, 'Arn'] },
        RetentionInDays: days,
      }));
    });

  test('dev without generateClientSecret has no secret store at all', () => {
    const { template } = synthesize('dev');
    template.resourceCountIs(SYNC_TYPE, 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.map((fn) => fn.Properties.Description)).not.toContain(prod.fn.resource.Properties!.Description);
  });

  test('the function\'s role has no AWS managed policy and no inline policy', () => {
    expect(prod.role.resource.Properties!.ManagedPolicyArns).toBeUndefined();
    expect(prod.role.resource.Properties!.Policies).toBeUndefined();
    const inlinePolicies = Object.entries(prod.resources).filter(([, r]) =>
      r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles ?? []).some((ref: any) => ref?.Ref === prod.role.id));
    expect(inlinePolicies).toEqual([]);
  });

  test('its one customer-managed policy grants exactly logs, DescribeUserPoolClient, Get/PutSecretValue and KMS via Secrets Manager', () => {
    const statements = asArray(prod.policy.resource.Properties!.PolicyDocument.Statement);
    expect(statements).toHaveLength(4);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [prod.logGroup.id, 'Arn'] } },
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPoolClient', Resource: { 'Fn::GetAtt': [prod.pool.id, 'Arn'] } },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: { Ref: prod.secret.id } },
      {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [prod.key.id, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      },
    ]));
  });

  test.each(SYNTHESES)('%s: no identity policy statement in the template has Action or Resource "*"', (_name, preset, generateClientSecret) => {
    const store = synthesizeWithStore(preset, generateClientSecret);
    const statements = identityPolicyStatements(store.resources);
    expect(statements.length).toBeGreaterThan(0);
    const wildcards = statements.filter(({ statement }) =>
      asArray(statement.Action).includes('*') || asArray(statement.Resource).includes('*'));
    expect(wildcards).toEqual([]);
  });

  test('the custom resource waits for the role and its policy, so the first invocation can log and call the APIs', () => {
    expect(prod.sync.resource.DependsOn).toEqual(expect.arrayContaining([prod.role.id, prod.policy.id]));
  });

  test.each([
    { name: 'prod', preset: 'prod', generateClientSecret: undefined, policy: 'Retain' },
    { name: 'dev with generateClientSecret', preset: 'dev', generateClientSecret: true, policy: 'Delete' },
  ] as { name: string; preset: PresetName; generateClientSecret?: boolean; policy: string }[])(
    '$name: the secret and the log group have DeletionPolicy $policy', ({ preset, generateClientSecret, policy }) => {
      const store = synthesizeWithStore(preset, generateClientSecret);
      for (const { resource } of [store.secret, store.logGroup]) {
        expect(resource.DeletionPolicy).toBe(policy);
        expect(resource.UpdateReplacePolicy).toBe(policy);
      }
    });

  test('the secret no longer acknowledges the rotation rules: rotation satisfies them', () => {
    const suppressions = prod.secret.resource.Metadata?.cdk_nag?.rules_to_suppress ?? [];
    expect(suppressions.map((entry: any) => entry.id)).not.toContain('AwsSolutions-SMG4');
    expect(Object.keys(prod.resources).filter((id) => prod.resources[id].Type === 'AWS::SecretsManager::RotationSchedule')).toHaveLength(1);
  });
});
