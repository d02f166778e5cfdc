import {
  Names,
  Stack,
  aws_iam as iam,
  aws_kms as kms,
  aws_secretsmanager as secretsmanager,
  aws_ssm as ssm,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropValidator } from '../internal/prop-validation';

/** Props for `BackendConfig`. */
export interface BackendConfigProps {
  /** SSM path the parameters live under, without a trailing slash, for example `/prod/medflow/cognito`. */
  readonly parameterPath: string;
  /** The user pool ID. */
  readonly userPoolId: string;
  /** The backend app client ID. */
  readonly clientId: string;
  /** The region of the user pool. */
  readonly region: string;
  /** The OIDC issuer (authority) URL of the user pool. */
  readonly authority: string;
  /**
   * The identity pool ID.
   * @default - no identity-pool-id parameter and no COGNITO_IDENTITY_POOL_ID
   */
  readonly identityPoolId?: string;
  /**
   * The hosted UI domain host (Cognito prefix domain or custom domain), without the scheme.
   * @default - no domain parameter
   */
  readonly domain?: string;
  /**
   * The secret holding the app client secret.
   * @default - the client has no secret: no COGNITO_CLIENT_SECRET_ARN and no secret grant
   */
  readonly clientSecret?: secretsmanager.ISecret;
  /**
   * The customer-managed key encrypting `clientSecret`.
   * @default - the secret uses the AWS managed key; no key grant
   */
  readonly encryptionKey?: kms.IKey;
}

/** Environment variable names in `BackendConfig.environmentVariables`. */
export class BackendEnvironmentVariable {
  /** The user pool ID. */
  public static readonly USER_POOL_ID = 'COGNITO_USER_POOL_ID';
  /** The backend app client ID. */
  public static readonly CLIENT_ID = 'COGNITO_CLIENT_ID';
  /** The ARN of the secret holding the client secret (never the secret itself); only when the client has one. */
  public static readonly CLIENT_SECRET_ARN = 'COGNITO_CLIENT_SECRET_ARN';
  /** The region of the user pool. */
  public static readonly REGION = 'COGNITO_REGION';
  /** The OIDC issuer URL of the user pool. */
  public static readonly AUTHORITY = 'COGNITO_AUTHORITY';
  /** The identity pool ID; only when there is one. */
  public static readonly IDENTITY_POOL_ID = 'COGNITO_IDENTITY_POOL_ID';
  /** The SSM path holding the parameters. */
  public static readonly CONFIG_PATH = 'COGNITO_CONFIG_PATH';

  private constructor() {}
}

/**
 * Everything a backend needs to use the user pool: SSM String parameters under one path, an
 * environment-variable map, and a least-privilege `grantRead()`.
 *
 * Parameters (under `parameterPath`): `user-pool-id`, `client-id`, `region`, `authority`, and
 * `identity-pool-id`, `domain` and `client-secret-arn` (the secret's ARN, never its value) when they exist.
 *
 * @example
 * auth.backendConfig.grantRead(backendFunction);
 */
export class BackendConfig extends Construct {
  /** The SSM path, for example `/prod/medflow/cognito`. */
  public readonly parameterPath: string;
  /** Name of the `user-pool-id` parameter. */
  public readonly userPoolIdParameterName: string;
  /** Name of the `client-id` parameter. */
  public readonly clientIdParameterName: string;
  /** Name of the `region` parameter. */
  public readonly regionParameterName: string;
  /** Name of the `authority` parameter (the issuer URL). */
  public readonly authorityParameterName: string;
  /** Name of the `identity-pool-id` parameter, when there is an identity pool. */
  public readonly identityPoolIdParameterName?: string;
  /** Name of the `domain` parameter, when there is a hosted UI domain. */
  public readonly domainParameterName?: string;
  /** Name of the `client-secret-arn` parameter (the secret's ARN, never its value), when the client has a secret. */
  public readonly clientSecretArnParameterName?: string;
  /** Every parameter created. */
  public readonly parameters: ssm.StringParameter[];
  /**
   * Variables for a Lambda function or a container: COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID,
   * COGNITO_CLIENT_SECRET_ARN (when the client has a secret; never the secret), COGNITO_REGION,
   * COGNITO_AUTHORITY, COGNITO_IDENTITY_POOL_ID (when there is one) and COGNITO_CONFIG_PATH.
   */
  public readonly environmentVariables: Record<string, string>;
  /** The secret holding the client secret, when the client has one. */
  public readonly clientSecret?: secretsmanager.ISecret;

  private readonly encryptionKey?: kms.IKey;
  private readonly parameterArns: string[];

  constructor(scope: Construct, id: string, props: BackendConfigProps) {
    super(scope, id);
    new PropValidator('BackendConfig').matches('parameterPath', props.parameterPath, /^(\/[A-Za-z0-9_.-]+)+$/,
      'an SSM path such as /prod/medflow/cognito: segments of letters, digits, _ . and -, no trailing slash');
    this.parameterPath = props.parameterPath;
    this.clientSecret = props.clientSecret;
    this.encryptionKey = props.clientSecret ? props.encryptionKey : undefined;

    const values: [string, string, string, string | undefined][] = [
      ['UserPoolId', 'user-pool-id', 'Cognito user pool ID', props.userPoolId],
      ['ClientId', 'client-id', 'Backend app client ID', props.clientId],
      ['Region', 'region', 'Region of the user pool', props.region],
      ['Authority', 'authority', 'OIDC issuer (authority) URL of the user pool', props.authority],
      ['IdentityPoolId', 'identity-pool-id', 'Cognito identity pool ID', props.identityPoolId],
      ['Domain', 'domain', 'Hosted UI domain host', props.domain],
      ['ClientSecretArn', 'client-secret-arn', 'ARN of the Secrets Manager secret holding the app client secret (never the secret itself)', props.clientSecret?.secretArn],
    ];
    const names: Record<string, string> = {};
    this.parameters = [];
    for (const [childId, key, description, value] of values) {
      if (value === undefined) continue;
      const parameterName = `${this.parameterPath}/${key}`;
      names[key] = parameterName;
      this.parameters.push(new ssm.StringParameter(this, childId, {
        parameterName,
        stringValue: value,
        description: `${description}, for the backend.`,
        tier: ssm.ParameterTier.STANDARD,
      }));
    }
    this.userPoolIdParameterName = names['user-pool-id'];
    this.clientIdParameterName = names['client-id'];
    this.regionParameterName = names.region;
    this.authorityParameterName = names.authority;
    this.identityPoolIdParameterName = names['identity-pool-id'];
    this.domainParameterName = names.domain;
    this.clientSecretArnParameterName = names['client-secret-arn'];
    // Built from the names, not the resources, so a grantee in another stack imports nothing for them.
    this.parameterArns = Object.values(names).map((name) => Stack.of(this).formatArn({
      service: 'ssm', resource: 'parameter', resourceName: name.slice(1),
    }));

    const env: Record<string, string> = {
      [BackendEnvironmentVariable.USER_POOL_ID]: props.userPoolId,
      [BackendEnvironmentVariable.CLIENT_ID]: props.clientId,
      [BackendEnvironmentVariable.REGION]: props.region,
      [BackendEnvironmentVariable.AUTHORITY]: props.authority,
      [BackendEnvironmentVariable.CONFIG_PATH]: this.parameterPath,
    };
    if (props.clientSecret) env[BackendEnvironmentVariable.CLIENT_SECRET_ARN] = props.clientSecret.secretArn;
    if (props.identityPoolId) env[BackendEnvironmentVariable.IDENTITY_POOL_ID] = props.identityPoolId;
    this.environmentVariables = env;
  }

  /**
   * Lets `grantee` read the configuration and nothing more: `ssm:GetParameter` and `ssm:GetParameters`
   * on exactly these parameters, `secretsmanager:GetSecretValue` on the client secret, and `kms:Decrypt`
   * on its key only through Secrets Manager.
   *
   * For a role defined in the app, the statements go into one customer-managed policy attached to the
   * role, in the role's stack (no inline policy), and a grantee that is a construct in that stack (a
   * function, for example) is deployed after the policy. Other principals receive the statements
   * through their own `addToPrincipalPolicy`.
   */
  public grantRead(grantee: iam.IGrantable): void {
    const statements = this.readStatements();
    const principal = grantee.grantPrincipal;
    if (!(principal instanceof iam.Role)) {
      for (const statement of statements) principal.addToPrincipalPolicy(statement);
      return;
    }
    const policyId = `ReadCognitoConfig${Names.nodeUniqueId(this.node)}`;
    if (principal.node.tryFindChild(policyId)) return;
    const policy = new iam.ManagedPolicy(principal, policyId, {
      description: `Reads the Cognito backend configuration under ${this.parameterPath}${this.clientSecret ? ' and the app client secret' : ''}.`,
      statements,
      roles: [principal],
    });
    // The grantee's own resource (a function, for example) waits for the policy; its role must not.
    const resource = Construct.isConstruct(grantee) && grantee !== principal ? grantee.node.defaultChild : undefined;
    if (resource && Stack.of(resource) === Stack.of(policy)) {
      resource.node.addDependency(policy);
    }
  }

  private readStatements(): iam.PolicyStatement[] {
    const statements = [new iam.PolicyStatement({
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: this.parameterArns,
    })];
    if (this.clientSecret) {
      statements.push(new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.clientSecret.secretArn],
      }));
    }
    if (this.encryptionKey) {
      statements.push(new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }));
    }
    return statements;
  }
}
