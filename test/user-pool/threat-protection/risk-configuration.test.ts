import { Match } from 'aws-cdk-lib/assertions';
import { CompromisedCredentialsResponse, EmailSender, RiskResponse } from '../../../src';
import { RISK_EMAIL_PLACEHOLDERS, RISK_LANGUAGES, renderRiskEmail } from '../../../src/user-pool/threat-protection/risk-notification-messages';
import { construct, synthesize } from '../../helpers';

const RISK = 'AWS::Cognito::UserPoolRiskConfigurationAttachment';
// NotifyEmailType: Subject 1-140, bodies 6-20000 characters, each of these character classes (Cognito API reference).
const SUBJECT_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+$/u;
const BODY_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]+$/u;

function riskConfiguration(template: ReturnType<typeof synthesize>['template']) {
  const resources = template.findResources(RISK);
  expect(Object.keys(resources)).toHaveLength(1);
  return Object.values(resources)[0];
}

describe('the risk configuration of prod (threat protection enforced)', () => {
  const { template } = synthesize('prod');
  const poolId = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0];

  test('blocks compromised credentials at sign-in, sign-up and password change, for every client of the pool', () => {
    template.hasResourceProperties(RISK, {
      UserPoolId: { Ref: poolId },
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: {
        Actions: { EventAction: 'BLOCK' },
        EventFilter: ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'],
      },
    });
  });

  test('blocks high risk and requires MFA at medium risk, both notified; low risk is allowed silently', () => {
    template.hasResourceProperties(RISK, {
      AccountTakeoverRiskConfiguration: {
        Actions: {
          HighAction: { EventAction: 'BLOCK', Notify: true },
          MediumAction: { EventAction: 'MFA_REQUIRED', Notify: true },
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
        },
      },
    });
  });

  test('notifies from the SES sender: its identity ARN, display name and address', () => {
    template.hasResourceProperties(RISK, {
      AccountTakeoverRiskConfiguration: {
        NotifyConfiguration: {
          SourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':ses:eu-west-1:'), Match.stringLikeRegexp(':identity/clinic\\.example$')])] },
          From: '"MedFlow" <no-reply@clinic.example>',
          BlockEmail: { Subject: renderRiskEmail('block').subject, HtmlBody: Match.stringLikeRegexp('dir="rtl"'), TextBody: Match.anyValue() },
          MfaEmail: { Subject: renderRiskEmail('mfa').subject, HtmlBody: Match.anyValue(), TextBody: Match.anyValue() },
          NoActionEmail: { Subject: renderRiskEmail('noAction').subject, HtmlBody: Match.anyValue(), TextBody: Match.anyValue() },
        },
      },
    });
  });

  test('has no risk exceptions unless asked', () => {
    expect(riskConfiguration(template).Properties.RiskExceptionConfiguration).toBeUndefined();
  });

  test('is created after the pool, whose plan and threat protection mode it needs', () => {
    expect(riskConfiguration(template).DependsOn).toContain(poolId);
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });
});

describe('the risk configuration per preset', () => {
  test('staging has the same configuration while threat protection only audits', () => {
    const { template } = synthesize('staging');
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } });
    template.hasResourceProperties(RISK, {
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: {
        // MFA is on (optional) in staging, so medium risk defaults to MFA_REQUIRED, as in prod.
        Actions: { HighAction: { EventAction: 'BLOCK', Notify: true }, MediumAction: { EventAction: 'MFA_REQUIRED', Notify: true } },
      },
    });
  });

  test('dev (Essentials plan) has none', () => {
    synthesize('dev').template.resourceCountIs(RISK, 0);
  });

  test('a sender without a display name sends from the bare address, with its reply-to', () => {
    const { template } = synthesize('prod', { email: EmailSender.ses({ fromAddress: 'alerts@clinic.example', replyTo: 'it@clinic.example' }) });
    template.hasResourceProperties(RISK, {
      AccountTakeoverRiskConfiguration: { NotifyConfiguration: { From: 'alerts@clinic.example', ReplyTo: 'it@clinic.example' } },
    });
  });
});

describe('overrides', () => {
  test('each level takes its own response and notification', () => {
    const { template } = synthesize('prod', {
      threatProtection: {
        compromisedCredentials: CompromisedCredentialsResponse.RECORD_ONLY,
        lowRisk: { response: RiskResponse.MFA_IF_CONFIGURED, notify: true },
        mediumRisk: { response: RiskResponse.BLOCK, notify: false },
        highRisk: { response: RiskResponse.BLOCK, notify: false },
      },
    });
    template.hasResourceProperties(RISK, {
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: true },
          MediumAction: { EventAction: 'BLOCK', Notify: false },
          HighAction: { EventAction: 'BLOCK', Notify: false },
        },
        NotifyConfiguration: Match.objectLike({ From: '"MedFlow" <no-reply@clinic.example>' }),
      },
    });
  });

  test('no level notifying leaves out the notification configuration', () => {
    const silent = { response: RiskResponse.BLOCK, notify: false };
    const { template } = synthesize('prod', { threatProtection: { mediumRisk: silent, highRisk: silent } });
    template.hasResourceProperties(RISK, {
      AccountTakeoverRiskConfiguration: { Actions: Match.anyValue(), NotifyConfiguration: Match.absent() },
    });
  });

  test('risk exceptions appear as always-block and never-assess IP lists', () => {
    const { template } = synthesize('prod', {
      threatProtection: { riskExceptions: { blockedIpRanges: ['198.51.100.0/24'], skippedIpRanges: ['203.0.113.0/24', '2001:db8::/32'] } },
    });
    template.hasResourceProperties(RISK, {
      RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24'], SkippedIPRangeList: ['203.0.113.0/24', '2001:db8::/32'] },
    });
  });

  test('only one list given leaves the other out', () => {
    const { template } = synthesize('prod', { threatProtection: { riskExceptions: { skippedIpRanges: ['203.0.113.0/24'] } } });
    template.hasResourceProperties(RISK, {
      RiskExceptionConfiguration: { SkippedIPRangeList: ['203.0.113.0/24'], BlockedIPRangeList: Match.absent() },
    });
  });

  test('a bad range and threat protection on the Essentials plan fail naming the prop', () => {
    expect(() => construct('prod', { threatProtection: { riskExceptions: { blockedIpRanges: ['10.0.0.0'] } } }))
      .toThrow(/invalid threatProtection\.riskExceptions\.blockedIpRanges\[0\] "10\.0\.0\.0"; allowed: an IPv4 or IPv6 CIDR range/);
    expect(() => construct('dev', { threatProtection: { highRisk: { response: RiskResponse.BLOCK } } }))
      .toThrow(/invalid threatProtection \(set\); allowed: threat protection actions only on the PLUS plan/);
  });
});

describe('the notification emails', () => {
  const kinds = ['block', 'mfa', 'noAction'] as const;

  test.each(kinds)('%s: Arabic (right to left), French and English in one email, within Cognito\'s limits', (kind) => {
    const email = renderRiskEmail(kind);
    expect(email.subject.length).toBeLessThanOrEqual(140);
    expect(email.subject).toMatch(SUBJECT_PATTERN);
    for (const body of [email.htmlBody, email.textBody]) {
      expect(body.length).toBeGreaterThanOrEqual(6);
      expect(body.length).toBeLessThanOrEqual(20000);
      expect(body).toMatch(BODY_PATTERN);
    }
    expect(email.htmlBody).toContain('<div lang="ar" dir="rtl">');
    expect(email.htmlBody).toContain('<div lang="fr" dir="ltr">');
    expect(email.htmlBody).toContain('<div lang="en" dir="ltr">');
    expect(email.htmlBody.indexOf('lang="ar"')).toBeLessThan(email.htmlBody.indexOf('lang="en"'));
    // Each language section of the text body names the sign-in's time, device and place.
    for (const body of [email.htmlBody, email.textBody]) {
      for (const placeholder of ['{login-time}', '{device-name}', '{city}', '{country}', '{ip-address}', '{username}']) {
        expect(body.split(placeholder)).toHaveLength(RISK_LANGUAGES.length + 1);
      }
    }
    expect(email.textBody).toMatch(/[\u0600-\u06FF]/);
    expect(email.textBody).toContain('clinique');
    expect(email.textBody).toContain('clinic administrator');
  });

  test.each(kinds)('%s uses only the placeholders Cognito documents for threat protection', (kind) => {
    const { subject, htmlBody, textBody } = renderRiskEmail(kind);
    const used = new Set([subject, htmlBody, textBody].flatMap((text) => text.match(/\{[^}]*\}/g) ?? []));
    expect(used.size).toBeGreaterThan(0);
    for (const placeholder of used) expect(RISK_EMAIL_PLACEHOLDERS).toContain(placeholder);
  });

  test('the three emails differ, so a user can tell a block from a challenge', () => {
    const subjects = kinds.map((kind) => renderRiskEmail(kind).subject);
    expect(new Set(subjects).size).toBe(3);
    expect(renderRiskEmail('block').textBody).toContain('We blocked');
    expect(renderRiskEmail('mfa').textBody).toContain('second factor');
  });
});
