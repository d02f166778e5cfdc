import { Stack, aws_cognito as cognito, aws_logs as logs } from 'aws-cdk-lib';
import { checkFixture, ruleFindings } from './fixtures';

const RULE = 'CognitoUserPoolLogDelivery';

function logDelivery(stack: Stack, id: string, userPoolId: string, withConfiguration = true): void {
  const group = new logs.LogGroup(stack, `${id}Logs`);
  new cognito.CfnLogDeliveryConfiguration(stack, id, {
    userPoolId,
    logConfigurations: withConfiguration
      ? [{ eventSource: 'userNotification', logLevel: 'ERROR', cloudWatchLogsConfiguration: { logGroupArn: group.logGroupArn } }]
      : [],
  });
}

describe(RULE, () => {
  test('passes a pool whose log delivery configuration references it', () => {
    expect(ruleFindings(RULE, (s) => {
      const pool = new cognito.UserPool(s, 'Pool');
      logDelivery(s, 'Delivery', pool.userPoolId);
    })).toEqual([]);
  });

  test('flags a pool without one, and a pool whose configuration delivers nothing', () => {
    expect(ruleFindings(RULE, (s) => {
      new cognito.UserPool(s, 'Bare');
      const empty = new cognito.UserPool(s, 'Empty');
      logDelivery(s, 'Delivery', empty.userPoolId, false);
    })).toEqual(['CognitoUserPoolLogDelivery @ Fixture/Bare/Resource', 'CognitoUserPoolLogDelivery @ Fixture/Empty/Resource']);
  });

  test('cannot tell which pool a configuration with a literal pool ID covers, and says so', () => {
    const findings = checkFixture((s) => {
      new cognito.UserPool(s, 'Pool');
      logDelivery(s, 'Delivery', 'eu-west-1_EXAMPLE');
    }).filter((f) => f.rule.includes(RULE));
    expect(findings).toEqual([{
      rule: 'Medflow.Healthcare-CognitoUserPoolLogDelivery[Unresolved::Delivery.UserPoolId]',
      path: 'Fixture/Pool/Resource',
      description: expect.stringMatching(/could not be evaluated: .*names a user pool that is not a reference to a pool in this stack/),
    }]);
  });
});
