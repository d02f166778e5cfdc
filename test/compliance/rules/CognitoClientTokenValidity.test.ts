import { CfnParameter, Duration, aws_cognito as cognito } from 'aws-cdk-lib';
import { checkFixture, ruleFindings } from './fixtures';

const RULE = 'CognitoClientTokenValidity';

describe(RULE, () => {
  test('passes 1-hour access and ID tokens with 30-day refresh tokens, and CloudFormation defaults', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = new cognito.UserPool(s, 'Pool');
      pool.addClient('Limits', { accessTokenValidity: Duration.hours(1), idTokenValidity: Duration.minutes(60), refreshTokenValidity: Duration.days(30) });
      pool.addClient('Defaults');
    })).toEqual([]);
  });

  test('names each token that lives too long', () => {
    expect(ruleFindings(RULE, (s) => new cognito.UserPool(s, 'Pool').addClient('Client', {
      accessTokenValidity: Duration.hours(2), idTokenValidity: Duration.minutes(61), refreshTokenValidity: Duration.days(90),
    }))).toEqual([
      'CognitoClientTokenValidity[AccessToken] @ Fixture/Pool/Client/Resource',
      'CognitoClientTokenValidity[IdToken] @ Fixture/Pool/Client/Resource',
      'CognitoClientTokenValidity[RefreshToken] @ Fixture/Pool/Client/Resource',
    ]);
  });

  test('reads values without TokenValidityUnits in hours (access, ID) and days (refresh)', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = new cognito.UserPool(s, 'Pool');
      new cognito.CfnUserPoolClient(s, 'Hours', { userPoolId: pool.userPoolId, accessTokenValidity: 2, idTokenValidity: 1, refreshTokenValidity: 31 });
    })).toEqual(['CognitoClientTokenValidity[AccessToken] @ Fixture/Hours', 'CognitoClientTokenValidity[RefreshToken] @ Fixture/Hours']);
  });

  test('applies TokenValidityUnits', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = new cognito.UserPool(s, 'Pool');
      new cognito.CfnUserPoolClient(s, 'Units', {
        userPoolId: pool.userPoolId,
        accessTokenValidity: 3600,
        idTokenValidity: 59,
        refreshTokenValidity: 721,
        tokenValidityUnits: { accessToken: 'seconds', idToken: 'minutes', refreshToken: 'hours' },
      });
    })).toEqual(['CognitoClientTokenValidity[RefreshToken] @ Fixture/Units']);
  });

  test('reports a validity from a parameter as not evaluated', () => {
    const findings = checkFixture((s) => {
      const pool = new cognito.UserPool(s, 'Pool');
      new cognito.CfnUserPoolClient(s, 'Param', {
        userPoolId: pool.userPoolId, accessTokenValidity: new CfnParameter(s, 'Access', { type: 'Number' }).valueAsNumber,
      });
    }).filter((f) => f.rule.includes(RULE)).map((f) => f.rule);
    expect(findings).toEqual(['Medflow.Healthcare-CognitoClientTokenValidity[Unresolved::AccessTokenValidity]']);
  });
});
