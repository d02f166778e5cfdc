/**
 * Builds resource names following `{environment}-{projectName}-cognito-{resource}`.
 */
export class ResourceNames {
  constructor(private readonly environmentName: string, private readonly projectName: string) {}

  /** The common prefix, for example `prod-medflow-cognito`. */
  public get prefix(): string {
    return `${this.environmentName}-${this.projectName}-cognito`;
  }

  /** The name of one resource, for example `prod-medflow-cognito-user-pool`. */
  public of(resource: string): string {
    return `${this.prefix}-${resource}`;
  }
}
