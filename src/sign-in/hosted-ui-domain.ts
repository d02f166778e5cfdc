import {
  aws_certificatemanager as acm,
  aws_cognito as cognito,
  aws_route53 as route53,
  aws_route53_targets as route53targets,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addManagedLoginBranding } from './managed-login-branding';
import { HostedUiConfiguration } from '../config/resolved-configuration';

/** The hosted UI domain and the values the outputs and the backend read from it. */
export interface HostedUiDomain {
  readonly domain: cognito.UserPoolDomain;
  /** The custom domain name, or the Cognito prefix. */
  readonly userPoolDomain: string;
  /** `https://` and the host users sign in at. */
  readonly hostedUiUrl: string;
  /** The host users sign in at, without the scheme: the custom domain name or `{prefix}.auth.{region}.amazoncognito.com`. */
  readonly hostedUiHost: string;
  /** The custom domain URL, when there is one. */
  readonly customDomainUrl?: string;
}

/**
 * The hosted UI (managed login v2) on a Cognito prefix domain or a custom domain, with Cognito's
 * default branding for the backend client. A custom domain given with its Route 53 zone gets alias
 * records and, without a certificate, a DNS-validated one (the configuration checked the stack is
 * in us-east-1).
 */
export function addHostedUiDomain(
  scope: Construct, userPool: cognito.UserPool, appClient: cognito.IUserPoolClient, config: HostedUiConfiguration,
): HostedUiDomain {
  const custom = config.customDomain;
  let result: HostedUiDomain;
  if (custom) {
    const certificate = custom.certificate ?? new acm.Certificate(scope, 'DomainCertificate', {
      domainName: custom.domainName,
      validation: acm.CertificateValidation.fromDns(custom.hostedZone!),
    });
    const domain = userPool.addDomain('Domain', {
      customDomain: { domainName: custom.domainName, certificate },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    if (custom.hostedZone) {
      // The domain's CloudFront endpoint, read from the domain resource itself: UserPoolDomainTarget
      // would read it through the deprecated cloudFrontDomainName and a custom resource.
      const target = route53.RecordTarget.fromAlias({
        bind: () => ({ dnsName: domain.cloudFrontEndpoint, hostedZoneId: route53targets.CloudFrontTarget.getHostedZoneId(domain) }),
      });
      new route53.ARecord(scope, 'DomainAliasA', { zone: custom.hostedZone, recordName: custom.domainName, target });
      new route53.AaaaRecord(scope, 'DomainAliasAaaa', { zone: custom.hostedZone, recordName: custom.domainName, target });
    }
    const url = `https://${custom.domainName}`;
    result = { domain, userPoolDomain: custom.domainName, hostedUiUrl: url, hostedUiHost: custom.domainName, customDomainUrl: url };
  } else {
    const domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const hostedUiUrl = domain.baseUrl();
    result = { domain, userPoolDomain: domain.domainName, hostedUiUrl, hostedUiHost: hostedUiUrl.replace(/^https:\/\//, '') };
  }
  addManagedLoginBranding(scope, userPool, appClient);
  return result;
}
