import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { EmailSender, EnvironmentPreset, MedflowCognito, MedflowCognitoProps, RiskResponse } from '../../src';
import { TEST_EMAIL } from '../helpers';

function build(props: MedflowCognitoProps, region = 'eu-west-1'): MedflowCognito {
  const stack = new Stack(new App(), 'Auth', { env: { region, account: '123456789012' } });
  return new MedflowCognito(stack, 'Auth', props);
}

const prod = (props: Partial<MedflowCognitoProps> = {}) => build({ preset: EnvironmentPreset.prod(), email: TEST_EMAIL, ...props });
const ses = (options: Partial<Parameters<typeof EmailSender.ses>[0]> = {}) => EmailSender.ses({ fromAddress: 'no-reply@clinic.example', ...options });

describe('the email sender each preset requires', () => {
  test.each(['staging', 'prod'] as const)('%s without email fails naming email and what is allowed', (name) => {
    const preset = name === 'prod' ? EnvironmentPreset.prod() : EnvironmentPreset.staging();
    expect(() => build({ preset })).toThrow(
      new RegExp(`MedflowCognito: invalid email \\(not set\\); allowed: EmailSender\\.ses\\(\\.\\.\\.\\) in the ${name} preset, which requires Amazon SES \\(requireSesEmail\\)\\. `
        + 'Pass email: EmailSender\\.ses\\(.*allowCognitoDefaultEmail: true.*50 emails a day'));
    expect(() => build({ preset, email: EmailSender.cognitoDefault() })).toThrow(/invalid email EmailSender\.cognitoDefault\(\); allowed: EmailSender\.ses/);
  });

  test('allowCognitoDefaultEmail accepts Cognito\'s sender where SES is required; dev needs no acceptance', () => {
    expect(() => build({ preset: EnvironmentPreset.prod(), allowCognitoDefaultEmail: true })).not.toThrow();
    expect(() => build({ preset: EnvironmentPreset.dev() })).not.toThrow();
    expect(EnvironmentPreset.dev().settings.requireSesEmail).toBe(false);
    expect(EnvironmentPreset.prod().withOverrides({ environmentName: 'prodeu' }).settings.requireSesEmail).toBe(true);
  });

  test.each([
    [{ fromAddress: 'no-reply.clinic.example' }, /invalid email\.fromAddress "no-reply\.clinic\.example"; allowed: an email address/],
    [{ fromAddress: 'no-reply@localhost' }, /invalid email\.fromAddress "no-reply@localhost"/],
    [{ replyTo: 'support' }, /invalid email\.replyTo "support"; allowed: an email address/],
    [{ fromName: 'MedFlow\r\nBcc: x@evil.example' }, /invalid email\.fromName .*allowed: a display name without line breaks/],
    [{ sesRegion: 'eu-central-1' }, /invalid email\.sesRegion "eu-central-1"; allowed: the user pool's Region \(eu-west-1\) or one Cognito can send from for it: us-east-1, us-west-2, eu-west-1/],
    [{ sesIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/other.example' }, /invalid email\.sesIdentityArn .*allowed: the identity of fromAddress: its domain \(clinic\.example\) or the address itself/],
    [{ sesIdentityArn: 'clinic.example' }, /invalid email\.sesIdentityArn "clinic\.example"; allowed: an SES identity ARN/],
    [{ sesRegion: 'us-east-1', sesIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/clinic.example', configurationSetName: 'mail' },
      /invalid email\.sesIdentityArn .*allowed: an identity in sesRegion us-east-1/],
    [{ sesRegion: 'us-east-1' }, /invalid email\.configurationSetName \(not set\); allowed: the name of a configuration set in us-east-1/],
    [{ configurationSetName: 'has space' }, /invalid email\.configurationSetName "has space"; allowed: an SES configuration set name/],
  ])('bad SES option %j fails naming it', (options, message) => {
    expect(() => prod({ email: ses(options) })).toThrow(message);
  });

  test('an identity in an alternate Region Cognito supports is accepted, with a named configuration set there', () => {
    expect(() => prod({ email: ses({ sesRegion: 'us-east-1', configurationSetName: 'medflow-mail' }) })).not.toThrow();
    expect(() => prod({ email: ses({ sesIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/no-reply@clinic.example' }) })).not.toThrow();
  });

  test('the alternate SES Regions follow the Cognito guide\'s table: Frankfurt may use them, Paris and São Paulo only their own', () => {
    const email = ses({ sesRegion: 'us-east-1', configurationSetName: 'medflow-mail' });
    expect(() => build({ preset: EnvironmentPreset.prod(), email }, 'eu-central-1')).not.toThrow();
    for (const region of ['eu-west-3', 'sa-east-1']) {
      expect(() => build({ preset: EnvironmentPreset.prod(), email }, region))
        .toThrow(new RegExp(`invalid email\\.sesRegion "us-east-1"; allowed: the user pool's Region \\(${region}\\) only`));
    }
    expect(() => build({
      preset: EnvironmentPreset.prod(),
      email: ses({
        sesIdentityArn: 'arn:aws:ses:us-west-2:123456789012:identity/clinic.example',
        configurationSetName: 'medflow-mail',
      }),
    }, 'eu-west-3')).toThrow(/invalid email\.sesIdentityArn .*allowed: an identity in the user pool's Region \(eu-west-3\) only/);
  });

  test('an identity in another account fails: Cognito sends only through SES in the pool\'s account', () => {
    expect(() => prod({ email: ses({ sesIdentityArn: 'arn:aws:ses:eu-west-1:210987654321:identity/clinic.example' }) }))
      .toThrow(/invalid email\.sesIdentityArn .*allowed: an identity in the user pool's account \(123456789012\)/);
  });
});

describe('the user data key', () => {
  test('a key in another Region fails naming userDataKey and the Region allowed', () => {
    const stack = new Stack(new App(), 'Keys', { env: { region: 'eu-west-1', account: '123456789012' } });
    const elsewhere = kms.Key.fromKeyArn(stack, 'Elsewhere', 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab');
    expect(() => prod({ userDataKey: elsewhere }))
      .toThrow(/invalid userDataKey arn:aws:kms:us-east-1:.* in us-east-1; allowed: a KMS key in the user pool's Region \(eu-west-1\)/);
  });

  test('staging and prod put user data under a customer-managed key; dev keeps the AWS owned key', () => {
    expect(EnvironmentPreset.dev().settings.customerManagedUserDataKey).toBe(false);
    expect(EnvironmentPreset.staging().settings.customerManagedUserDataKey).toBe(true);
    expect(EnvironmentPreset.prod().settings.customerManagedUserDataKey).toBe(true);
  });
});

describe('threat protection and email MFA', () => {
  test('threat protection actions on a plan without threat protection fail naming the plan', () => {
    expect(() => build({ preset: EnvironmentPreset.dev(), threatProtection: { highRisk: { response: RiskResponse.BLOCK } } }))
      .toThrow(/invalid threatProtection \(set\); allowed: threat protection actions only on the PLUS plan \(this preset has ESSENTIALS\)/);
  });

  test.each([
    [{ mediumRisk: { response: 'CHALLENGE' as RiskResponse } }, /invalid threatProtection\.mediumRisk\.response "CHALLENGE"; allowed: RiskResponse\.ALLOW, RiskResponse\.MFA_IF_CONFIGURED/],
    [{ riskExceptions: { blockedIpRanges: ['203.0.113.0'] } }, /invalid threatProtection\.riskExceptions\.blockedIpRanges\[0\] "203\.0\.113\.0"; allowed: an IPv4 or IPv6 CIDR range/],
    [{ riskExceptions: { skippedIpRanges: Array.from({ length: 201 }, (_, i) => `10.0.${i % 256}.0/24`) } }, /invalid threatProtection\.riskExceptions\.skippedIpRanges \(201 ranges\); allowed: at most 200/],
  ])('bad threat protection option %#: fails naming it', (threatProtection, message) => {
    expect(() => prod({ threatProtection })).toThrow(message);
  });

  test('notifications need an SES sender', () => {
    const highRisk = { response: RiskResponse.BLOCK, notify: true };
    expect(() => build({ preset: EnvironmentPreset.prod(), allowCognitoDefaultEmail: true, threatProtection: { highRisk } }))
      .toThrow(/invalid threatProtection\.highRisk\.notify true; allowed: notifications only with an SES sender/);
  });

  test('MFA responses where MFA is off fail', () => {
    const threatProtection = { mediumRisk: { response: RiskResponse.MFA_REQUIRED } };
    expect(() => build({ preset: EnvironmentPreset.staging(), email: TEST_EMAIL, enableMfa: false, threatProtection }))
      .toThrow(/invalid threatProtection\.mediumRisk\.response RiskResponse\.MFA_REQUIRED; allowed: ALLOW or BLOCK where MFA is off/);
  });

  test('email MFA needs SES and MFA on', () => {
    expect(() => build({ preset: EnvironmentPreset.prod(), allowCognitoDefaultEmail: true, enableEmailMfa: true }))
      .toThrow(/invalid enableEmailMfa true; allowed: true only with an SES sender/);
    expect(() => build({ preset: EnvironmentPreset.dev(), email: TEST_EMAIL, enableEmailMfa: true }))
      .toThrow(/invalid enableEmailMfa true; allowed: true only where MFA is on/);
    expect(() => prod({ enableEmailMfa: true })).not.toThrow();
  });
});
