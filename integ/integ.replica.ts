/*
 * Deploys a prod primary in us-east-1 with its multi-Region replica in us-west-2, and checks against
 * the live APIs that the pool is encrypted with the customer-managed multi-Region key, that Cognito
 * lists the secondary in the replica Region as INACTIVE (how a new secondary starts), that the
 * secondary answers DescribeUserPool in its own Region with the same key type and the replica
 * Region's triggers, and that the lockout table and the client secret are replicated there.
 *
 * One integ-runner deployment brings it all up, where the documented rollout takes two deployments
 * (ReplicaRolloutPhase.PREPARE_REGION, then REPLICATE): the primary's AWS::Cognito::UserPoolReplica,
 * global table replica and secret replica need keys in the replica Region first, and a
 * MedflowCognitoReplica's own keys are in the replica stack, which deploys after the primary. So
 * those keys live in stacks of their own, deployed first, and reach the construct through
 * `userDataKeyReplica` and `encryptionKey`. Deployment order, from the cross-stack references:
 *
 *   1. UserDataKey (us-east-1): the multi-Region user data key;
 *   2. RegionKeys (us-west-2): its AWS::KMS::ReplicaKey and the replica Region's library key;
 *   3. Primary (us-east-1): MedflowCognito, the pool replica, the global table and secret replicas;
 *   4. Replica (us-west-2): MedflowCognitoReplica (triggers, regional configuration, identity pool, SSM);
 *   5. ReplicaAssert (us-west-2), then the assertion stack (us-east-1).
 *
 * The assertions provider calls the SDK in its own stack's Region (integ-tests-alpha 2.245 passes no
 * Region to the call), and integ-runner reads results only from the assertion stack's outputs. So the
 * replica Region's calls sit in a stack of that Region, and their results are asserted again in the
 * assertion stack, where a failure is reported.
 */
import * as path from 'node:path';
import { ActualResult, AwsApiCall, ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { EmailSender, EnvironmentPreset, MedflowCognito, MedflowCognitoReplica } from '../src';
import { cognitoUserDataStatement } from '../src/user-pool/user-data-key';

const PRIMARY_REGION = 'us-east-1';
const REPLICA_REGION = 'us-west-2';

const app = new App({ stackTraces: false });
// Every stack takes part in cross-Region references; only the Region is set, so snapshots hold no account.
const stackIn = (id: string, region: string) => new Stack(app, `MedflowCognitoReplicaInteg${id}`, { env: { region }, crossRegionReferences: true });

// 1. The user data key: multi-Region, usable by Cognito pools of this account in the primary's Region.
const keyStack = stackIn('UserDataKey', PRIMARY_REGION);
const userDataKey = new kms.Key(keyStack, 'UserDataKey', {
  description: 'Encrypts the user data of the replica integ test user pool (KeyConfiguration).',
  multiRegion: true,
  enableKeyRotation: true,
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
userDataKey.addToResourcePolicy(cognitoUserDataStatement(keyStack));

// 2. The replica Region's keys, with the policies MedflowCognitoReplica would give them.
const regionKeys = stackIn('RegionKeys', REPLICA_REGION);
const userDataKeyReplica = new kms.CfnReplicaKey(regionKeys, 'UserDataKeyReplica', {
  primaryKeyArn: userDataKey.keyArn,
  description: 'Replica of the user data key of the replica integ test user pool (KeyConfiguration).',
  keyPolicy: new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({ sid: 'AllowAccountAdministration', principals: [new iam.AccountRootPrincipal()], actions: ['kms:*'], resources: ['*'] }),
      cognitoUserDataStatement(regionKeys),
    ],
  }),
  pendingWindowInDays: 7,
});
userDataKeyReplica.applyRemovalPolicy(RemovalPolicy.DESTROY);
// MedflowCognitoReplica adds the statement that lets CloudWatch Logs of this Region use it.
const encryptionKey = new kms.Key(regionKeys, 'EncryptionKey', {
  alias: 'alias/prod-medflowdrinteg-cognito',
  description: 'Encrypts the replica integ test log groups, lockout table replica and client secret replica.',
  enableKeyRotation: true,
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});

// 3. The primary: the prod preset, made removable so the test leaves nothing behind.
const primaryStack = stackIn('Primary', PRIMARY_REGION);
const auth = new MedflowCognito(primaryStack, 'Auth', {
  preset: EnvironmentPreset.prod().withOverrides({ deletionProtection: false, removalPolicy: RemovalPolicy.DESTROY }),
  projectName: 'medflowdrinteg',
  email: EmailSender.ses({ fromAddress: 'no-reply@medflowinteg.example', fromName: 'MedFlow integ' }),
  userDataKey,
  securityTriggers: { globalLockoutTable: true },
  // This test's own lock file: a change that would replace the pool or its replica fails the snapshot check.
  replacementGuard: { lockFile: path.join(__dirname, 'replica.lock.json') },
});

// 4. The replica Region.
const replicaStack = stackIn('Replica', REPLICA_REGION);
const replica = new MedflowCognitoReplica(replicaStack, 'AuthReplica', {
  primary: auth,
  encryptionKey,
  userDataKeyReplica: kms.Key.fromKeyArn(regionKeys, 'UserDataKeyReplicaRef', userDataKeyReplica.attrArn),
});

// 5. Calls in the replica Region, after the regional configuration exists.
const replicaAssertStack = stackIn('ReplicaAssert', REPLICA_REGION);
replicaAssertStack.addDependency(replicaStack);
const describeSecondary = (id: string) => {
  const call = new AwsApiCall(replicaAssertStack, id, {
    service: 'CognitoIdentityServiceProvider',
    api: 'describeUserPool',
    parameters: { UserPoolId: replica.userPoolId },
  });
  // integ-runner compares every stack but the assertion stack with its snapshot, and the call's salt is
  // the synthesis time. A fixed salt keeps the snapshot stable; the call still runs when the stack is created.
  (call.node.findChild('Default').node.defaultChild as CfnResource).addPropertyOverride('salt', 'replica-integ');
  return call;
};
const secondaryKey = describeSecondary('DescribeSecondaryKey').expect(ExpectedResult.objectLike({ UserPool: { KeyConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY' } } }));
// The regional configuration put this Region's functions on the secondary.
const secondaryTriggers = describeSecondary('DescribeSecondaryTriggers').assertAtPath('UserPool.LambdaConfig.PreAuthentication', ExpectedResult.stringLikeRegexp(`^arn:aws[a-z-]*:lambda:${REPLICA_REGION}:`));

const assertStack = stackIn('Assert', PRIMARY_REGION);
const integ = new IntegTest(app, 'MedflowCognitoReplica', {
  testCases: [keyStack, regionKeys, primaryStack, replicaStack, replicaAssertStack],
  assertionStack: assertStack,
  diffAssets: false,
  stackUpdateWorkflow: false,
});

// The replica Region's results, read across Regions: each is {"status":"success"} or the mismatch.
for (const [id, call] of [['SecondaryKeyConfiguration', secondaryKey], ['SecondaryRegionalTriggers', secondaryTriggers]] as const) {
  integ.assertions.expect(id, ExpectedResult.objectLike({ status: 'success' }), ActualResult.fromAwsApiCall(call, 'assertion'));
}

integ.assertions
  .awsApiCall('CognitoIdentityServiceProvider', 'describeUserPool', { UserPoolId: auth.userPoolId })
  .expect(ExpectedResult.objectLike({ UserPool: { KeyConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY' } } }));

// A new secondary starts INACTIVE; the library never activates it.
integ.assertions
  .awsApiCall('CognitoIdentityServiceProvider', 'listUserPoolReplicas', { UserPoolId: auth.userPoolId })
  .expect(ExpectedResult.objectLike({
    UserPoolReplicas: Match.arrayWith([Match.objectLike({ RegionName: REPLICA_REGION, Status: 'INACTIVE', Role: 'SECONDARY' })]),
  }));

// Shared state: the lockout table and the client secret have replicas in the replica Region.
integ.assertions
  .awsApiCall('DynamoDB', 'describeTable', { TableName: auth.securityTriggers.lockoutTableName })
  .expect(ExpectedResult.objectLike({ Table: { Replicas: Match.arrayWith([Match.objectLike({ RegionName: REPLICA_REGION, ReplicaStatus: 'ACTIVE' })]) } }));

integ.assertions
  .awsApiCall('SecretsManager', 'describeSecret', { SecretId: auth.appClientSecretArn! })
  .expect(ExpectedResult.objectLike({ ReplicationStatus: [Match.objectLike({ Region: REPLICA_REGION, Status: 'InSync' })] }));
