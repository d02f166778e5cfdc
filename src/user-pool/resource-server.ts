import { aws_cognito as cognito } from 'aws-cdk-lib';
import { MEDFLOW_RESOURCE_SERVER, SCOPE_DESCRIPTIONS, allMedflowScopes } from '../identity/medflow-scopes';

/** The `medflow` resource server with one scope per clinic workflow. */
export function addMedflowResourceServer(userPool: cognito.UserPool, resourceServerName: string): cognito.UserPoolResourceServer {
  return userPool.addResourceServer('ResourceServer', {
    identifier: MEDFLOW_RESOURCE_SERVER,
    userPoolResourceServerName: resourceServerName,
    scopes: allMedflowScopes().map((scopeName) => new cognito.ResourceServerScope({ scopeName, scopeDescription: SCOPE_DESCRIPTIONS[scopeName] })),
  });
}
