import { App, Stack, aws_certificatemanager as acm, aws_kms as kms, aws_route53 as route53, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { DocumentAccess, EnvironmentPreset, HealthcareRole, MedflowCognito, MedflowCognitoProps, MedflowScope } from '../../src';
import { PRESET_NAMES, construct, synthesize, TEST_EMAIL } from '../helpers';

const TAG_PREFIX = 'clinics/${aws:PrincipalTag/clinic_id}';

/** prod with a KMS-encrypted documents bucket in the same stack. */
function withDocuments(overrides: Partial<MedflowCognitoProps> = {}) {
  const stack = new Stack(new App(), 'Docs', { env: { region: 'eu-west-1' } });
  const documentsBucket = new s3.Bucket(stack, 'Documents', { encryptionKey: new kms.Key(stack, 'DocumentsKey', { enableKeyRotation: true }) });
  const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, documentsBucket, ...overrides });
  return { stack, auth, template: Template.fromStack(stack) };
}

function policyOf(template: Template, roleName: string): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`AuthIdentityRole${roleName.replace(/_/g, '')}`) }] },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies)[0].Properties.PolicyDocument.Statement;
}

function flatten(resource: unknown): string {
  return typeof resource === 'string' ? resource : JSON.stringify(resource);
}

describe('healthcare roles, groups and scopes', () => {
  test.each(PRESET_NAMES)('%s: one group per default role with its precedence', (preset) => {
    const { template } = synthesize(preset);
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 4);
    for (const [name, precedence] of [['clinic_admin', 10], ['physician', 20], ['nurse', 30], ['receptionist', 40]] as const) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: name, Precedence: precedence, RoleArn: Match.absent() });
    }
  });

  test('the medflow resource server has the five workflow scopes', () => {
    synthesize('prod').template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'medflow',
      Name: 'prod-medflow-cognito-resource-server',
      Scopes: ['patients.read', 'patients.write', 'appointments.read', 'appointments.write', 'admin'].map((s) => ({
        ScopeName: s, ScopeDescription: Match.anyValue(),
      })),
    });
  });

  test.each(PRESET_NAMES)('%s: the V2_0 pre token generation trigger carries each role\'s scopes', (preset) => {
    const { template } = synthesize(preset);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: Match.anyValue(), LambdaVersion: 'V2_0' } },
    });
    const fn = Object.values(template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { RESOURCE_SERVER_IDENTIFIER: 'medflow' } } },
    }))[0];
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Timeout).toBeLessThan(5);
    expect(JSON.parse(fn.Properties.Environment.Variables.ROLE_SCOPES)).toEqual({
      clinic_admin: ['medflow/admin', 'medflow/appointments.read', 'medflow/appointments.write'],
      physician: ['medflow/patients.read', 'medflow/patients.write', 'medflow/appointments.read', 'medflow/appointments.write'],
      nurse: ['medflow/patients.read', 'medflow/patients.write', 'medflow/appointments.read'],
      receptionist: ['medflow/appointments.read', 'medflow/appointments.write'],
    });
  });

  test('custom roles replace the defaults everywhere', () => {
    const triage = HealthcareRole.custom({
      name: 'triage_nurse',
      precedence: 5,
      description: 'Triage.',
      scopes: [MedflowScope.PATIENTS_READ],
      clinicalDocuments: DocumentAccess.READ,
      clinical: true,
    });
    const { template, auth } = synthesize('prod', { healthcareRoles: [triage, HealthcareRole.RECEPTIONIST] });
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 2);
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'triage_nurse', Precedence: 5 });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: {
        cognito: Match.objectLike({
          RulesConfiguration: { Rules: [Match.objectLike({ Value: 'triage_nurse' }), Match.objectLike({ Value: 'receptionist' })] },
        }),
      },
    });
    expect(auth.healthcareRoles.map((r) => r.name)).toEqual(['triage_nurse', 'receptionist']);
    expect(triage.administrativeDocuments).toBe(DocumentAccess.NONE);
  });
});

describe('identity pool', () => {
  test('maps custom:user_role to one IAM role per healthcare role and denies ambiguous or unmatched users', () => {
    const { template } = synthesize('prod');
    const attachment = Object.values(template.findResources('AWS::Cognito::IdentityPoolRoleAttachment'))[0];
    const mapping = attachment.Properties.RoleMappings.cognito;
    expect(mapping.Type).toBe('Rules');
    expect(mapping.AmbiguousRoleResolution).toBe('Deny');
    expect(mapping.IdentityProvider).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^AuthUserPool/), 'ProviderName'] }, ':', { Ref: expect.stringMatching(/^AuthUserPoolAppClient/) }]],
    });
    expect(mapping.RulesConfiguration.Rules.map((r: any) => [r.Claim, r.MatchType, r.Value])).toEqual([
      ['custom:user_role', 'Equals', 'clinic_admin'],
      ['custom:user_role', 'Equals', 'physician'],
      ['custom:user_role', 'Equals', 'nurse'],
      ['custom:user_role', 'Equals', 'receptionist'],
    ]);
    const roleIds = mapping.RulesConfiguration.Rules.map((r: any) => r.RoleARN['Fn::GetAtt'][0]);
    expect(new Set(roleIds).size).toBe(4);
  });

  test('maps the custom:clinic_id claim to the clinic_id principal tag', () => {
    synthesize('prod').template.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', {
      PrincipalTags: { clinic_id: 'custom:clinic_id' },
      UseDefaults: false,
      IdentityProviderName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthUserPool'), 'ProviderName'] },
    });
  });

  test('per-role IAM roles trust only this identity pool\'s authenticated identities and may tag the session', () => {
    const { template } = synthesize('prod');
    const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('^MedFlow (clinic_admin|physician|nurse|receptionist):') } });
    expect(Object.keys(roles)).toHaveLength(4);
    for (const role of Object.values(roles)) {
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Condition: {
          'StringEquals': { 'cognito-identity.amazonaws.com:aud': { Ref: expect.stringMatching(/^AuthIdentityIdentityPool/) } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      }]);
    }
  });

  test('without a documents bucket every role may only write the one audit log group', () => {
    const { template } = synthesize('prod');
    for (const role of ['clinic_admin', 'physician', 'nurse', 'receptionist']) {
      expect(policyOf(template, role)).toEqual([{
        Sid: 'WriteClientAuditEvents',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AuthIdentityClientAuditLogs/), 'Arn'] },
      }]);
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 2192, KmsKeyId: Match.anyValue() });
  });

  test('document access follows each role: receptionists never reach clinical documents', () => {
    const { template } = withDocuments();
    const s3Resources = (role: string) => policyOf(template, role)
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:Get') || a.startsWith('s3:Put')))
      .map((s) => [[s.Action].flat().join(','), flatten(s.Resource)]);
    expect(s3Resources('physician')).toEqual([
      ['s3:GetObject,s3:PutObject', expect.stringContaining(`/${TAG_PREFIX}/clinical/*`)],
      ['s3:GetObject', expect.stringContaining(`/${TAG_PREFIX}/admin/*`)],
    ]);
    expect(s3Resources('nurse')).toEqual([['s3:GetObject,s3:PutObject', expect.stringContaining(`/${TAG_PREFIX}/clinical/*`)]]);
    expect(s3Resources('receptionist')).toEqual([['s3:GetObject,s3:PutObject', expect.stringContaining(`/${TAG_PREFIX}/admin/*`)]]);
    expect(s3Resources('clinic_admin')).toEqual([['s3:GetObject,s3:PutObject', expect.stringContaining(`/${TAG_PREFIX}/admin/*`)]]);
    const receptionistJson = JSON.stringify(policyOf(template, 'receptionist'));
    expect(receptionistJson).not.toContain('/clinical/');
    expect(receptionistJson).not.toContain('s3:DeleteObject');
  });

  test('listing is limited to the role\'s own clinic prefixes and the bucket key is used only through S3', () => {
    const statements = policyOf(withDocuments().template, 'nurse');
    expect(statements.find((s) => s.Action === 's3:ListBucket')?.Condition).toEqual({ StringLike: { 's3:prefix': [`${TAG_PREFIX}/clinical/*`] } });
    expect(statements.find((s) => s.Sid === 'DocumentsKeyThroughS3')).toEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
    }));
  });

  test('no IAM wildcard outside the clinic_id tag-scoped prefix', () => {
    const { template } = withDocuments();
    // The identity pool's policies; the user export's prefix wildcard is tested with the backup.
    const statements = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter(([id]) => id.startsWith('AuthIdentity')).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements.length).toBeGreaterThan(4);
    for (const statement of statements) {
      expect([statement.Action].flat().filter((a: string) => a.includes('*'))).toEqual([]);
      for (const resource of [statement.Resource].flat().map(flatten)) {
        if (resource.includes('*')) {
          expect(resource).toMatch(/\/clinics\/\$\{aws:PrincipalTag\/clinic_id\}\/(clinical|admin)\/\*"?\]*\}?$/);
        }
      }
    }
  });

  test('the nag packs stay clean with a documents bucket, imported or in the stack', () => {
    const { stack } = withDocuments();
    const other = new Stack(new App(), 'Imported', { env: { region: 'eu-west-1' } });
    new MedflowCognito(other, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, documentsBucket: s3.Bucket.fromBucketName(other, 'B', 'clinic-docs') });
    for (const target of [stack, other]) {
      const findings = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()]
        .flatMap((pack) => pack.validateScope(target).violations)
        .filter((v) => v.violatingResources.some((r) => r.constructPath?.includes('/Auth/')));
      expect(findings.map((f) => f.ruleName)).toEqual([]);
    }
  });

  test('guests are refused by default; allowing them gives a permissionless role, a warning and an acknowledgement', () => {
    synthesize('prod').template.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false });
    const { template, stack } = synthesize('prod', { allowUnauthenticatedIdentities: true });
    template.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: true });
    const unauthRole = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'prod-medflow-cognito-unauthenticated-role' } }))[0];
    expect(unauthRole.Properties.Policies).toBeUndefined();
    expect(unauthRole.Properties.ManagedPolicyArns).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('Unauthenticated identities are enabled'));
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

describe('custom domain', () => {
  const zoneIn = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0000000000TEST', zoneName: 'medflow.example' });

  test('a hosted zone in us-east-1 creates a DNS-validated certificate and alias A/AAAA records', () => {
    const stack = new Stack(new App(), 'UsEast', { env: { region: 'us-east-1' } });
    const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, customDomain: { domainName: 'auth.medflow.example', hostedZone: zoneIn(stack) } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'auth.medflow.example', ValidationMethod: 'DNS' });
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'auth.medflow.example.',
        Type: type,
        HostedZoneId: 'Z0000000000TEST',
        AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthUserPoolDomain'), 'CloudFrontDistribution'] }, HostedZoneId: Match.anyValue() },
      });
    }
    expect(auth.customDomainUrl).toBe('https://auth.medflow.example');
    // The endpoint comes from the domain resource, not through a custom resource that reads it.
    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type).filter((t: string) => t.startsWith('Custom::')))
      .toEqual(['Custom::MedflowClientSecretSync']);
  });

  test('a custom domain with its zone uses no deprecated API', () => {
    const previous = process.env.JSII_DEPRECATED;
    process.env.JSII_DEPRECATED = 'fail';
    try {
      const stack = new Stack(new App(), 'NoDeprecated', { env: { region: 'us-east-1' } });
      new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, customDomain: { domainName: 'auth.medflow.example', hostedZone: zoneIn(stack) } });
      expect(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).not.toEqual({});
    } finally {
      if (previous === undefined) delete process.env.JSII_DEPRECATED;
      else process.env.JSII_DEPRECATED = previous;
    }
  });

  test('a hosted zone outside us-east-1 is refused with the cross-region option', () => {
    const stack = new Stack(new App(), 'Paris', { env: { region: 'eu-west-3' } });
    expect(() => new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, customDomain: { domainName: 'auth.medflow.example', hostedZone: zoneIn(stack) } }))
      .toThrow(/invalid customDomain.hostedZone \(stack region eu-west-3\); allowed: a certificate created in this stack only when the stack is deployed to us-east-1\. Create the certificate in a us-east-1 stack .*crossRegionReferences/);
    const agnostic = new Stack(new App(), 'Agnostic');
    expect(() => new MedflowCognito(agnostic, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, customDomain: { domainName: 'auth.medflow.example', hostedZone: zoneIn(agnostic) } }))
      .toThrow(/invalid customDomain.hostedZone \(stack region unknown\)/);
  });

  test('a certificate from another region is refused', () => {
    const certificate = acm.Certificate.fromCertificateArn(new Stack(), 'C', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    expect(() => construct('prod', { customDomain: { domainName: 'auth.medflow.example', certificate } }))
      .toThrow(/invalid customDomain.certificate in region eu-west-1; allowed: an ACM certificate in us-east-1\. Create the certificate in a us-east-1 stack/);
  });
});

describe('bad roles', () => {
  const role = (name: string, precedence = 1) => HealthcareRole.custom({ name, precedence, description: 'x', scopes: [] });
  test.each([
    [[], /invalid healthcareRoles \[\]; allowed: a list of 1 to 25 roles/],
    [[role('')], /invalid healthcareRoles\[\]\.name ""; allowed: lowercase letters, digits and underscores, 1-32 characters/],
    [[role('Physician')], /invalid healthcareRoles\[\]\.name "Physician"/],
    [[role('front-desk')], /invalid healthcareRoles\[\]\.name "front-desk"/],
    [[role('a'.repeat(33))], /invalid healthcareRoles\[\]\.name "a{33}"/],
    [[role('nurse'), role('nurse')], /invalid healthcareRoles\[\]\.name "nurse"; allowed: each role name once/],
    [[role('nurse', -1)], /invalid healthcareRoles\[nurse\]\.precedence -1/],
    [Array.from({ length: 26 }, (_, i) => role(`role_${i}`)), /invalid healthcareRoles \(26 roles\); allowed: at most 25 roles, the limit of identity pool role-mapping rules/],
  ])('rejects %#', (roles, message) => {
    expect(() => construct('prod', { healthcareRoles: roles as HealthcareRole[] })).toThrow(message);
  });

  test('25 roles are accepted', () => {
    expect(() => construct('prod', { healthcareRoles: Array.from({ length: 25 }, (_, i) => role(`role_${i}`)) })).not.toThrow();
  });

  test('a documents bucket or guests without the identity pool are refused', () => {
    const stack = new Stack();
    expect(() => construct('dev', { documentsBucket: s3.Bucket.fromBucketName(stack, 'B', 'docs') }))
      .toThrow(/invalid documentsBucket set; allowed: only together with the identity pool/);
    expect(() => construct('dev', { allowUnauthenticatedIdentities: true })).toThrow(/invalid allowUnauthenticatedIdentities set/);
  });
});
