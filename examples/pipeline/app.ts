/*
 * The pipeline example app: one environment-agnostic stack holding the CDK Pipelines delivery of
 * the MedFlow auth stack to dev, staging and prod. Synthesizes with no AWS account.
 *   npx cdk synth --app "npx ts-node --project tsconfig.dev.json examples/pipeline/app.ts" -c connectionArn=<arn>
 */
import { App } from 'aws-cdk-lib';
import { MedflowPipelineStack } from './pipeline-stack';

export function buildPipelineApp(outdir?: string, context: Record<string, unknown> = {}): { app: App; pipelineStack: MedflowPipelineStack } {
  const app = new App({ outdir, postCliContext: context });
  const connectionArn = app.node.tryGetContext('connectionArn') as string | undefined;
  const pipelineStack = new MedflowPipelineStack(app, 'MedflowCognitoPipeline', { connectionArn });
  return { app, pipelineStack };
}

if (require.main === module) {
  buildPipelineApp().app.synth();
}
