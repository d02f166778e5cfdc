import {
  Annotations,
  RemovalPolicy,
  aws_cognito as cognito,
  aws_cognito_identitypool as identitypool,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DocumentAccess, HealthcareRole } from './healthcare-roles';
import { acknowledgeRules, nagResourceName } from '../internal/acknowledgements';

/** The principal tag that carries the user's clinic into IAM policies. */
const CLINIC_TAG = 'clinic_id';
const USER_ROLE_CLAIM = 'custom:user_role';

/** Props for `ClinicIdentity`. */
export interface ClinicIdentityProps {
  /** The user pool whose users get AWS credentials. */
  readonly userPool: cognito.IUserPool;
  /** The app client the identity pool trusts. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The healthcare roles; each gets an IAM role chosen by the `custom:user_role` claim. */
  readonly roles: HealthcareRole[];
  /** Name of the identity pool. */
  readonly identityPoolName: string;
  /** Name of the identity pool's default authenticated role (which has no permissions). */
  readonly authenticatedRoleName: string;
  /** Name of the role for unauthenticated identities (which has no permissions). */
  readonly unauthenticatedRoleName: string;
  /**
   * Whether guests get (permissionless) unauthenticated identities.
   * @default false
   */
  readonly allowUnauthenticatedIdentities?: boolean;
  /**
   * Bucket holding clinic documents under `clinics/<clinic_id>/clinical/` and `clinics/<clinic_id>/admin/`.
   * @default - roles get no S3 access
   */
  readonly documentsBucket?: s3.IBucket;
  /** Key encrypting the audit log group. */
  readonly encryptionKey: kms.IKey;
  /** Retention of the audit log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the audit log group. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * The app client of federated (hospital identity provider) sign-in. Its users get the same
   * role rules, keyed for this client, and the same `clinic_id` principal tag.
   * @default - only `userPoolClient`
   */
  readonly federatedUserPoolClient?: cognito.IUserPoolClient;
}

/**
 * An identity pool that gives each healthcare role its own IAM role, chosen by the
 * `custom:user_role` claim, and keeps each clinic's documents apart with the `clinic_id`
 * principal tag. Users matching no rule, or several, are denied credentials.
 */
export class ClinicIdentity extends Construct {
  /** The identity pool. */
  public readonly identityPool: identitypool.IdentityPool;
  /** IAM role of each healthcare role, by role name. */
  public readonly roleArns: Record<string, string>;
  /** The one log group every role may write client audit events to. */
  public readonly auditLogGroup: logs.ILogGroup;
  private readonly roles: Record<string, iam.Role> = {};

  constructor(scope: Construct, id: string, props: ClinicIdentityProps) {
    super(scope, id);
    const allowGuests = props.allowUnauthenticatedIdentities ?? false;

    this.identityPool = new identitypool.IdentityPool(this, 'IdentityPool', {
      identityPoolName: props.identityPoolName,
      allowUnauthenticatedIdentities: allowGuests,
      allowClassicFlow: false,
      authenticationProviders: {
        userPools: [props.userPoolClient, ...(props.federatedUserPoolClient ? [props.federatedUserPoolClient] : [])]
          .map((userPoolClient) => new identitypool.UserPoolAuthenticationProvider({
            userPool: props.userPool,
            userPoolClient,
            disableServerSideTokenCheck: false,
          })),
      },
    });
    this.nameDefaultRoles(props);

    this.auditLogGroup = new logs.LogGroup(this, 'ClientAuditLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    const roleArns: Record<string, string> = {};
    for (const role of props.roles) {
      roleArns[role.name] = this.createRole(role, props).roleArn;
    }
    this.roleArns = roleArns;
    this.mapRolesByClaim(props);

    new cognito.CfnIdentityPoolPrincipalTag(this, 'ClinicPrincipalTag', {
      identityPoolId: this.identityPool.identityPoolId,
      identityProviderName: props.userPool.userPoolProviderName,
      principalTags: { [CLINIC_TAG]: 'custom:clinic_id' },
      useDefaults: false,
    });

    if (allowGuests) {
      Annotations.of(this).addWarningV2('@medflow/cognito-construct:unauthenticated-identities',
        'Unauthenticated identities are enabled. Their role has no permissions; grant none without a documented risk assessment.');
      acknowledgeRules(this.identityPool, {
        id: 'AwsSolutions-COG7',
        reason: 'Unauthenticated identities were enabled explicitly with allowUnauthenticatedIdentities, and their role carries no permissions at all.',
      });
    }
  }

  private nameDefaultRoles(props: ClinicIdentityProps): void {
    const names: Record<string, string> = {
      AuthenticatedRole: props.authenticatedRoleName,
      UnauthenticatedRole: props.unauthenticatedRoleName,
    };
    for (const [childId, roleName] of Object.entries(names)) {
      const role = this.identityPool.node.findChild(childId).node.defaultChild as iam.CfnRole;
      role.roleName = roleName;
    }
  }

  private createRole(role: HealthcareRole, props: ClinicIdentityProps): iam.Role {
    const principal = new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {
      'StringEquals': { 'cognito-identity.amazonaws.com:aud': this.identityPool.identityPoolId },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    }, 'sts:AssumeRoleWithWebIdentity').withSessionTags();
    const iamRole = new iam.Role(this, `Role-${role.name}`, {
      assumedBy: principal,
      description: `MedFlow ${role.name}: ${role.description}`.slice(0, 1000),
    });
    this.roles[role.name] = iamRole;

    const statements = [
      new iam.PolicyStatement({
        sid: 'WriteClientAuditEvents',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.auditLogGroup.logGroupArn],
      }),
      ...documentStatements(role, props.documentsBucket),
    ];
    const policy = new iam.ManagedPolicy(this, `Policy-${role.name}`, {
      roles: [iamRole],
      description: `Least privilege for MedFlow ${role.name}: own clinic's documents only, one audit log group.`,
      statements,
    });
    if (props.documentsBucket && statements.length > 1) {
      const tagScopedResources = statements.flatMap((s) => s.resources).filter((r) => r.includes(`\${aws:PrincipalTag/${CLINIC_TAG}}`));
      acknowledgeRules(policy, ...tagScopedResources.map((resource) => ({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, resource)}]`,
        reason: `The wildcard only covers objects under the caller's own clinic prefix, fixed by the ${CLINIC_TAG} principal tag that Cognito sets from the admin-only custom:clinic_id attribute.`,
      })));
    }
    return iamRole;
  }

  private mapRolesByClaim(props: ClinicIdentityProps): void {
    const attachment = this.identityPool.node.findChild('DefaultRoleAttachment').node.defaultChild as cognito.CfnIdentityPoolRoleAttachment;
    const mappingFor = (client: cognito.IUserPoolClient): cognito.CfnIdentityPoolRoleAttachment.RoleMappingProperty => ({
      identityProvider: `${props.userPool.userPoolProviderName}:${client.userPoolClientId}`,
      type: 'Rules',
      ambiguousRoleResolution: 'Deny',
      rulesConfiguration: {
        rules: props.roles.map((role) => ({
          claim: USER_ROLE_CLAIM,
          matchType: 'Equals',
          value: role.name,
          roleArn: this.roles[role.name].roleArn,
        })),
      },
    });
    attachment.roleMappings = {
      cognito: mappingFor(props.userPoolClient),
      ...(props.federatedUserPoolClient ? { federated: mappingFor(props.federatedUserPoolClient) } : {}),
    };
  }
}

function documentStatements(role: HealthcareRole, bucket: s3.IBucket | undefined): iam.PolicyStatement[] {
  if (!bucket) return [];
  const statements: iam.PolicyStatement[] = [];
  const areas: [string, DocumentAccess][] = [['clinical', role.clinicalDocuments], ['admin', role.administrativeDocuments]];
  for (const [area, access] of areas) {
    if (access === DocumentAccess.NONE) continue;
    const prefix = `clinics/\${aws:PrincipalTag/${CLINIC_TAG}}/${area}/`;
    statements.push(new iam.PolicyStatement({
      sid: `${capitalize(area)}Documents${access === DocumentAccess.READ ? 'Read' : 'ReadWrite'}`,
      actions: access === DocumentAccess.READ ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }));
    statements.push(new iam.PolicyStatement({
      sid: `${capitalize(area)}DocumentsList`,
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }));
  }
  if (statements.length > 0 && bucket.encryptionKey) {
    statements.push(new iam.PolicyStatement({
      sid: 'DocumentsKeyThroughS3',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [bucket.encryptionKey.keyArn],
      conditions: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
    }));
  }
  return statements;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
