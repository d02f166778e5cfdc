import { aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Cognito's own managed login style for one app client: managed login v2 shows nothing for a client without one. */
export function addManagedLoginBranding(
  scope: Construct, userPool: cognito.IUserPool, client: cognito.IUserPoolClient,
): cognito.CfnManagedLoginBranding {
  return new cognito.CfnManagedLoginBranding(scope, 'ManagedLoginBranding', {
    userPoolId: userPool.userPoolId,
    clientId: client.userPoolClientId,
    useCognitoProvidedValues: true,
  });
}
