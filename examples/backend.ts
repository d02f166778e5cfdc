/*
 * A backend function wired to the auth stack the way a MedFlow service is: the configuration
 * arrives as environment variables (`auth.backendConfig.environmentVariables`), and
 * `auth.backendConfig.grantRead()` lets it read the SSM parameters and the client secret, nothing more.
 * The backend lives in its own stack; the grant is created there and imports from the auth stack.
 */
import {
  Duration,
  Stack,
  StackProps,
  Validations,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MedflowCognito } from '../src';

/** Reads the configuration once per container: parameters by name, then the secret when there is one. */
const HANDLER = `
const { SSMClient, GetParametersCommand } = require('@aws-sdk/client-ssm');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
let config;
async function load() {
  const path = process.env.COGNITO_CONFIG_PATH;
  const names = ['user-pool-id', 'client-id', 'region', 'authority'].map((key) => path + '/' + key);
  const { Parameters = [] } = await new SSMClient({}).send(new GetParametersCommand({ Names: names }));
  const byKey = Object.fromEntries(Parameters.map((p) => [p.Name.slice(path.length + 1), p.Value]));
  let clientSecret;
  if (process.env.COGNITO_CLIENT_SECRET_ARN) {
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.COGNITO_CLIENT_SECRET_ARN }));
    clientSecret = JSON.parse(secret.SecretString).clientSecret;
  }
  return { userPoolId: byKey['user-pool-id'], clientId: byKey['client-id'], region: byKey.region, authority: byKey.authority, clientSecret };
}
exports.handler = async () => {
  config = config || await load();
  return { statusCode: 200, body: JSON.stringify({ userPoolId: config.userPoolId, clientSecretLoaded: Boolean(config.clientSecret) }) };
};
`;

export interface BackendStackProps extends StackProps {
  /** The auth construct of the same environment, in another stack. */
  readonly auth: MedflowCognito;
}

export class MedflowBackendStack extends Stack {
  public readonly api: lambda.Function;

  constructor(scope: Construct, id: string, props: BackendStackProps) {
    super(scope, id, props);
    const { auth } = props;

    const logGroup = new logs.LogGroup(this, 'ApiLogs', {
      encryptionKey: auth.encryptionKey,
      retention: auth.settings.logRetention,
      removalPolicy: auth.settings.removalPolicy,
    });
    const role = new iam.Role(this, 'ApiRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'The MedFlow API function.',
    });
    new iam.ManagedPolicy(this, 'ApiLogsPolicy', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
    });

    this.api = new lambda.Function(this, 'Api', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER),
      role,
      logGroup,
      timeout: Duration.seconds(10),
      memorySize: 512,
      environment: auth.backendConfig.environmentVariables,
    });
    auth.backendConfig.grantRead(this.api);

    const reasons: Record<string, string> = {
      LambdaDLQ: 'The API function is invoked synchronously by its caller, which receives every error; no event is queued.',
      LambdaConcurrency: 'The example leaves concurrency to the account pool; a production API sets reserved concurrency from its load test.',
      LambdaInsideVPC: 'The example calls only AWS APIs; a production API that reaches a database runs in its private subnets.',
    };
    Validations.of(this.api).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5'].flatMap((pack) =>
      Object.entries(reasons).map(([rule, reason]) => ({ id: `${pack}-${rule}`, reason }))));
  }
}
