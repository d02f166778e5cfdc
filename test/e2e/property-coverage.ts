/*
 * Every property the library emits, by resource type: either mapped onto an AWS SDK call that the
 * harness makes against moto, or listed as unsupported by moto with the reason. The deployer reads
 * properties through `PropertyReader`, which fails when a template carries a property that is in
 * neither list, or when a mapped property was never read: nothing is skipped silently.
 */

export type Coverage = { readonly mapped: string } | { readonly unsupported: string };

const same = (call: string): Coverage => ({ mapped: `${call}, same name` });

export const PROPERTY_COVERAGE: Record<string, Record<string, Coverage>> = {
  'AWS::Cognito::UserPool': {
    UserPoolName: { mapped: 'CreateUserPool PoolName' },
    AccountRecoverySetting: same('CreateUserPool'),
    AdminCreateUserConfig: same('CreateUserPool'),
    AutoVerifiedAttributes: same('CreateUserPool'),
    DeletionProtection: same('CreateUserPool'),
    EmailVerificationMessage: same('CreateUserPool'),
    EmailVerificationSubject: same('CreateUserPool'),
    SmsVerificationMessage: same('CreateUserPool'),
    VerificationMessageTemplate: same('CreateUserPool'),
    LambdaConfig: { mapped: 'CreateUserPool LambdaConfig (moto stores it and never invokes a Lambda; the harness runs the handlers in-process)' },
    MfaConfiguration: same('CreateUserPool'),
    EnabledMfas: { mapped: 'SetUserPoolMfaConfig SoftwareTokenMfaConfiguration' },
    Policies: same('CreateUserPool'),
    Schema: same('CreateUserPool'),
    UserAttributeUpdateSettings: same('CreateUserPool'),
    UserPoolAddOns: same('CreateUserPool'),
    UserPoolTags: same('CreateUserPool'),
    UserPoolTier: same('CreateUserPool'),
    DeviceConfiguration: { mapped: 'CreateUserPool, same name (moto stores it and DescribeUserPool returns it; it remembers no device)' },
    UsernameAttributes: same('CreateUserPool'),
    UsernameConfiguration: same('CreateUserPool'),
    KeyConfiguration: { mapped: 'CreateUserPool, same name, with the stand-in key\'s ARN (moto 5.2.5 stores and returns it, but neither checks the key nor encrypts with it)' },
    EmailConfiguration: {
      mapped: 'CreateUserPool EmailConfiguration (moto stores it and returns it from DescribeUserPool; moto 5.2.5\'s Cognito never sends email, through SES or otherwise)',
    },
    WebAuthnRelyingPartyID: { unsupported: 'moto 5.2.5 has no WebAuthn: SetUserPoolMfaConfig ignores WebAuthnConfiguration and GetUserPoolMfaConfig never returns it' },
    WebAuthnUserVerification: { unsupported: 'moto 5.2.5 has no WebAuthn (see WebAuthnRelyingPartyID)' },
    WebAuthnFactorConfiguration: { unsupported: 'moto 5.2.5 has no WebAuthn (see WebAuthnRelyingPartyID)' },
  },
  'AWS::Cognito::UserPoolClient': {
    UserPoolId: same('CreateUserPoolClient'),
    ClientName: same('CreateUserPoolClient'),
    GenerateSecret: same('CreateUserPoolClient'),
    AccessTokenValidity: { mapped: 'CreateUserPoolClient, same name (moto stores it but signs every token for 3600 s)' },
    IdTokenValidity: { mapped: 'CreateUserPoolClient, same name (moto stores it but signs every token for 3600 s)' },
    RefreshTokenValidity: same('CreateUserPoolClient'),
    TokenValidityUnits: same('CreateUserPoolClient'),
    ReadAttributes: same('CreateUserPoolClient'),
    WriteAttributes: same('CreateUserPoolClient'),
    ExplicitAuthFlows: same('CreateUserPoolClient'),
    SupportedIdentityProviders: same('CreateUserPoolClient'),
    CallbackURLs: same('CreateUserPoolClient'),
    LogoutURLs: same('CreateUserPoolClient'),
    AllowedOAuthFlows: same('CreateUserPoolClient'),
    AllowedOAuthScopes: same('CreateUserPoolClient'),
    AllowedOAuthFlowsUserPoolClient: same('CreateUserPoolClient'),
    PreventUserExistenceErrors: same('CreateUserPoolClient'),
    EnableTokenRevocation: same('CreateUserPoolClient'),
    RefreshTokenRotation: { mapped: 'CreateUserPoolClient, same name (moto 5.2.5 ignores it and has no GetTokensFromRefreshToken; nestjs-backend.e2e.ts fakes that one call, labelled)' },
  },
  'AWS::Cognito::UserPoolDomain': {
    UserPoolId: same('CreateUserPoolDomain'),
    Domain: same('CreateUserPoolDomain'),
    ManagedLoginVersion: same('CreateUserPoolDomain'),
  },
  'AWS::Cognito::UserPoolGroup': {
    UserPoolId: same('CreateGroup'),
    GroupName: same('CreateGroup'),
    Description: same('CreateGroup'),
    Precedence: same('CreateGroup'),
  },
  'AWS::Cognito::UserPoolResourceServer': {
    UserPoolId: same('CreateResourceServer'),
    Identifier: same('CreateResourceServer'),
    Name: same('CreateResourceServer'),
    Scopes: same('CreateResourceServer'),
  },
  'AWS::Cognito::UserPoolRiskConfigurationAttachment': {
    UserPoolId: { unsupported: 'moto 5.2.5 does not implement SetRiskConfiguration or DescribeRiskConfiguration (no threat protection)' },
    ClientId: { unsupported: 'moto 5.2.5 does not implement SetRiskConfiguration (see UserPoolId)' },
    CompromisedCredentialsRiskConfiguration: { unsupported: 'moto 5.2.5 does not implement SetRiskConfiguration (see UserPoolId)' },
    AccountTakeoverRiskConfiguration: { unsupported: 'moto 5.2.5 does not implement SetRiskConfiguration (see UserPoolId)' },
    RiskExceptionConfiguration: { unsupported: 'moto 5.2.5 does not implement SetRiskConfiguration (see UserPoolId)' },
  },
  'AWS::Cognito::ManagedLoginBranding': {
    UserPoolId: { unsupported: 'moto 5.2.5 does not implement CreateManagedLoginBranding (the hosted UI is not emulated)' },
    ClientId: { unsupported: 'moto 5.2.5 does not implement CreateManagedLoginBranding' },
    UseCognitoProvidedValues: { unsupported: 'moto 5.2.5 does not implement CreateManagedLoginBranding' },
  },
  'AWS::Cognito::IdentityPool': {
    IdentityPoolName: same('CreateIdentityPool'),
    AllowUnauthenticatedIdentities: same('CreateIdentityPool'),
    AllowClassicFlow: same('CreateIdentityPool'),
    CognitoIdentityProviders: same('CreateIdentityPool'),
    IdentityPoolTags: { mapped: 'CreateIdentityPool IdentityPoolTags (key/value list to map)' },
  },
  'AWS::Cognito::IdentityPoolRoleAttachment': {
    IdentityPoolId: { unsupported: 'moto 5.2.5 does not implement SetIdentityPoolRoles (a test shows the call failing); the harness evaluates RoleMappings against real ID token claims instead' },
    Roles: { unsupported: 'moto 5.2.5 does not implement SetIdentityPoolRoles' },
    RoleMappings: { unsupported: 'moto 5.2.5 does not implement SetIdentityPoolRoles; the rules are evaluated by the harness against the ID token moto issues' },
  },
  'AWS::Cognito::IdentityPoolPrincipalTag': {
    IdentityPoolId: { unsupported: 'moto 5.2.5 does not implement SetPrincipalTagAttributeMap' },
    IdentityProviderName: { unsupported: 'moto 5.2.5 does not implement SetPrincipalTagAttributeMap' },
    PrincipalTags: { unsupported: 'moto 5.2.5 does not implement SetPrincipalTagAttributeMap; the harness checks that the mapped claim is in the ID token' },
    UseDefaults: { unsupported: 'moto 5.2.5 does not implement SetPrincipalTagAttributeMap' },
  },
  'AWS::DynamoDB::Table': {
    TableName: same('CreateTable'),
    AttributeDefinitions: same('CreateTable'),
    KeySchema: same('CreateTable'),
    BillingMode: same('CreateTable'),
    DeletionProtectionEnabled: same('CreateTable'),
    SSESpecification: { mapped: 'CreateTable SSESpecification (Enabled, SSEType, KMSMasterKeyId of the stand-in key)' },
    Tags: same('CreateTable'),
    TimeToLiveSpecification: { mapped: 'UpdateTimeToLive' },
    PointInTimeRecoverySpecification: { mapped: 'UpdateContinuousBackups' },
  },
  'AWS::DynamoDB::GlobalTable': {
    TableName: { mapped: 'CreateTable TableName' },
    AttributeDefinitions: same('CreateTable'),
    KeySchema: same('CreateTable'),
    BillingMode: same('CreateTable'),
    SSESpecification: { mapped: 'CreateTable SSESpecification (SSEEnabled, SSEType), with the KMSMasterKeyId of the stack Region\'s replica' },
    Replicas: {
      mapped: 'the stack Region\'s replica (CDK renders it last): its DeletionProtectionEnabled, Tags and SSESpecification KMSMasterKeyId on CreateTable, '
        + 'its PointInTimeRecoverySpecification on UpdateContinuousBackups; moto 5.2.5 creates no replica in another Region',
    },
    StreamSpecification: { mapped: 'CreateTable StreamSpecification (StreamEnabled, StreamViewType); a global table replicates through its stream' },
    TimeToLiveSpecification: { mapped: 'UpdateTimeToLive' },
  },
  'AWS::Cognito::UserPoolReplica': {
    RegionName: { unsupported: 'moto 5.2.5 has no multi-Region replication (CreateUserPoolReplica); the unit tests and cfn-lint check the resource' },
    UserPoolId: { unsupported: 'moto 5.2.5 has no multi-Region replication (see RegionName)' },
    UserPoolTagsAtCreate: { unsupported: 'moto 5.2.5 has no multi-Region replication (see RegionName)' },
  },
  'Custom::CrossRegionExportWriter': {
    ServiceToken: { unsupported: 'aws-cdk-lib\'s cross-Region export writer writes SSM parameters in the replica Region through its own Lambda; the replica stack is not deployed on moto' },
    WriterProps: { unsupported: 'see ServiceToken' },
  },
  'AWS::SSM::Parameter': {
    Name: same('PutParameter'),
    Value: same('PutParameter'),
    Type: same('PutParameter'),
    Description: same('PutParameter'),
    Tier: same('PutParameter'),
    Tags: { mapped: 'PutParameter Tags (map to key/value list)' },
  },
  'AWS::SecretsManager::Secret': {
    Name: same('CreateSecret'),
    Description: same('CreateSecret'),
    KmsKeyId: { mapped: 'CreateSecret KmsKeyId (the stand-in key)' },
    Tags: same('CreateSecret'),
    GenerateSecretString: { mapped: 'GetRandomPassword, then CreateSecret SecretString = SecretStringTemplate + GenerateStringKey' },
    ReplicaRegions: { unsupported: 'the replica Region\'s key is named by alias ARN and exists only once the replica stack is deployed, which moto does not; the unit tests check it' },
  },
  'Custom::MedflowClientSecretSync': {
    ServiceToken: { mapped: 'the sync handler (src/backend-config/client-secret-sync.lambda.ts), invoked in-process with a Create event' },
    UserPoolId: { mapped: 'ResourceProperties of the Create event' },
    ClientId: { mapped: 'ResourceProperties of the Create event' },
    SecretId: { mapped: 'ResourceProperties of the Create event' },
  },
  'AWS::SecretsManager::RotationSchedule': {
    SecretId: { unsupported: 'moto 5.2.5 runs a rotation Lambda only in Docker; the harness drives the rotation steps in-process instead' },
    RotationLambdaARN: { unsupported: 'moto runs Lambdas only in Docker (see SecretId)' },
    RotationRules: { unsupported: 'moto has no rotation scheduler' },
    RotateImmediatelyOnUpdate: { unsupported: 'moto has no rotation scheduler' },
  },
  // Operations resources (src/operations/**), created by deploy-operations.ts.
  'AWS::S3::Bucket': {
    BucketEncryption: { mapped: 'PutBucketEncryption (ServerSideEncryptionConfiguration list to Rules, ServerSideEncryptionByDefault to ApplyServerSideEncryptionByDefault)' },
    VersioningConfiguration: { mapped: 'PutBucketVersioning' },
    PublicAccessBlockConfiguration: { mapped: 'PutPublicAccessBlock' },
    OwnershipControls: { mapped: 'PutBucketOwnershipControls' },
    LifecycleConfiguration: { mapped: 'PutBucketLifecycleConfiguration (CloudFormation rule shape to S3 rule shape)' },
    LoggingConfiguration: { mapped: 'PutBucketLogging (DestinationBucketName, LogFilePrefix to TargetBucket, TargetPrefix)' },
    Tags: { mapped: 'PutBucketTagging' },
  },
  'AWS::S3::BucketPolicy': {
    Bucket: { mapped: 'PutBucketPolicy Bucket' },
    PolicyDocument: { mapped: 'PutBucketPolicy Policy (moto stores it and does not enforce it)' },
  },
  'AWS::Logs::LogGroup': {
    LogGroupName: { mapped: 'CreateLogGroup logGroupName (a generated name when absent, as CloudFormation does)' },
    KmsKeyId: { mapped: 'CreateLogGroup kmsKeyId (the stand-in key)' },
    RetentionInDays: { mapped: 'PutRetentionPolicy retentionInDays' },
    Tags: { mapped: 'CreateLogGroup tags (key/value list to map)' },
  },
  'AWS::Cognito::LogDeliveryConfiguration': {
    UserPoolId: { unsupported: 'moto 5.2.5 does not implement SetLogDeliveryConfiguration (no such action in moto/cognitoidp/responses.py); the log groups it points to are created' },
    LogConfigurations: { unsupported: 'moto 5.2.5 does not implement SetLogDeliveryConfiguration; the harness checks that every LogGroupArn resolves to a log group it created' },
  },
  'AWS::SQS::Queue': {
    QueueName: same('CreateQueue'),
    KmsMasterKeyId: { mapped: 'CreateQueue Attributes.KmsMasterKeyId (the stand-in key)' },
    MessageRetentionPeriod: { mapped: 'CreateQueue Attributes.MessageRetentionPeriod' },
    Tags: { mapped: 'CreateQueue tags (key/value list to map)' },
  },
  'AWS::SQS::QueuePolicy': {
    Queues: { mapped: 'SetQueueAttributes QueueUrl, one call per queue' },
    PolicyDocument: { mapped: 'SetQueueAttributes Attributes.Policy (moto stores it and does not enforce it)' },
  },
  'AWS::SNS::Topic': {
    DisplayName: { mapped: 'CreateTopic Attributes.DisplayName' },
    KmsMasterKeyId: { mapped: 'CreateTopic Attributes.KmsMasterKeyId (the stand-in key)' },
    Tags: same('CreateTopic'),
  },
  'AWS::SNS::TopicPolicy': {
    Topics: { mapped: 'SetTopicAttributes TopicArn, one call per topic' },
    PolicyDocument: { mapped: 'SetTopicAttributes Policy (moto stores it and does not enforce it)' },
  },
  'AWS::SNS::Subscription': {
    TopicArn: same('Subscribe'),
    Protocol: same('Subscribe'),
    Endpoint: { mapped: 'Subscribe, same name (moto sends no confirmation email)' },
  },
  'AWS::CloudWatch::Alarm': {
    AlarmName: same('PutMetricAlarm'),
    AlarmDescription: same('PutMetricAlarm'),
    AlarmActions: same('PutMetricAlarm'),
    OKActions: same('PutMetricAlarm'),
    ComparisonOperator: same('PutMetricAlarm'),
    DatapointsToAlarm: same('PutMetricAlarm'),
    EvaluationPeriods: same('PutMetricAlarm'),
    Threshold: same('PutMetricAlarm'),
    TreatMissingData: same('PutMetricAlarm'),
    Metrics: same('PutMetricAlarm'),
    MetricName: same('PutMetricAlarm'),
    Namespace: same('PutMetricAlarm'),
    Dimensions: same('PutMetricAlarm'),
    Period: same('PutMetricAlarm'),
    Statistic: same('PutMetricAlarm'),
    Tags: same('PutMetricAlarm'),
  },
  'AWS::CloudWatch::Dashboard': {
    DashboardName: same('PutDashboard'),
    DashboardBody: { mapped: 'PutDashboard DashboardBody (resolved JSON string)' },
    Tags: { unsupported: 'PutDashboard takes no tags, and moto 5.2.5\'s CloudWatch TagResource accepts only alarm ARNs (moto/cloudwatch/models.py tag_resource)' },
  },
  'AWS::Scheduler::Schedule': {
    Name: same('CreateSchedule'),
    Description: same('CreateSchedule'),
    FlexibleTimeWindow: same('CreateSchedule'),
    ScheduleExpression: same('CreateSchedule'),
    ScheduleExpressionTimezone: same('CreateSchedule'),
    State: same('CreateSchedule'),
    Target: { mapped: 'CreateSchedule Target (Arn, RoleArn, DeadLetterConfig, Input, RetryPolicy); moto never fires it, the harness runs the export in-process with Target.Input' },
  },
  'AWS::SES::ConfigurationSet': {
    Name: { mapped: 'SES v2 CreateConfigurationSet ConfigurationSetName' },
    ReputationOptions: same('SES v2 CreateConfigurationSet'),
    SuppressionOptions: same('SES v2 CreateConfigurationSet'),
    DeliveryOptions: same('SES v2 CreateConfigurationSet'),
    Tags: same('SES v2 CreateConfigurationSet'),
  },
  'AWS::SES::ConfigurationSetEventDestination': {
    ConfigurationSetName: { mapped: 'SES v1 CreateConfigurationSetEventDestination (moto 5.2.5\'s SES v2 has no event destinations; one backend serves both)' },
    EventDestination: { mapped: 'SES v1 CreateConfigurationSetEventDestination EventDestination, named by the logical ID; moto publishes no metrics' },
  },
  'AWS::Budgets::Budget': {
    Budget: { mapped: 'CreateBudget Budget (BudgetLimit.Amount as a string); moto neither evaluates costs nor notifies' },
    NotificationsWithSubscribers: same('CreateBudget'),
  },
};

/**
 * Resource types the rehearsal does not create on moto, with the reason. Their configuration is
 * checked by the unit tests, the nag packs and cfn-lint.
 */
export const NOT_DEPLOYED: Record<string, string> = {
  'AWS::Lambda::Function': 'moto runs Lambdas only in Docker; the harness invokes each handler in-process with the environment variables of its template resource',
  'AWS::Lambda::Permission': 'only grants Cognito, Secrets Manager or EventBridge the right to invoke a Lambda, which the harness invokes in-process',
  'AWS::IAM::Role': 'moto does not enforce IAM policies on API calls, so creating the roles would prove nothing',
  'AWS::IAM::ManagedPolicy': 'moto does not enforce IAM policies on API calls',
  'AWS::KMS::Key': 'a stand-in key is created with CreateKey (multi-Region where the template key is) so that the table, secret, buckets, queue, topic, '
    + 'log groups and the user pool\'s KeyConfiguration reference a real key ARN; the key policy is checked by the unit tests and the nag packs',
  'AWS::KMS::Alias': 'nothing resolves the alias; the stand-in key is referenced by ARN',
  'AWS::Events::Rule': 'moto has no scheduler that would invoke the cleanup or the replica status check; the rotation handler is called in-process, '
    + 'and the status check\'s handler is unit-tested with a fake client (moto has no ListUserPoolReplicas)',
  'AWS::SES::EmailIdentity': 'only with email.hostedZone, which no example stack has; moto would not verify DKIM through DNS anyway. The unit tests check the identity and its records',
  'AWS::Route53::RecordSet': 'only the DKIM records of email.hostedZone (see AWS::SES::EmailIdentity)',
};

/** Reads one resource's properties and records which were used. */
export class PropertyReader {
  private readonly read = new Set<string>();

  constructor(public readonly type: string, public readonly logicalId: string, private readonly properties: Record<string, unknown>) {
    if (!PROPERTY_COVERAGE[type]) throw new Error(`${type} (${logicalId}) has no entry in PROPERTY_COVERAGE.`);
  }

  /** A property's raw (unresolved) value, marked as used. Throws if the table lists it as unsupported. */
  public get(name: string): unknown {
    const coverage = PROPERTY_COVERAGE[this.type][name];
    if (coverage && 'unsupported' in coverage) {
      throw new Error(`${this.type}.${name} is listed as unsupported by moto but the deployer reads it; update PROPERTY_COVERAGE.`);
    }
    this.read.add(name);
    return this.properties[name];
  }

  /** Fails when a property is neither read nor listed as unsupported, or a mapped one was not read. */
  public assertComplete(): void {
    const table = PROPERTY_COVERAGE[this.type];
    const problems: string[] = [];
    for (const name of Object.keys(this.properties)) {
      const coverage = table[name];
      if (!coverage) problems.push(`${name} is neither mapped nor listed as unsupported`);
      else if ('mapped' in coverage && !this.read.has(name)) problems.push(`${name} is listed as mapped (${coverage.mapped}) but was not read`);
    }
    if (problems.length > 0) throw new Error(`${this.type} ${this.logicalId}: ${problems.join('; ')}.`);
  }
}
