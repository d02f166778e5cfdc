import { Aws, CfnParameter, Stack, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkFixture, recordAs, ruleFindings } from './fixtures';

const RULE = 'CognitoProductionEmailThroughSes';
const FLAGGED = [`${RULE} @ Fixture/Pool`];

/** The ARN of an SES domain identity in the fixture's account, never a literal account ID. */
function sesIdentityArn(stack: Stack): string {
  return Stack.of(stack).formatArn({ service: 'ses', resource: 'identity', resourceName: 'clinic.example', account: Aws.ACCOUNT_ID });
}

function prodPool(stack: Stack, props: Partial<cognito.CfnUserPoolProps> = {}): cognito.CfnUserPool {
  return new cognito.CfnUserPool(stack, 'Pool', { userPoolName: 'prod-clinic-users', ...props });
}

describe(RULE, () => {
  test('passes a production pool that sends through SES with a source ARN', () => {
    expect(ruleFindings(RULE, (s) => prodPool(s, {
      emailConfiguration: { emailSendingAccount: 'DEVELOPER', sourceArn: sesIdentityArn(s), from: 'MedFlow <no-reply@clinic.example>' },
    }))).toEqual([]);
  });

  test('flags a production pool on Cognito\'s own sender (COGNITO_DEFAULT)', () => {
    expect(ruleFindings(RULE, (s) => prodPool(s, { emailConfiguration: { emailSendingAccount: 'COGNITO_DEFAULT' } }))).toEqual(FLAGGED);
  });

  test('flags a production pool without EmailConfiguration, which is Cognito\'s own sender', () => {
    expect(ruleFindings(RULE, (s) => prodPool(s))).toEqual(FLAGGED);
  });

  test('flags a production pool with EmailConfiguration but no EmailSendingAccount (Cognito defaults it to COGNITO_DEFAULT)', () => {
    expect(ruleFindings(RULE, (s) => prodPool(s, { emailConfiguration: { sourceArn: sesIdentityArn(s) } }))).toEqual(FLAGGED);
  });

  test('flags DEVELOPER without a source ARN: Cognito has no SES identity to send from', () => {
    expect(ruleFindings(RULE, (s) => prodPool(s, { emailConfiguration: { emailSendingAccount: 'DEVELOPER' } }))).toEqual(FLAGGED);
  });

  test('the library\'s production record decides over a name that says nothing', () => {
    expect(ruleFindings(RULE, (s) => recordAs(new cognito.CfnUserPool(s, 'Pool', { userPoolName: 'clinic-users' }), true, 'PHI'))).toEqual(FLAGGED);
  });

  test('is not applicable to dev (synthetic) or staging (PHI, not production) as the library records them, nor to non-production names', () => {
    expect(ruleFindings(RULE, (s) => {
      recordAs(new cognito.CfnUserPool(s, 'Dev', { userPoolName: 'dev-medflow-cognito-user-pool' }), false, 'synthetic');
      recordAs(new cognito.CfnUserPool(s, 'Staging', { userPoolName: 'staging-medflow-cognito-user-pool' }), false, 'PHI');
      // Recorded as not production, so its name does not make it production.
      recordAs(new cognito.CfnUserPool(s, 'Named', { userPoolName: 'prod-copy-for-tests' }), false, 'synthetic');
      new cognito.CfnUserPool(s, 'Plain', { userPoolName: 'product-catalogue-users' });
    })).toEqual([]);
  });

  test('reports a pool whose name is a parameter as not evaluated when it would fail, and passes it when SES is set anyway', () => {
    const findings = checkFixture((s) => new cognito.CfnUserPool(s, 'Pool', { userPoolName: new CfnParameter(s, 'PoolName').valueAsString }))
      .filter((f) => f.rule.includes(RULE));
    expect(findings.map((f) => f.rule)).toEqual([`Medflow.Healthcare-${RULE}[Unresolved::UserPoolName]`]);
    expect(ruleFindings(RULE, (s) => new cognito.CfnUserPool(s, 'Pool', {
      userPoolName: new CfnParameter(s, 'PoolName').valueAsString,
      emailConfiguration: { emailSendingAccount: 'DEVELOPER', sourceArn: sesIdentityArn(s) },
    }))).toEqual([]);
  });

  test('reports a sending account that is a parameter as not evaluated', () => {
    const findings = checkFixture((s) => prodPool(s, {
      emailConfiguration: { emailSendingAccount: new CfnParameter(s, 'Account').valueAsString, sourceArn: sesIdentityArn(s) },
    })).filter((f) => f.rule.includes(RULE));
    expect(findings.map((f) => f.rule)).toEqual([`Medflow.Healthcare-${RULE}[Unresolved::EmailConfiguration.EmailSendingAccount]`]);
  });
});
