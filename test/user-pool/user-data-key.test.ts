import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synthesize, synthesizeFresh } from '../helpers';

/** The pool's resolved KeyConfiguration, or undefined. */
function keyConfiguration(template: Template): Record<string, unknown> | undefined {
  const pools = Object.values(template.findResources('AWS::Cognito::UserPool'));
  expect(pools).toHaveLength(1);
  return pools[0].Properties.KeyConfiguration;
}

/** The logical ID of the KMS key behind alias `alias/{prefix}-user-data`, or undefined. */
function userDataKeyId(template: Template, prefix: string): string | undefined {
  const alias = Object.values(template.findResources('AWS::KMS::Alias', { Properties: { AliasName: `alias/${prefix}-user-data` } }))[0];
  return alias?.Properties.TargetKeyId['Fn::GetAtt'][0];
}

describe('the user pool data key', () => {
  test.each(['staging', 'prod'] as const)('%s: the pool is under a multi-Region, rotated customer-managed key of its own', (preset) => {
    const { template, auth } = synthesize(preset);
    const keyId = userDataKeyId(template, auth.resourcePrefix);
    expect(keyId).toBeDefined();
    expect(keyConfiguration(template)).toEqual({ KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    const key = template.findResources('AWS::KMS::Key')[keyId!];
    expect(key.Properties).toMatchObject({ MultiRegion: true, EnableKeyRotation: true, PendingWindowInDays: 30 });
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.UpdateReplacePolicy).toBe('Retain');
    // The library key (secrets, lockout table, logs) stays single-Region: MultiRegion cannot change on a deployed key.
    const libraryKey = template.findResources('AWS::KMS::Key')[Stack.of(auth).getLogicalId(auth.encryptionKey.node.defaultChild as any)];
    expect(libraryKey.Properties.MultiRegion).toBeUndefined();
    expect(auth.userDataKey).toBeDefined();
    expect(Stack.of(auth).resolve(auth.userDataKey!.keyArn)).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  test.each(['staging', 'prod'] as const)('%s: only Cognito, for user pools of this account and Region, may use the key', (preset) => {
    const { template, auth } = synthesize(preset);
    const key = template.findResources('AWS::KMS::Key')[userDataKeyId(template, auth.resourcePrefix)!];
    const statements = key.Properties.KeyPolicy.Statement as Record<string, any>[];
    const cognito = statements.filter((s) => JSON.stringify(s.Principal).includes('cognito-idp'));
    expect(cognito).toEqual([{
      Sid: 'AllowCognitoUserPoolsOfThisAccountAndRegion',
      Effect: 'Allow',
      Principal: { Service: 'cognito-idp.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:eu-west-1:', { Ref: 'AWS::AccountId' }, ':userpool/*']],
          },
        },
      },
    }]);
    // Besides Cognito, only the account's own administration statement (IAM policies decide who else).
    const others = statements.filter((s) => !cognito.includes(s));
    expect(others).toEqual([{
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
      Action: 'kms:*',
      Resource: '*',
    }]);
  });

  test('dev: no KeyConfiguration and no user data key (an AWS owned key)', () => {
    const { template, auth } = synthesize('dev');
    expect(keyConfiguration(template)).toBeUndefined();
    expect(userDataKeyId(template, auth.resourcePrefix)).toBeUndefined();
    expect(Object.values(template.findResources('AWS::KMS::Key')).filter((k) => k.Properties.MultiRegion)).toEqual([]);
    expect(auth.userDataKey).toBeUndefined();
  });

  const GIVEN_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab';
  const givenKey = () => kms.Key.fromKeyArn(new Stack(new App(), 'Lookup', { env: { region: 'eu-west-1' } }), 'Given', GIVEN_KEY_ARN);

  test('a given key is used as it is, and no library user data key is created', () => {
    const given = givenKey();
    const { template, auth } = synthesizeFresh('prod', { userDataKey: given });
    expect(auth.userDataKey).toBe(given);
    expect(userDataKeyId(template, auth.resourcePrefix)).toBeUndefined();
    const withLibraryKey = Object.keys(synthesize('prod').template.findResources('AWS::KMS::Key')).length;
    template.resourceCountIs('AWS::KMS::Key', withLibraryKey - 1);
    expect(keyConfiguration(template)).toEqual({ KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: GIVEN_KEY_ARN });
  });

  test('a given key turns customer-managed encryption on in dev too', () => {
    const { template } = synthesizeFresh('dev', { userDataKey: givenKey() });
    expect(keyConfiguration(template)).toEqual({ KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: GIVEN_KEY_ARN });
  });
});
