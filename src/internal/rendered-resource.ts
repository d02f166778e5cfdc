import { CfnResource, Stack } from 'aws-cdk-lib';

/** A CloudFormation resource as synthesis writes it into the template. */
export interface RenderedCfnResource {
  readonly logicalId: string;
  readonly type: string;
  /** `Properties`, resolved: literals stay literals, references become `{ Ref }` / `{ Fn::GetAtt }` objects. */
  readonly properties: Record<string, unknown>;
}

/**
 * Renders `node` exactly as the template will hold it (typed properties, tags and raw overrides
 * merged), or undefined when it is not synthesized. `_toCloudFormation()` is what synthesis
 * itself calls; it is not part of the typed API, hence the narrow cast.
 */
export function renderCfnResource(node: CfnResource): RenderedCfnResource | undefined {
  const stack = Stack.of(node);
  const renderable = node as unknown as { _toCloudFormation(): unknown };
  type Fragment = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  const fragment = stack.resolve(renderable._toCloudFormation()) as Fragment;
  const [entry] = Object.entries(fragment?.Resources ?? {});
  if (!entry) return undefined;
  const [logicalId, body] = entry;
  return { logicalId, type: body.Type, properties: body.Properties ?? {} };
}
