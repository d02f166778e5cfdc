import { Token, aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LocalizedUrl } from './localized-url';
import { PropValidator } from '../internal/prop-validation';

/** The two kinds of terms document Cognito knows (`TermsName`). */
enum TermsDocumentKind {
  /** `terms-of-use` */
  TERMS_OF_USE = 'terms-of-use',
  /** `privacy-policy` */
  PRIVACY_POLICY = 'privacy-policy',
}

// Cognito's Links value pattern (no whitespace) and length, on top of https.
const DOCUMENT_URL = /^https:\/\/[^\s/]+(\/[\p{L}\p{M}\p{S}\p{N}\p{P}]*)?$/u;
const MAX_URL_LENGTH = 1024;

/**
 * The `Links` map of `AWS::Cognito::Terms`: `cognito:english`, `cognito:french` and
 * `cognito:default` (Arabic when given, since managed login has no Arabic localization).
 */
export function termsLinks(prop: string, urls: LocalizedUrl, validator: PropValidator): Record<string, string> {
  const entries = (['en', 'fr', 'ar'] as const).filter((lang) => urls?.[lang] !== undefined);
  if (entries.length === 0) {
    validator.fail(prop, JSON.stringify(urls ?? null), 'at least one of en, fr and ar');
  }
  for (const lang of entries) {
    const url = urls[lang]!;
    if (Token.isUnresolved(url)) continue;
    if (url.length > MAX_URL_LENGTH || !DOCUMENT_URL.test(url)) {
      validator.fail(`${prop}.${lang}`, JSON.stringify(url), `an https URL without spaces, at most ${MAX_URL_LENGTH} characters`);
    }
  }
  const links: Record<string, string> = { 'cognito:default': (urls.ar ?? urls.en ?? urls.fr)! };
  if (urls.en !== undefined) links['cognito:english'] = urls.en;
  if (urls.fr !== undefined) links['cognito:french'] = urls.fr;
  return links;
}

/** Props for the internal `TermsDocuments` construct. */
export interface TermsDocumentsProps {
  readonly userPool: cognito.IUserPool;
  readonly client: cognito.IUserPoolClient;
  readonly termsOfUse: Record<string, string>;
  readonly privacyPolicy: Record<string, string>;
}

/** The terms of use and privacy notice of one app client, linked from its managed login sign-up page. */
export class TermsDocuments extends Construct {
  /** The terms of use. */
  public readonly termsOfUse: cognito.CfnTerms;
  /** The privacy notice. */
  public readonly privacyPolicy: cognito.CfnTerms;

  constructor(scope: Construct, id: string, props: TermsDocumentsProps) {
    super(scope, id);
    const document = (childId: string, kind: TermsDocumentKind, links: Record<string, string>) => new cognito.CfnTerms(this, childId, {
      userPoolId: props.userPool.userPoolId,
      clientId: props.client.userPoolClientId,
      termsName: kind,
      // LINK and NONE are the only values Cognito accepts today.
      termsSource: 'LINK',
      enforcement: 'NONE',
      links,
    });
    this.termsOfUse = document('TermsOfUse', TermsDocumentKind.TERMS_OF_USE, props.termsOfUse);
    this.privacyPolicy = document('PrivacyPolicy', TermsDocumentKind.PRIVACY_POLICY, props.privacyPolicy);
  }
}
