/*
 * Reads a synthesized stack template from cdk.out/ and resolves the intrinsic functions the
 * library emits (Ref, Fn::GetAtt, Fn::Join, pseudo parameters) against the physical IDs of what
 * the harness created on moto.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CDK_OUT = path.resolve(__dirname, '..', '..', 'cdk.out');
/** Region of the example app; moto creates everything there. */
export const REGION = 'eu-west-3';
/** The account moto runs as (MOTO_ACCOUNT_ID); a placeholder, never a real account. */
export const ACCOUNT = '111111111111';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

export interface Template {
  readonly Resources: Record<string, TemplateResource>;
}

export function loadTemplate(stackName: string): Template {
  const file = path.join(CDK_OUT, `${stackName}.template.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} does not exist. Run \`npx projen synth:example\` first (\`npx projen e2e\` does).`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
}

/** The logical IDs of the resources of one type, in template order. */
export function resourcesOfType(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function singleResource(template: Template, type: string): [string, TemplateResource] {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`Expected exactly one ${type}, found ${found.length}.`);
  return found[0];
}

/** Physical values of what has been created: Ref and Fn::GetAtt results, by logical ID. */
export class PhysicalIds {
  private readonly refs = new Map<string, string>();
  private readonly attributes = new Map<string, string>();

  public setRef(logicalId: string, value: string): void {
    this.refs.set(logicalId, value);
  }

  public setAtt(logicalId: string, attribute: string, value: string): void {
    this.attributes.set(`${logicalId}.${attribute}`, value);
  }

  public ref(logicalId: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws',
    };
    const value = pseudo[logicalId] ?? this.refs.get(logicalId);
    if (value === undefined) throw new Error(`Ref ${logicalId} cannot be resolved: that resource has not been created.`);
    return value;
  }

  public att(logicalId: string, attribute: string): string {
    const value = this.attributes.get(`${logicalId}.${attribute}`);
    if (value === undefined) throw new Error(`Fn::GetAtt ${logicalId}.${attribute} cannot be resolved: that resource has not been created.`);
    return value;
  }

  /** Resolves every intrinsic function in `value`, recursively. */
  public resolve<T = unknown>(value: unknown): T {
    return this.resolveValue(value) as T;
  }

  private resolveValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0];
      if (key === 'Ref') return this.ref(arg as string);
      if (key === 'Fn::GetAtt') {
        const [logicalId, attribute] = arg as [string, string];
        return this.att(logicalId, attribute);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = arg as [string, unknown[]];
        return parts.map((p) => String(this.resolveValue(p))).join(separator);
      }
      if (key.startsWith('Fn::')) throw new Error(`Intrinsic ${key} is not supported by the rehearsal; add it to test/e2e/template.ts.`);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolveValue(v)]));
  }
}
