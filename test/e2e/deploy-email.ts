/*
 * Creates on moto the SES resources of a stack: the configuration set (SES API v2) and its
 * CloudWatch event destination (SES API v1, since moto 5.2.5's SES v2 has no event destinations;
 * both APIs share one moto backend). No AWS SDK SES client is a dependency of the project, so the
 * calls are plain HTTP to moto, which routes them by the credential scope of the Authorization
 * header and does not check its signature.
 */
import { PhysicalIds, REGION, Template, TemplateResource, resourcesOfType } from './template';

type Reader = (logicalId: string, resource: TemplateResource) => { get(name: string): unknown; assertComplete(): void };

const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/ses/aws4_request, SignedHeaders=host, Signature=rehearsal`;

function endpoint(): string {
  const url = process.env.AWS_ENDPOINT_URL;
  if (!url) throw new Error('AWS_ENDPOINT_URL is not set; run through test/e2e/jest.config.json.');
  return url;
}

/** One SES API v2 (REST/JSON) call. */
export async function sesV2(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${endpoint()}/v2/email${path}`, {
    method,
    headers: { 'authorization': AUTHORIZATION, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SES v2 ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/** One SES API v1 (query) call; returns the XML response. */
export async function sesV1(action: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(endpoint(), {
    method: 'POST',
    headers: { 'authorization': AUTHORIZATION, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: action, Version: '2010-12-01', ...params }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SES ${action}: ${response.status} ${text}`);
  return text;
}

/** The query parameters of an `EventDestination` (SES API v1 member lists). */
function eventDestinationParams(name: string, destination: Record<string, any>): Record<string, string> {
  const params: Record<string, string> = { 'EventDestination.Name': name, 'EventDestination.Enabled': String(destination.Enabled ?? false) };
  (destination.MatchingEventTypes as string[]).forEach((type, i) => (params[`EventDestination.MatchingEventTypes.member.${i + 1}`] = type));
  const dimensions = (destination.CloudWatchDestination?.DimensionConfigurations ?? []) as Record<string, string>[];
  dimensions.forEach((dimension, i) => {
    for (const key of ['DimensionName', 'DimensionValueSource', 'DefaultDimensionValue']) {
      params[`EventDestination.CloudWatchDestination.DimensionConfigurations.member.${i + 1}.${key}`] = dimension[key];
    }
  });
  return params;
}

/** Creates the configuration sets and their event destinations; returns the names created. */
export async function deployEmail(template: Template, ids: PhysicalIds, reader: Reader): Promise<string[]> {
  const created: string[] = [];
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SES::ConfigurationSet')) {
    const r = reader(logicalId, resource);
    const name = ids.resolve<string>(r.get('Name'));
    await sesV2('POST', '/configuration-sets', {
      ConfigurationSetName: name,
      ReputationOptions: ids.resolve(r.get('ReputationOptions')),
      SuppressionOptions: ids.resolve(r.get('SuppressionOptions')),
      DeliveryOptions: ids.resolve(r.get('DeliveryOptions')),
      Tags: ids.resolve(r.get('Tags')),
    });
    ids.setRef(logicalId, name);
    created.push(name);
    r.assertComplete();
  }
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SES::ConfigurationSetEventDestination')) {
    const r = reader(logicalId, resource);
    await sesV1('CreateConfigurationSetEventDestination', {
      ConfigurationSetName: ids.resolve<string>(r.get('ConfigurationSetName')),
      // CloudFormation names the destination when the template does not; the logical ID stands in.
      ...eventDestinationParams(logicalId, ids.resolve(r.get('EventDestination'))),
    });
    r.assertComplete();
  }
  return created;
}
