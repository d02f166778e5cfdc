import { CfnParameter, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkFixture, ruleFindings } from './fixtures';

const RULE = 'CognitoPasswordPolicy';
const STRONG = { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true };

describe(RULE, () => {
  test('passes a policy of 12 characters with every class', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', { passwordPolicy: STRONG }))).toEqual([]);
  });

  test('flags a short policy without symbols, naming each failing setting', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool', { passwordPolicy: { ...STRONG, minLength: 8, requireSymbols: false } })))
      .toEqual(['CognitoPasswordPolicy[MinimumLength] @ Fixture/Pool/Resource', 'CognitoPasswordPolicy[RequireSymbols] @ Fixture/Pool/Resource']);
  });

  test("flags a pool without a password policy: Cognito's default is 8 characters", () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool'))).toEqual(['CognitoPasswordPolicy[MinimumLength] @ Fixture/Pool/Resource']);
  });

  test('flags every character class a raw PasswordPolicy leaves out (they default to false)', () => {
    expect(ruleFindings(RULE, (s) => new cognito.CfnUserPool(s, 'Pool', { policies: { passwordPolicy: { minimumLength: 14 } } }))).toEqual([
      'CognitoPasswordPolicy[RequireLowercase] @ Fixture/Pool',
      'CognitoPasswordPolicy[RequireNumbers] @ Fixture/Pool',
      'CognitoPasswordPolicy[RequireSymbols] @ Fixture/Pool',
      'CognitoPasswordPolicy[RequireUppercase] @ Fixture/Pool',
    ]);
  });

  test('sees a property override, as CloudFormation will', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = new cognito.UserPool(s, 'Pool', { passwordPolicy: STRONG });
      (pool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride('Policies.PasswordPolicy.MinimumLength', 6);
    })).toEqual(['CognitoPasswordPolicy[MinimumLength] @ Fixture/Pool/Resource']);
  });

  test('reports a length from a parameter as not evaluated instead of passing it', () => {
    const findings = checkFixture((s) => new cognito.CfnUserPool(s, 'Pool', {
      policies: {
        passwordPolicy: {
          minimumLength: new CfnParameter(s, 'MinLength', { type: 'Number' }).valueAsNumber,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: true,
        },
      },
    })).filter((f) => f.rule.includes(RULE));
    expect(findings).toEqual([{
      rule: 'Medflow.Healthcare-CognitoPasswordPolicy[Unresolved::Policies.PasswordPolicy.MinimumLength]',
      path: 'Fixture/Pool',
      description: expect.stringMatching(/^CognitoPasswordPolicy could not be evaluated: Policies\.PasswordPolicy\.MinimumLength is undecidable because it is not a literal value in the template\./),
    }]);
  });
});
