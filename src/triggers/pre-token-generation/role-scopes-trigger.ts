import { Duration, RemovalPolicy, aws_cognito as cognito, aws_kms as kms, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PreTokenGenerationFunction } from './pre-token-generation-function';
import { HealthcareRole } from '../../identity/healthcare-roles';
import { createFunctionIdentity } from '../../internal/function-identity';
import { acknowledgeSynchronousLambda } from '../../internal/lambda-acknowledgements';

/** Props for `RoleScopesTrigger`. */
export interface RoleScopesTriggerProps {
  /** The user pool to attach the trigger to. */
  readonly userPool: cognito.UserPool;
  /** Identifier of the resource server whose scopes the roles receive. */
  readonly resourceServerIdentifier: string;
  /** The healthcare roles and their scopes. */
  readonly roles: HealthcareRole[];
  /** Key encrypting the function's log group. */
  readonly encryptionKey: kms.IKey;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the function's log group. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A pre token generation (V2_0) trigger that gives access tokens exactly the resource server
 * scopes of the user's role groups.
 */
export class RoleScopesTrigger extends Construct {
  /** The trigger function. */
  public readonly handlerFunction: lambda.IFunction;

  constructor(scope: Construct, id: string, props: RoleScopesTriggerProps) {
    super(scope, id);
    const { logGroup, role } = createFunctionIdentity(this, {
      logGroupId: 'Logs',
      roleId: 'Role',
      policyId: 'Policy',
      roleDescription: 'Runs the pre token generation trigger; it may only write its own logs.',
      policyDescription: 'The pre token generation trigger writes its own log group and nothing else.',
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      statements: [],
    });
    const identifier = props.resourceServerIdentifier;
    const roleScopes = Object.fromEntries(props.roles.map((r) => [r.name, r.scopes.map((s) => `${identifier}/${s}`)]));
    this.handlerFunction = new PreTokenGenerationFunction(this, 'Function', {
      description: 'Gives access tokens the medflow scopes of the user\'s role groups only.',
      role,
      logGroup,
      // Cognito allows a trigger 5 seconds; answering within 3 leaves room for a cold start retry.
      timeout: Duration.seconds(3),
      memorySize: 256,
      environment: {
        ROLE_SCOPES: JSON.stringify(roleScopes),
        RESOURCE_SERVER_IDENTIFIER: identifier,
      },
    });
    props.userPool.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.handlerFunction, cognito.LambdaVersion.V2_0);
    acknowledgeSynchronousLambda(this.handlerFunction, 'Cognito invokes it synchronously for every token it issues and waits for its answer');
  }
}
