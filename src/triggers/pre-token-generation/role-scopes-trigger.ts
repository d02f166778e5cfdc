import { Duration, aws_cognito as cognito, aws_kms as kms, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PreTokenGenerationFunction } from './pre-token-generation-function';
import { HealthcareRole } from '../../identity/healthcare-roles';
import { FunctionLogSettings, createLibraryFunction, synchronousInvocationReasons } from '../../internal/library-function';
import { usernameHashKeyEnvironment, usernameHashKeyStatements } from '../shared/username-hash-key';

/** Props for `RoleScopesTrigger`. */
export interface RoleScopesTriggerProps {
  /** The user pool to attach the trigger to; undefined for the function of a user pool replica, which its regional configuration names. */
  readonly userPool?: cognito.UserPool;
  /** Identifier of the resource server whose scopes the roles receive. */
  readonly resourceServerIdentifier: string;
  /** The healthcare roles and their scopes. */
  readonly roles: HealthcareRole[];
  /** Where the function's logs go. */
  readonly logs: FunctionLogSettings;
  /** The key of the logged username hashes (SecurityTriggers.usernameHashKey). */
  readonly usernameHashKey: kms.IKey;
  /**
   * Reserved concurrency of the function. Cognito calls it for every token it issues, at sign-in
   * and at every refresh, so a reservation keeps sign-in working when other functions exhaust the
   * account's concurrency.
   * @default - none: the absence is acknowledged with the reason reservations are off
   */
  readonly reservedConcurrency?: number;
  /**
   * Names of the tenant claims added to access tokens.
   * @default - `clinic_id` and `user_role`
   */
  readonly clinicIdClaim?: string;
  /** @default 'user_role' */
  readonly userRoleClaim?: string;
  /**
   * For each provider trusted with identity attributes, the clinic UUIDs and role names it may
   * assert. Provider names and public identifiers only: no secret belongs here.
   * @default - no provider may assert identity attributes
   */
  readonly federatedAllowLists?: FederatedAllowList[];
}

/** What one federated provider may assert. */
export interface FederatedAllowList {
  /** The provider name, as Cognito writes it into the user's `identities` attribute. */
  readonly providerName: string;
  /** Clinic UUIDs the provider may assert. */
  readonly clinicIds: string[];
  /** Role names the provider may assert. */
  readonly roles: string[];
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
    const identifier = props.resourceServerIdentifier;
    const roleScopes = Object.fromEntries(props.roles.map((r) => [r.name, r.scopes.map((s) => `${identifier}/${s}`)]));
    this.handlerFunction = createLibraryFunction(this, {
      create: (parent, functionId, options) => new PreTokenGenerationFunction(parent, functionId, options),
      options: {
        description: 'Gives access tokens the medflow scopes of the user\'s role groups only.',
        // Cognito allows a trigger 5 seconds; answering within 3 leaves room for a cold start retry.
        timeout: Duration.seconds(3),
        memorySize: 256,
        reservedConcurrentExecutions: props.reservedConcurrency,
        environment: {
          ROLE_SCOPES: JSON.stringify(roleScopes),
          RESOURCE_SERVER_IDENTIFIER: identifier,
          TENANT_CLAIM_NAMES: JSON.stringify({
            clinicIdClaim: props.clinicIdClaim ?? 'clinic_id',
            userRoleClaim: props.userRoleClaim ?? 'user_role',
          }),
          HEALTHCARE_ROLES: JSON.stringify(props.roles.map((r) => r.name)),
          FEDERATED_ALLOW_LISTS: JSON.stringify(Object.fromEntries((props.federatedAllowLists ?? [])
            .map((list) => [list.providerName, { clinicIds: list.clinicIds, roles: list.roles }]))),
          ...usernameHashKeyEnvironment(props.usernameHashKey),
        },
      },
      roleDescription: 'Runs the pre token generation trigger; it may only write its own logs and derive the username hash key.',
      policyDescription: 'The pre token generation trigger writes its own log group and derives the username hash key, nothing else.',
      statements: usernameHashKeyStatements(props.usernameHashKey),
      logs: props.logs,
      ruleReasons: synchronousInvocationReasons('Cognito invokes it synchronously for every token it issues and waits for its answer',
        { reservesConcurrency: props.reservedConcurrency !== undefined }),
    }).fn;
    props.userPool?.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.handlerFunction, cognito.LambdaVersion.V2_0);
  }
}
