/*
 * The HIPAA Security Rule (45 CFR Part 164, Subpart C) controls the compliance report is organised by,
 * and the controls each rule of cdk-nag's HIPAA Security pack supports.
 *
 * The rule-to-control table is written from the "(Control IDs: ...)" that cdk-nag 3.0.2 documents in
 * each rule's info (cdk-nag src/packs/hipaa-security.ts); a test compares it with the installed pack.
 * MedflowHealthcareChecks rules carry their own control. AwsSolutions and NIST 800-53 rules have no
 * HIPAA mapping and are not placed under a control.
 */

/** Title of each 45 CFR 164.3xx implementation specification or standard the report can name. */
export const HIPAA_CONTROL_TITLES: Readonly<Record<string, string>> = {
  '164.308(a)(1)(ii)(B)': 'Risk management',
  '164.308(a)(1)(ii)(D)': 'Information system activity review',
  '164.308(a)(3)(i)': 'Workforce security',
  '164.308(a)(3)(ii)(A)': 'Authorization and/or supervision',
  '164.308(a)(3)(ii)(B)': 'Workforce clearance procedure',
  '164.308(a)(4)(i)': 'Information access management',
  '164.308(a)(4)(ii)(A)': 'Isolating health care clearinghouse functions',
  '164.308(a)(4)(ii)(B)': 'Access authorization',
  '164.308(a)(4)(ii)(C)': 'Access establishment and modification',
  '164.308(a)(5)(ii)(A)': 'Security reminders',
  '164.308(a)(5)(ii)(C)': 'Log-in monitoring',
  '164.308(a)(5)(ii)(D)': 'Password management',
  '164.308(a)(6)(ii)': 'Response and reporting',
  '164.308(a)(7)(i)': 'Contingency plan',
  '164.308(a)(7)(ii)(A)': 'Data backup plan',
  '164.308(a)(7)(ii)(B)': 'Disaster recovery plan',
  '164.308(a)(7)(ii)(C)': 'Emergency mode operation plan',
  '164.312(a)(1)': 'Access control',
  '164.312(a)(2)(iii)': 'Automatic logoff',
  '164.312(a)(2)(iv)': 'Encryption and decryption',
  '164.312(b)': 'Audit controls',
  '164.312(c)(1)': 'Integrity',
  '164.312(c)(2)': 'Mechanism to authenticate electronic protected health information',
  '164.312(d)': 'Person or entity authentication',
  '164.312(e)(1)': 'Transmission security',
  '164.312(e)(2)(i)': 'Integrity controls',
  '164.312(e)(2)(ii)': 'Encryption',
};

/** cdk-nag's HIPAA.Security rules (by rule name, without the pack prefix) and the controls they support. */
export const CDK_NAG_HIPAA_SECURITY_CONTROLS: Readonly<Record<string, readonly string[]>> = {
  APIGWCacheEnabledAndEncrypted: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  APIGWExecutionLoggingEnabled: ['164.312(b)'],
  APIGWSSLEnabled: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  APIGWXrayEnabled: ['164.312(b)'],
  AutoScalingGroupELBHealthCheckRequired: ['164.312(b)'],
  AutoScalingLaunchConfigPublicIpDisabled: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  CloudTrailCloudWatchLogsEnabled: ['164.308(a)(3)(ii)(A)', '164.312(b)'],
  CloudTrailEncryptionEnabled: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  CloudTrailLogFileValidationEnabled: ['164.312(c)(1)', '164.312(c)(2)'],
  CloudWatchAlarmAction: ['164.312(b)'],
  CloudWatchLogGroupEncrypted: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  CloudWatchLogGroupRetentionPeriod: ['164.312(b)'],
  CodeBuildProjectEnvVarAwsCred: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  CodeBuildProjectSourceRepoUrl: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  DMSReplicationNotPublic: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  DynamoDBAutoScalingEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(C)'],
  DynamoDBInBackupPlan: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  DynamoDBPITREnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  EC2EBSInBackupPlan: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  EC2EBSOptimizedInstance: ['164.308(a)(7)(i)'],
  EC2IMDSv2Enabled: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  EC2InstanceDetailedMonitoringEnabled: ['164.312(b)'],
  EC2InstanceNoPublicIp: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  EC2InstanceProfileAttached: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  EC2InstancesInVPC: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  EC2RestrictedCommonPorts: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  EC2RestrictedSSH: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  ECSTaskDefinitionUserForHostMode: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  EFSInBackupPlan: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  EFSEncrypted: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  ElastiCacheRedisClusterAutomaticBackup: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  ElasticBeanstalkEnhancedHealthReportingEnabled: ['164.312(b)'],
  ElasticBeanstalkManagedUpdatesEnabled: ['164.308(a)(5)(ii)(A)'],
  ALBHttpDropInvalidHeaderEnabled: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  ALBHttpToHttpsRedirection: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  ELBACMCertificateRequired: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  ELBCrossZoneLoadBalancingEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(C)'],
  ELBDeletionProtectionEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(C)'],
  ELBLoggingEnabled: ['164.312(b)'],
  ELBTlsHttpsListenersOnly: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  ELBv2ACMCertificateRequired: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  EMRKerberosEnabled: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  IAMGroupHasUsers: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  IAMNoInlinePolicy: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  IAMPolicyNoStatementsWithAdminAccess: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  IAMPolicyNoStatementsWithFullAccess: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  IAMUserGroupMembership: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  IAMUserNoPolicies: ['164.308(a)(3)(i)', '164.308(a)(3)(ii)(A)', '164.308(a)(3)(ii)(B)', '164.308(a)(4)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  LambdaConcurrency: ['164.312(b)'],
  LambdaDLQ: ['164.312(b)'],
  LambdaFunctionPublicAccessProhibited: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  LambdaInsideVPC: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  OpenSearchEncryptedAtRest: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  OpenSearchInVPCOnly: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  OpenSearchErrorLogsToCloudWatch: ['164.308(a)(3)(ii)(A)', '164.312(b)'],
  OpenSearchNodeToNodeEncryption: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  RDSAutomaticMinorVersionUpgradeEnabled: ['164.308(a)(5)(ii)(A)'],
  RDSEnhancedMonitoringEnabled: ['164.312(b)'],
  RDSInBackupPlan: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  RDSInstanceBackupEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  RDSInstanceDeletionProtectionEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(C)'],
  RDSMultiAZSupport: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(C)'],
  RDSInstancePublicAccess: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  RDSLoggingEnabled: ['164.308(a)(3)(ii)(A)', '164.308(a)(5)(ii)(C)'],
  RDSStorageEncrypted: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  RedshiftBackupEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  RedshiftClusterConfiguration: ['164.312(a)(2)(iv)', '164.312(b)', '164.312(e)(2)(ii)'],
  RedshiftClusterMaintenanceSettings: ['164.308(a)(5)(ii)(A)', '164.308(a)(7)(ii)(A)'],
  RedshiftClusterPublicAccess: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  RedshiftEnhancedVPCRoutingEnabled: ['164.312(e)(1)'],
  RedshiftRequireTlsSSL: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  S3BucketLevelPublicAccessProhibited: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  S3BucketLoggingEnabled: ['164.308(a)(3)(ii)(A)', '164.312(b)'],
  S3BucketPublicReadProhibited: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  S3BucketPublicWriteProhibited: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  S3BucketReplicationEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  S3BucketSSLRequestsOnly: ['164.312(a)(2)(iv)', '164.312(c)(2)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  S3BucketVersioningEnabled: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.312(c)(1)', '164.312(c)(2)'],
  S3DefaultEncryptionKMS: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  SageMakerEndpointConfigurationKMSKeyConfigured: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  SageMakerNotebookInstanceKMSKeyConfigured: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  SageMakerNotebookNoDirectInternetAccess: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  SecretsManagerRotationEnabled: ['164.308(a)(4)(ii)(B)'],
  SecretsManagerUsingKMSKey: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  SNSEncryptedKMS: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  VPCDefaultSecurityGroupClosed: ['164.312(e)(1)'],
  VPCFlowLogsEnabled: ['164.308(a)(3)(ii)(A)', '164.312(b)'],
  VPCNoUnrestrictedRouteToIGW: ['164.312(e)(1)'],
  VPCSubnetAutoAssignPublicIpDisabled: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  WAFv2LoggingEnabled: ['164.312(b)'],
};

/** Sorts 45 CFR section numbers in document order: 164.308(a)(3)(i) before 164.308(a)(3)(ii)(A) before 164.312(a)(1). */
export function compareControls(a: string, b: string): number {
  const parts = (c: string) => c.split(/[().]/).filter((p) => p !== '');
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    if (pa[i] === pb[i]) continue;
    const na = Number(pa[i]);
    const nb = Number(pb[i]);
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    const ra = ROMAN.indexOf(pa[i]);
    const rb = ROMAN.indexOf(pb[i]);
    if (ra >= 0 && rb >= 0) return ra - rb;
    return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

const ROMAN = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'];
