/*
 * What Cognito does around a call when the pool has Lambda triggers, done in-process because moto
 * never invokes them: the harness sends each handler the event Cognito would send, with the
 * environment variables of the function in the template, and calls moto only if the trigger allows it.
 */
import { createHmac } from 'node:crypto';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminGetUserCommand, AdminListGroupsForUserCommand, AdminSetUserPasswordCommand,
  AuthenticationResultType, CognitoIdentityProviderClient, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { Deployment } from './deploy';
import { REGION } from './template';
import { createPostAuthenticationHandler, createPreAuthenticationHandler, lockoutConfigFromEnv } from '../../src/triggers/lockout/lockout-handlers';
import { LockoutTableClient } from '../../src/triggers/lockout/lockout-store';
import { handler as preTokenGeneration, PreTokenGenerationEvent } from '../../src/triggers/pre-token-generation/pre-token-generation.lambda';
import { environmentUserHasher } from '../../src/triggers/shared/user-hash';
import { createPreSignUpHandler, rolesFromEnv } from '../../src/triggers/sign-up/pre-sign-up-handler';

/** Cognito's answer when a trigger throws: the API call fails with the trigger's message. */
export class TriggerFailedError extends Error {
  constructor(public readonly trigger: string, public readonly triggerMessage: string) {
    super(`${trigger} failed with error ${triggerMessage}.`);
    this.name = trigger === 'PreSignUp' ? 'UserLambdaValidationException' : 'NotAuthorizedException';
  }
}

export interface SignInResult {
  readonly tokens: AuthenticationResultType;
  /** The scopes the pre token generation trigger decided (moto cannot apply them to its tokens). */
  readonly scopesToAdd: string[];
  readonly scopesToSuppress: string[];
}

/** Time spent in one sign-in, in milliseconds: in the trigger handlers, and in moto's InitiateAuth. */
export interface SignInTiming {
  triggersMs: number;
  cognitoMs: number;
}

export interface RehearsalOptions {
  /** The lockout's clock (epoch ms); the real clock by default. */
  readonly now?: () => number;
  /** Log lines of the triggers; dropped by default. */
  readonly write?: (line: string) => void;
}

export class CognitoRehearsal {
  public readonly cognito = new CognitoIdentityProviderClient({});
  /** DynamoDB requests made by the lockout triggers, by operation. */
  public readonly dynamoDbCalls = { updateItem: 0, deleteItem: 0 };
  private readonly dynamodb = new DynamoDBClient({});
  private readonly preSignUp;
  private readonly preAuthentication;
  private readonly postAuthentication;

  constructor(public readonly deployment: Deployment, options: RehearsalOptions = {}) {
    const env = deployment.triggerEnvironment;
    const write = options.write ?? (() => undefined);
    const client: LockoutTableClient = {
      updateItem: (input, abortSignal) => {
        this.dynamoDbCalls.updateItem++;
        return this.dynamodb.send(new UpdateItemCommand(input), { abortSignal });
      },
      deleteItem: (input, abortSignal) => {
        this.dynamoDbCalls.deleteItem++;
        return this.dynamodb.send(new DeleteItemCommand(input), { abortSignal });
      },
    };
    // The keyed username hash derives its key with GenerateMac on the deployment's HMAC key on moto, as a function does.
    const kms = new KMSClient({});
    const generateMac = async (KeyId: string, Message: Uint8Array) => (await kms.send(new GenerateMacCommand({ KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac;
    const userHash = (name: 'PreSignUp' | 'PreAuthentication') => environmentUserHasher(generateMac, required(env[name], name));
    this.preSignUp = createPreSignUpHandler({ roles: () => rolesFromEnv(required(env.PreSignUp, 'PreSignUp')), write, userHash: userHash('PreSignUp') });
    const lockout = {
      client, config: () => lockoutConfigFromEnv(required(env.PreAuthentication, 'PreAuthentication')), now: options.now, write, userHash: userHash('PreAuthentication'),
    };
    this.preAuthentication = createPreAuthenticationHandler(lockout);
    this.postAuthentication = createPostAuthenticationHandler({
      ...lockout, config: () => lockoutConfigFromEnv(required(env.PostAuthentication, 'PostAuthentication')),
    });
  }

  /** AdminCreateUser as Cognito runs it: PreSignUp_AdminCreateUser first; a rejection creates no user. */
  public async adminCreateUser(email: string, attributes: Record<string, string>, password: string): Promise<string> {
    await this.invoke('PreSignUp', () => this.preSignUp({
      ...this.common('PreSignUp_AdminCreateUser', email),
      request: { userAttributes: { email, ...attributes }, validationData: null },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    }));
    const { userPoolId } = this.deployment;
    const created = await this.cognito.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries({ email, email_verified: 'true', ...attributes }).map(([Name, Value]) => ({ Name, Value })),
    }));
    await this.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: password, Permanent: true }));
    // The backend puts each user in the group of their role; the group drives the access token's scopes.
    const role = attributes['custom:user_role'];
    if (role) await this.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: role }));
    return created.User!.Username!;
  }

  /**
   * InitiateAuth USER_PASSWORD_AUTH as Cognito runs it: PreAuthentication (the lockout) before the
   * password check, PostAuthentication and pre token generation after a success.
   */
  public async signIn(email: string, password: string, timing?: SignInTiming): Promise<SignInResult> {
    const { userPoolId, clientId } = this.deployment;
    const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    const userName = user.Username!;
    const userAttributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
    const groups = await this.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: email }));
    const t = timing ?? { triggersMs: 0, cognitoMs: 0 };
    const timed = async <T>(key: keyof SignInTiming, call: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      try {
        return await call();
      } finally {
        t[key] += performance.now() - start;
      }
    };
    await timed('triggersMs', () => this.invoke('PreAuthentication', () => this.preAuthentication({
      ...this.common('PreAuthentication_Authentication', userName),
      request: { userAttributes, validationData: {} },
      response: {},
    })));
    const parameters: Record<string, string> = { USERNAME: email, PASSWORD: password };
    if (this.deployment.clientSecret) parameters.SECRET_HASH = secretHash(email, clientId, this.deployment.clientSecret);
    const auth = await timed('cognitoMs', () => this.cognito.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: parameters,
    })));
    await timed('triggersMs', () => this.invoke('PostAuthentication', () => this.postAuthentication({
      ...this.common('PostAuthentication_Authentication', userName),
      request: { userAttributes, newDeviceUsed: false },
      response: {},
    })));
    const tokenEvent = {
      ...this.common('TokenGeneration_Authentication', userName),
      version: '2',
      request: {
        groupConfiguration: { groupsToOverride: (groups.Groups ?? []).map((g) => g.GroupName!) },
        scopes: ['aws.cognito.signin.user.admin'],
      },
      response: {},
    } as PreTokenGenerationEvent;
    const environment = required(this.deployment.triggerEnvironment.PreTokenGeneration, 'PreTokenGeneration');
    const decided = await timed('triggersMs', () => this.withEnvironment(environment, () => preTokenGeneration(tokenEvent)));
    type Decided = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: string[]; scopesToSuppress: string[] } } };
    const override = (decided.response as Decided).claimsAndScopeOverrideDetails.accessTokenGeneration;
    return { tokens: auth.AuthenticationResult!, scopesToAdd: override.scopesToAdd, scopesToSuppress: override.scopesToSuppress };
  }

  private common(triggerSource: string, userName: string) {
    return {
      version: '1',
      region: REGION,
      userPoolId: this.deployment.userPoolId,
      userName,
      callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: this.deployment.clientId },
      triggerSource,
    };
  }

  private async invoke(trigger: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      throw new TriggerFailedError(trigger, error instanceof Error ? error.message : String(error));
    }
  }

  private async withEnvironment<T>(variables: Record<string, string>, call: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(variables).map((k) => [k, process.env[k]]));
    Object.assign(process.env, variables);
    try {
      return await call();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }
}

/** SECRET_HASH of a client with a secret: Base64(HMAC-SHA256(secret, username + clientId)). */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

function required<T>(value: T | undefined, trigger: string): T {
  if (value === undefined) throw new Error(`The template's user pool has no ${trigger} trigger.`);
  return value;
}
