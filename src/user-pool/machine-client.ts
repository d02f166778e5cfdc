import { Duration, RemovalPolicy, aws_cloudwatch as cloudwatch, aws_cognito as cognito, aws_kms as kms, aws_logs as logs, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { sharedClientOptions } from './app-clients';
import { ClientSecretStore } from '../backend-config/client-secret-store';
import { DataClassification } from '../config/environment-preset';
import { MEDFLOW_RESOURCE_SERVER, MedflowScope } from '../identity/medflow-scopes';
import { recordEnvironment } from '../internal/compliance-packs';
import { PropValidator } from '../internal/prop-validation';

/** Options of `MedflowCognito.addMachineClient`. */
export interface MachineClientOptions {
  /** The `medflow` scopes the client may request, at least one; its access tokens carry no other. */
  readonly scopes: MedflowScope[];
  /**
   * App client name.
   * @default '{environment}-{projectName}-cognito-machine-{id in lowercase}'
   */
  readonly clientName?: string;
  /**
   * Access token validity, 5 minutes to 1 hour.
   * @default - the preset's access token validity, at most 1 hour
   */
  readonly accessTokenValidity?: Duration;
}

/**
 * Props of `MachineClient`, which `MedflowCognito.addMachineClient` builds from its options and the
 * pool's resolved configuration. They are not checked again here.
 */
export interface MachineClientProps {
  /** The user pool. */
  readonly userPool: cognito.IUserPool;
  /** The `medflow` resource server, which must exist before the client. */
  readonly resourceServer: cognito.IUserPoolResourceServer;
  /** App client name. */
  readonly clientName: string;
  /** Name of the Secrets Manager secret holding the client secret. */
  readonly secretName: string;
  /** The scopes the client may request. */
  readonly scopes: MedflowScope[];
  /** Access token validity, at most 1 hour. */
  readonly accessTokenValidity: Duration;
  /** Customer-managed key of the secret and the secret functions' log groups. */
  readonly encryptionKey: kms.IKey;
  /** How often the secret is rotated. */
  readonly rotationSchedule: Duration;
  /** How long a replaced secret stays valid. */
  readonly rotationGracePeriod: Duration;
  /** Retention of the secret functions' log groups. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the secret and the log groups. */
  readonly removalPolicy: RemovalPolicy;
  /** Whether the environment is production, recorded on the client for the healthcare checks. */
  readonly production: boolean;
  /** What data the environment holds, recorded on the client. */
  readonly dataClassification: DataClassification;
}

const MACHINE_TOKEN_LIMIT = Duration.hours(1);
const MACHINE_TOKEN_MINIMUM = Duration.minutes(5);
// Client credentials issue no ID or refresh token; Cognito still needs values, so they are the shortest it takes.
const UNUSED_REFRESH_VALIDITY = Duration.hours(1);

/**
 * A machine-to-machine client: lab systems and hospital information systems get access tokens
 * through the client credentials grant, with only the given `medflow` scopes. Its secret is kept and
 * rotated like the backend client's.
 *
 * The pool's pre token generation trigger uses the V2_0 event, which Cognito applies to access tokens
 * from user authentication only (V3_0 adds machine authentication; Cognito developer guide, "Pre token
 * generation Lambda trigger"), so machine tokens carry exactly the client's scopes and no user claims.
 */
export class MachineClient extends Construct {
  /**
   * The checked props of a machine client, or an error naming the option and what is allowed.
   * @internal
   */
  public static _resolve(id: string, options: MachineClientOptions, presetAccessTokenValidity: Duration, namePrefix: string) {
    const validator = new PropValidator('MedflowCognito.addMachineClient');
    const scopes = options?.scopes;
    const known = Object.values(MedflowScope) as string[];
    if (!Array.isArray(scopes) || scopes.length === 0) {
      validator.fail(`${id}.scopes`, JSON.stringify(scopes ?? null), `one or more of ${known.join(', ')}`);
    }
    for (const scope of scopes) {
      if (!known.includes(scope)) validator.fail(`${id}.scopes`, JSON.stringify(scope), `MedflowScope values: ${known.join(', ')}`);
    }
    if (new Set(scopes).size !== scopes.length) validator.fail(`${id}.scopes`, JSON.stringify(scopes), 'each scope once');
    const presetLimited = presetAccessTokenValidity.toSeconds() > MACHINE_TOKEN_LIMIT.toSeconds() ? MACHINE_TOKEN_LIMIT : presetAccessTokenValidity;
    const accessTokenValidity = options.accessTokenValidity ?? presetLimited;
    validator.durationInRange(`${id}.accessTokenValidity`, accessTokenValidity, MACHINE_TOKEN_MINIMUM, MACHINE_TOKEN_LIMIT);
    const suffix = `machine-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const clientName = options.clientName ?? `${namePrefix}-${suffix}`;
    validator.matches(`${id}.clientName`, clientName, /^[\w\s+=,.@-]{1,128}$/, '1-128 letters, digits, spaces or + = , . @ - _');
    return { scopes: [...scopes], accessTokenValidity, clientName, secretName: `${namePrefix}-${suffix}-secret` };
  }

  /** The app client, with the client credentials grant only. */
  public readonly client: cognito.UserPoolClient;
  /** The client's ID. */
  public readonly clientId: string;
  /** The Secrets Manager secret holding the client secret. Never the plaintext. */
  public readonly clientSecret: secretsmanager.ISecret;
  /** The scopes the client may request. */
  public readonly scopes: MedflowScope[];
  /** Errors of the secret rotation function per hour, for an alarm. */
  public readonly rotationErrors: cloudwatch.IMetric;

  constructor(scope: Construct, id: string, props: MachineClientProps) {
    super(scope, id);
    this.scopes = [...props.scopes];
    this.client = new cognito.UserPoolClient(this, 'Client', {
      ...sharedClientOptions({
        accessTokenValidity: props.accessTokenValidity,
        idTokenValidity: props.accessTokenValidity,
        refreshTokenValidity: UNUSED_REFRESH_VALIDITY,
      }),
      userPool: props.userPool,
      userPoolClientName: props.clientName,
      generateSecret: true,
      // No user sign-in through this client at all: only the client credentials grant.
      authFlows: { userSrp: false, userPassword: false, adminUserPassword: false, custom: false, user: false },
      supportedIdentityProviders: [],
      writeAttributes: new cognito.ClientAttributes(),
      oAuth: {
        flows: { authorizationCodeGrant: false, implicitCodeGrant: false, clientCredentials: true },
        scopes: props.scopes.map((scopeName) => cognito.OAuthScope.custom(`${MEDFLOW_RESOURCE_SERVER}/${scopeName}`)),
      },
    });
    // The client asks for medflow/* scopes, which exist only once the resource server does.
    this.client.node.addDependency(props.resourceServer);
    recordEnvironment(this.client, { production: props.production, dataClassification: props.dataClassification });
    this.clientId = this.client.userPoolClientId;
    const store = new ClientSecretStore(this, 'ClientSecret', {
      userPool: props.userPool,
      userPoolClient: this.client,
      encryptionKey: props.encryptionKey,
      secretName: props.secretName,
      logs: { encryptionKey: props.encryptionKey, logRetention: props.logRetention, removalPolicy: props.removalPolicy },
      rotationSchedule: props.rotationSchedule,
      rotationGracePeriod: props.rotationGracePeriod,
    });
    this.clientSecret = store.secret;
    this.rotationErrors = store.rotation.rotationFunction.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM });
  }

}
