import { aws_cognito as cognito, aws_kms as kms, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { ResolvedConfiguration } from '../config/resolved-configuration';
import { SecurityTriggers } from '../triggers/security-triggers';

/**
 * What a `MedflowCognitoReplica` reads from its primary: the parts of the resolved configuration the
 * replica Region repeats, and the primary's constructs it links to. Internal.
 */
export interface ReplicationSource {
  readonly configuration: Pick<ResolvedConfiguration, 'settings' | 'environment' | 'projectName' | 'names' | 'parameterPath' | 'roles'
  | 'accessTokenClaims' | 'userPool' | 'email' | 'userDataKey' | 'triggers' | 'identityPool' | 'logs' | 'federation' | 'operations'>;
  readonly userPool: cognito.UserPool;
  readonly appClient: cognito.UserPoolClient;
  readonly federatedClient?: cognito.UserPoolClient;
  /** The user data key in force (customer-managed), undefined with an AWS owned key. */
  readonly userDataKey?: kms.IKey;
  readonly securityTriggers: SecurityTriggers;
  /** The secrets holding client secrets the backend reads: the app client's and the federated client's. */
  readonly clientSecrets: secretsmanager.ISecret[];
  /** The app client's secret, when it has one. */
  readonly clientSecret?: secretsmanager.ISecret;
}
