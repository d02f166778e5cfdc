import { Fn } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { HospitalIdentityProvider, LocalizedUrl, MedflowCognitoProps } from '../../src';
import { construct, synthesize } from '../helpers';

const TERMS: LocalizedUrl = {
  en: 'https://medflow.example/terms',
  fr: 'https://medflow.example/fr/conditions-utilisation',
  ar: 'https://medflow.example/ar/terms',
};
const PRIVACY: LocalizedUrl = { fr: 'https://medflow.example/fr/confidentialite' };
const WITH_TERMS: Partial<MedflowCognitoProps> = { termsOfUseUrl: TERMS, privacyPolicyUrl: PRIVACY };
const TERMS_WARNING = 'Managed login links the terms of use and privacy notice from its sign-up page';

function termsOf(template: Template, name: string): any[] {
  return Object.values(template.findResources('AWS::Cognito::Terms', { Properties: { TermsName: name } })).map((r) => r.Properties);
}

describe('terms of use and privacy notice', () => {
  test('one terms-of-use and one privacy-policy document on the backend client, per language', () => {
    const { template } = synthesize('prod', WITH_TERMS);
    template.resourceCountIs('AWS::Cognito::Terms', 2);
    const clientId = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0];
    const [terms] = termsOf(template, 'terms-of-use');
    expect(terms).toEqual({
      UserPoolId: { Ref: Object.keys(template.findResources('AWS::Cognito::UserPool'))[0] },
      ClientId: { Ref: clientId },
      TermsName: 'terms-of-use',
      TermsSource: 'LINK',
      Enforcement: 'NONE',
      // Managed login has no Arabic localization: Arabic is the default document, English and French have their own.
      Links: { 'cognito:default': TERMS.ar, 'cognito:english': TERMS.en, 'cognito:french': TERMS.fr },
    });
    const [privacy] = termsOf(template, 'privacy-policy');
    expect(privacy.Links).toEqual({ 'cognito:default': PRIVACY.fr, 'cognito:french': PRIVACY.fr });
    expect(privacy.ClientId).toEqual({ Ref: clientId });
  });

  test('the default document falls back from ar to en to fr', () => {
    const { template } = synthesize('staging', {
      termsOfUseUrl: { en: 'https://medflow.example/terms', fr: 'https://medflow.example/fr/terms' },
      privacyPolicyUrl: { ar: 'https://medflow.example/ar/privacy' },
    });
    expect(termsOf(template, 'terms-of-use')[0].Links['cognito:default']).toBe('https://medflow.example/terms');
    expect(termsOf(template, 'privacy-policy')[0].Links).toEqual({ 'cognito:default': 'https://medflow.example/ar/privacy' });
  });

  test('URLs known only at deploy time pass through unchecked', () => {
    const { template } = synthesize('prod', { termsOfUseUrl: { en: Fn.importValue('MedflowTermsUrl') }, privacyPolicyUrl: PRIVACY });
    expect(termsOf(template, 'terms-of-use')[0].Links).toEqual({
      'cognito:default': { 'Fn::ImportValue': 'MedflowTermsUrl' },
      'cognito:english': { 'Fn::ImportValue': 'MedflowTermsUrl' },
    });
  });

  test('every app client gets them: the federated client too', () => {
    const { template } = synthesize('prod', {
      ...WITH_TERMS,
      callbackUrls: ['https://app.medflow.example/auth/callback'],
      identityProviders: [HospitalIdentityProvider.saml({
        name: 'CHU-Rabat', metadataUrl: 'https://sso.chu-rabat.example/md', attributeMapping: { email: 'email' }, enforcesMfa: true,
      })],
    });
    template.resourceCountIs('AWS::Cognito::Terms', 4);
    const clientIds = Object.keys(template.findResources('AWS::Cognito::UserPoolClient')).sort();
    for (const name of ['terms-of-use', 'privacy-policy']) {
      expect(termsOf(template, name).map((t) => t.ClientId.Ref).sort()).toEqual(clientIds);
    }
  });

  test('no terms props, no terms resources and no warning', () => {
    const { template, stack } = synthesize('prod');
    template.resourceCountIs('AWS::Cognito::Terms', 0);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(TERMS_WARNING))).toEqual([]);
  });

  test('with self sign-up off the sign-up page is never shown: a warning says so', () => {
    Annotations.fromStack(synthesize('prod', WITH_TERMS).stack).hasWarning('*', Match.stringLikeRegexp(TERMS_WARNING));
    const open = synthesize('prod', { ...WITH_TERMS, selfSignUpEnabled: true }).stack;
    expect(Annotations.fromStack(open).findWarning('*', Match.stringLikeRegexp(TERMS_WARNING))).toEqual([]);
  });
});

describe('bad terms props', () => {
  test('each document needs the other', () => {
    expect(() => construct('prod', { termsOfUseUrl: TERMS }))
      .toThrow(/invalid privacyPolicyUrl missing while termsOfUseUrl is set; allowed: both termsOfUseUrl and privacyPolicyUrl, or neither/);
    expect(() => construct('prod', { privacyPolicyUrl: PRIVACY }))
      .toThrow(/invalid termsOfUseUrl missing while privacyPolicyUrl is set/);
  });

  test('URLs must be https without spaces, at least one language given', () => {
    expect(() => construct('prod', { termsOfUseUrl: { fr: 'http://medflow.example/cgu' }, privacyPolicyUrl: PRIVACY }))
      .toThrow(/invalid termsOfUseUrl\.fr "http:\/\/medflow.example\/cgu"; allowed: an https URL without spaces, at most 1024 characters/);
    expect(() => construct('prod', { termsOfUseUrl: TERMS, privacyPolicyUrl: { ar: 'https://medflow.example/ar/privacy policy' } }))
      .toThrow(/invalid privacyPolicyUrl\.ar "https:\/\/medflow.example\/ar\/privacy policy"; allowed: an https URL/);
    expect(() => construct('prod', { termsOfUseUrl: { en: `https://medflow.example/${'x'.repeat(1010)}` }, privacyPolicyUrl: PRIVACY }))
      .toThrow(/invalid termsOfUseUrl\.en .*at most 1024 characters/);
    expect(() => construct('prod', { termsOfUseUrl: {}, privacyPolicyUrl: PRIVACY }))
      .toThrow(/invalid termsOfUseUrl \{\}; allowed: at least one of en, fr and ar/);
    expect(() => construct('prod', { termsOfUseUrl: TERMS, privacyPolicyUrl: null as unknown as LocalizedUrl }))
      .toThrow(/invalid privacyPolicyUrl null; allowed: at least one of en, fr and ar/);
  });

  test('terms need the hosted UI', () => {
    expect(() => construct('prod', { ...WITH_TERMS, enableHostedUi: false, enablePasskeys: false }))
      .toThrow(/invalid termsOfUseUrl set without the hosted UI; allowed: terms documents only with enableHostedUi: true/);
  });
});
