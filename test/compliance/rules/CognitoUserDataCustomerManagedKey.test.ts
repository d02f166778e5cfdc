import { CfnParameter, Stack, Tags, aws_cognito as cognito, aws_kms as kms } from 'aws-cdk-lib';
import { checkFixture, recordAs, ruleFindings } from './fixtures';

const RULE = 'CognitoUserDataCustomerManagedKey';
const FLAGGED = [`${RULE} @ Fixture/Pool`];

/** `KeyConfiguration` has no typed L1 property in aws-cdk-lib 2.257, so it is set as the library sets it. */
function withKey(pool: cognito.CfnUserPool, keyConfiguration: Record<string, unknown>): cognito.CfnUserPool {
  pool.addPropertyOverride('KeyConfiguration', keyConfiguration);
  return pool;
}

function customerKeyArn(stack: Stack): string {
  return new kms.Key(stack, 'UserDataKey', { enableKeyRotation: true }).keyArn;
}

function prodPool(stack: Stack): cognito.CfnUserPool {
  return new cognito.CfnUserPool(stack, 'Pool', { userPoolName: 'prod-clinic-users' });
}

describe(RULE, () => {
  test('passes a production pool under a customer-managed key of the stack (Fn::GetAtt of an AWS::KMS::Key)', () => {
    expect(ruleFindings(RULE, (s) => withKey(prodPool(s), { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: customerKeyArn(s) }))).toEqual([]);
  });

  test('passes a key ARN given as a parameter: the key is customer-managed whatever ARN it resolves to', () => {
    expect(ruleFindings(RULE, (s) => withKey(prodPool(s), {
      KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: new CfnParameter(s, 'KeyArn').valueAsString,
    }))).toEqual([]);
  });

  test('flags an AWS owned key', () => {
    expect(ruleFindings(RULE, (s) => withKey(prodPool(s), { KeyType: 'AWS_OWNED_KEY' }))).toEqual(FLAGGED);
  });

  test('flags a pool without KeyConfiguration, which Cognito encrypts with an AWS owned key', () => {
    expect(ruleFindings(RULE, (s) => prodPool(s))).toEqual(FLAGGED);
  });

  test('flags CUSTOMER_MANAGED_KEY without a key ARN', () => {
    expect(ruleFindings(RULE, (s) => withKey(prodPool(s), { KeyType: 'CUSTOMER_MANAGED_KEY' }))).toEqual(FLAGGED);
  });

  test('applies to a pool the library recorded as PHI even when it is not production (staging)', () => {
    expect(ruleFindings(RULE, (s) => recordAs(new cognito.CfnUserPool(s, 'Pool', { userPoolName: 'staging-users' }), false, 'PHI'))).toEqual(FLAGGED);
  });

  test('applies to a pool of another origin tagged DataClassification=PHI (any case)', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.CfnUserPool(s, 'Pool', { userPoolName: 'clinic-users' });
      Tags.of(s).add('DataClassification', 'phi');
    })).toEqual(FLAGGED);
  });

  test('is not applicable to dev (synthetic, not production) as the library records it, nor to an untagged non-production pool', () => {
    expect(ruleFindings(RULE, (s) => {
      recordAs(new cognito.CfnUserPool(s, 'Dev', { userPoolName: 'prod-like-dev-users' }), false, 'synthetic');
      new cognito.CfnUserPool(s, 'Plain', { userPoolName: 'staging-users' });
    })).toEqual([]);
    expect(ruleFindings(RULE, (s) => {
      new cognito.CfnUserPool(s, 'Pool', { userPoolName: 'staging-users' });
      Tags.of(s).add('DataClassification', 'synthetic');
    })).toEqual([]);
  });

  test('reports a pool whose classification tag is a parameter as not evaluated when it would fail', () => {
    const findings = checkFixture((s) => {
      new cognito.CfnUserPool(s, 'Pool', { userPoolName: 'clinic-users' });
      Tags.of(s).add('DataClassification', new CfnParameter(s, 'Classification').valueAsString);
    }).filter((f) => f.rule.includes(RULE));
    expect(findings.map((f) => f.rule)).toEqual([`Medflow.Healthcare-${RULE}[Unresolved::UserPoolTags.DataClassification]`]);
  });
});
