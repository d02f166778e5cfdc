/*
 * CloudFormation custom resource that copies the app client's secret from Cognito into
 * Secrets Manager, so the value never passes through a template, an output or a log.
 * CloudFormation invokes it directly (no provider framework) and it answers on ResponseURL.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface SyncProperties {
  readonly UserPoolId: string;
  readonly ClientId: string;
  readonly SecretId: string;
}

export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: SyncProperties & { ServiceToken?: string };
}

const RESPONSE_TIMEOUT_MS = 10_000;
const REQUIRED_PROPERTIES: (keyof SyncProperties)[] = ['UserPoolId', 'ClientId', 'SecretId'];

const cognito = new CognitoIdentityProviderClient({});
const secretsManager = new SecretsManagerClient({});

export async function handler(event: CustomResourceEvent): Promise<void> {
  const physicalResourceId = event.PhysicalResourceId ?? `client-secret-sync-${event.ResourceProperties?.ClientId ?? 'unknown'}`;
  log('request', { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId });
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'OK';
  try {
    if (event.RequestType === 'Create' || event.RequestType === 'Update') {
      await syncSecret(validateProperties(event.ResourceProperties));
    } else if (event.RequestType !== 'Delete') {
      throw new Error(`Unknown RequestType "${String(event.RequestType)}"; expected Create, Update or Delete.`);
    }
    // Delete leaves the value alone: the secret resource itself is deleted or retained by CloudFormation.
  } catch (error) {
    status = 'FAILED';
    reason = describeError(error);
    log('failure', { reason });
  }
  // A response that does not reach CloudFormation throws, so the invocation is recorded as an error.
  await respond(event, status, physicalResourceId, reason);
}

function validateProperties(properties: Partial<SyncProperties> | undefined): SyncProperties {
  const missing = REQUIRED_PROPERTIES.filter((key) => typeof properties?.[key] !== 'string' || properties[key] === '');
  if (missing.length > 0) {
    throw new Error(`Missing resource properties: ${missing.join(', ')}. Required: ${REQUIRED_PROPERTIES.join(', ')}.`);
  }
  return properties as SyncProperties;
}

async function syncSecret({ UserPoolId, ClientId, SecretId }: SyncProperties): Promise<void> {
  if (await holdsSecretOf(SecretId, UserPoolId, ClientId)) {
    // Once written, the value belongs to the rotation; writing again could bring back a secret it deleted.
    log('unchanged', { clientId: ClientId, reason: 'the secret already holds this client\'s secret' });
    return;
  }
  const described = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }));
  const clientSecret = described.UserPoolClient?.ClientSecret;
  if (!clientSecret) {
    throw new Error(`App client ${ClientId} has no client secret; the secret store applies only to clients created with generateSecret.`);
  }
  await secretsManager.send(new PutSecretValueCommand({
    SecretId,
    SecretString: JSON.stringify({ userPoolId: UserPoolId, clientId: ClientId, clientSecret }),
  }));
  log('synced', { clientId: ClientId });
}

/** Whether the current value is this client's JSON (and not the random placeholder the secret was created with). */
async function holdsSecretOf(SecretId: string, userPoolId: string, clientId: string): Promise<boolean> {
  const current = await secretsManager.send(new GetSecretValueCommand({ SecretId }));
  try {
    const value = JSON.parse(current.SecretString ?? '');
    return value?.userPoolId === userPoolId && value?.clientId === clientId && typeof value?.clientSecret === 'string';
  } catch {
    return false;
  }
}

/** Only the error's name and a message that cannot carry the secret (it was never put in one). */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`.slice(0, 500);
  }
  return 'Unknown error';
}

function log(message: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ level: message === 'failure' ? 'ERROR' : 'INFO', message, ...fields }));
}

async function respond(event: CustomResourceEvent, status: 'SUCCESS' | 'FAILED', physicalResourceId: string, reason: string): Promise<void> {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: true,
    Data: {},
  });
  const url = new URL(event.ResponseURL);
  const transport = url.protocol === 'http:' ? http : https;
  await new Promise<void>((resolve, reject) => {
    const request = transport.request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: RESPONSE_TIMEOUT_MS,
    }, (response) => {
      response.resume();
      response.on('end', () => {
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 300) {
          resolve();
        } else {
          log('failure', { reason: `CloudFormation response rejected with HTTP ${code}` });
          reject(new Error(`CloudFormation rejected the ${status} response with HTTP ${code}.`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`CloudFormation response timed out after ${RESPONSE_TIMEOUT_MS} ms.`)));
    request.on('error', reject);
    request.end(body);
  });
}
