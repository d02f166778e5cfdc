import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Fetcher } from 'aws-jwt-verify/https';
import type { CognitoAwsClients } from './cognito-config';

export const COGNITO_CONFIG = Symbol('COGNITO_CONFIG');
export const COGNITO_MODULE_OPTIONS = Symbol('COGNITO_MODULE_OPTIONS');

export interface CognitoConfigModuleOptions {
  /** Where the COGNITO_* variables come from. Default: process.env. */
  readonly env?: Record<string, string | undefined>;
  /** SSM and Secrets Manager clients. Default: SDK v3 clients in COGNITO_REGION. */
  readonly clients?: CognitoAwsClients;
  /** Fetches the JWKS for token verification and the health check. Default: aws-jwt-verify's SimpleFetcher with a 3 s timeout. */
  readonly fetcher?: Fetcher;
  /** How often the client secret is re-read; 0 turns it off. Default: 15 minutes. */
  readonly secretRefreshIntervalMs?: number;
  /** How long a health check result is reused. Default: 30 seconds. */
  readonly healthCacheMs?: number;
  /** The Cognito user pools client of the refresh and admin calls. Default: an SDK v3 client in COGNITO_REGION. */
  readonly cognito?: Pick<CognitoIdentityProviderClient, 'send'>;
}
