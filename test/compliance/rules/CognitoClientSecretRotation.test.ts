import { CustomResource, Stack, aws_cognito as cognito, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { inlineFunction, ruleFindings } from './fixtures';

const RULE = 'CognitoClientSecretRotation';

function secretFromAttribute(stack: Stack): secretsmanager.Secret {
  const client = new cognito.UserPool(stack, 'Pool').addClient('Client', { generateSecret: true });
  return new secretsmanager.Secret(stack, 'Secret', { secretStringValue: client.userPoolClientSecret });
}

describe(RULE, () => {
  test('passes a client secret with a rotation schedule', () => {
    expect(ruleFindings(RULE, (s) => {
      secretFromAttribute(s).addRotationSchedule('Rotation', { rotationLambda: inlineFunction(s, 'Rotate') });
    })).toEqual([]);
  });

  test('flags a secret holding ClientSecret without rotation', () => {
    expect(ruleFindings(RULE, (s) => secretFromAttribute(s))).toEqual(['CognitoClientSecretRotation @ Fixture/Secret/Resource']);
  });

  test('flags a secret a custom resource fills from a secret-generating client', () => {
    expect(ruleFindings(RULE, (s) => {
      const client = new cognito.UserPool(s, 'Pool').addClient('Client', { generateSecret: true });
      const secret = new secretsmanager.Secret(s, 'Secret');
      new CustomResource(s, 'Sync', {
        serviceToken: inlineFunction(s, 'SyncFn').functionArn,
        properties: { ClientId: client.userPoolClientId, SecretId: secret.secretArn },
      });
    })).toEqual(['CognitoClientSecretRotation @ Fixture/Secret/Resource']);
  });

  test('leaves secrets that hold no client secret alone', () => {
    expect(ruleFindings(RULE, (s) => {
      const client = new cognito.UserPool(s, 'Pool').addClient('Client');
      const secret = new secretsmanager.Secret(s, 'Secret');
      new CustomResource(s, 'Other', {
        serviceToken: inlineFunction(s, 'OtherFn').functionArn,
        properties: { ClientId: client.userPoolClientId, SecretId: secret.secretArn },
      });
    })).toEqual([]);
  });
});
