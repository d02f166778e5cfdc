/*
 * CDK Pipelines delivery of the MedFlow auth stack: dev → staging → prod.
 *
 * - Synth: every nag pack and the compliance report on the example app (`npx projen synth:example`,
 *   which fails on any unacknowledged finding), then the pipeline's own app with the replacement
 *   guard in VERIFY mode (a change that would replace a pool, or an uncommitted lock file, fails).
 * - Before each stage: `cdk diff` against the deployed stack, gated by diff-gate.ts.
 * - Before prod: a manual approval, after the prod diff has been printed.
 * - After each stage: smoke-test.ts checks the pool's configuration and signs the canary user in.
 *
 * The stack is environment-agnostic: it deploys to the account and region it is deployed to.
 */
import {
  ArnFormat,
  CfnElement,
  Stack,
  StackProps,
  aws_codebuild as codebuild,
  aws_iam as iam,
} from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { MedflowAuthStage } from './auth-stage';
import { Acknowledgements, EmailSender, EnvironmentPreset, ReplacementGuard } from '../../src';

export interface MedflowPipelineStackProps extends StackProps {
  /**
   * ARN of the CodeConnections (CodeStar Connections) connection to the source repository.
   * @default - a placeholder in this account that must be replaced before the first deployment
   */
  readonly connectionArn?: string;
  /** Source repository, `owner/name`. @default 'medflow/cognito-infra' */
  readonly repository?: string;
  /** Branch to deliver. @default 'main' */
  readonly branch?: string;
}

/** The command that runs a TypeScript file of this repository. */
const TS_NODE = 'npx ts-node --project tsconfig.dev.json';
/** Where the synth step writes the pipeline's cloud assembly. */
const PIPELINE_OUT = 'pipeline.out';

const ENVIRONMENTS = [
  { id: 'Dev', preset: EnvironmentPreset.dev(), callbackUrl: 'https://dev.medflow.example/auth/callback' },
  {
    id: 'Staging',
    preset: EnvironmentPreset.staging(),
    callbackUrl: 'https://staging.medflow.example/auth/callback',
    email: EmailSender.ses({ fromAddress: 'no-reply@staging.medflow.example', fromName: 'MedFlow (staging)' }),
  },
  {
    id: 'Prod',
    preset: EnvironmentPreset.prod(),
    callbackUrl: 'https://app.medflow.example/auth/callback',
    email: EmailSender.ses({ fromAddress: 'no-reply@medflow.example', fromName: 'MedFlow' }),
  },
];

export class MedflowPipelineStack extends Stack {
  public readonly pipeline: pipelines.CodePipeline;
  public readonly stages: MedflowAuthStage[] = [];

  constructor(scope: Construct, id: string, props: MedflowPipelineStackProps = {}) {
    super(scope, id, props);
    const connectionArn = props.connectionArn ?? this.formatArn({
      service: 'codeconnections',
      resource: 'connection',
      resourceName: '00000000-0000-0000-0000-000000000000',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const source = pipelines.CodePipelineSource.connection(props.repository ?? 'medflow/cognito-infra', props.branch ?? 'main', { connectionArn });

    const synth = new pipelines.CodeBuildStep('Synth', {
      input: source,
      installCommands: ['npm ci'],
      commands: [
        // Gate: AwsSolutions, HIPAA Security and NIST 800-53 rev 5 plus the compliance report (cdk.out/compliance-report.md).
        'npx projen synth:example',
        // Gate: the replacement guard verifies the committed lock file and never writes it.
        `npx cdk synth --app "${TS_NODE} examples/pipeline/app.ts" --output ${PIPELINE_OUT} -c ${ReplacementGuard.MODE_CONTEXT_KEY}=VERIFY`,
      ],
      primaryOutputDirectory: PIPELINE_OUT,
    });

    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: 'medflow-cognito',
      synth,
      crossAccountKeys: true,
      enableKeyRotation: true,
      codeBuildDefaults: {
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL },
        partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': { nodejs: 22 } } } }),
      },
    });

    for (const { id: stageId, preset, callbackUrl, email } of ENVIRONMENTS) {
      const stage = new MedflowAuthStage(this, stageId, { preset, callbackUrl, email });
      this.stages.push(stage);
      const diff = this.diffGate(stage, source, synth);
      const pre: pipelines.Step[] = [diff];
      if (preset.isProduction) {
        const approval = new pipelines.ManualApprovalStep('ApproveProd', {
          comment: 'Read the ProdCognitoDiff log first: the diff gate passed, but every change to prod is reviewed by a person.',
        });
        approval.addStepDependency(diff);
        pre.push(approval);
      }
      this.pipeline.addStage(stage, { pre, post: [this.smokeTest(stage, source)] });
    }
    // Build now, so that the acknowledgements below find the pipeline's roles and projects.
    this.pipeline.buildPipeline();
    this.acknowledgePipelineFindings();
  }

  /** AwsSolutions findings on what CDK Pipelines generates, each with the reason it is acceptable. */
  private acknowledgePipelineFindings(): void {
    const pipeline = this.pipeline.pipeline;
    Acknowledgements.add(pipeline.artifactBucket, {
      id: 'AwsSolutions-S1',
      reason: 'The artifact bucket holds only build artifacts (templates and bundled handler code, never PHI), encrypted with the pipeline key; CloudTrail records the pipeline roles that read and write it.',
    });
    const artifactGrants = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
    Acknowledgements.add(this.pipeline,
      ...artifactGrants.map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `CDK Pipelines grants ${action} on the pipeline's own artifact bucket and key only, so each stage can read its input and write its output artifacts.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::<${this.resolve((pipeline.artifactBucket.node.defaultChild as CfnElement).logicalId)}.Arn>/*]`,
        reason: 'Pipeline roles read and write objects of the pipeline\'s own artifact bucket, whose object keys are generated per execution.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*]',
        reason: 'The smoke-test roles reach only user pools tagged with their own environment (aws:ResourceTag/Environment condition); pool IDs are generated at deploy time.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:*:iam::<AWS::AccountId>:role/*]',
        reason: 'The self-mutation step assumes the CDK bootstrap roles of this account, restricted by CDK Pipelines to roles tagged aws-cdk:bootstrap-role.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'CDK Pipelines lets self-mutation describe stacks and list buckets, and lets asset publishing find its build, APIs without resource-level permissions.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/*]',
        reason: 'The asset publishing builds write their logs to CodeBuild log groups whose project names CDK Pipelines generates when it builds the pipeline.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/*]',
        reason: 'The asset publishing builds write test reports to CodeBuild report groups whose project names CDK Pipelines generates when it builds the pipeline.',
      },
    );
    for (const project of this.node.findAll().filter((c): c is codebuild.CfnProject => c instanceof codebuild.CfnProject)) {
      const name = `<${this.resolve(project.logicalId)}>`;
      Acknowledgements.add(this.pipeline, {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/${name}:*]`,
        reason: `CodeBuild project ${project.node.path} writes its log streams, whose names are generated per build, to its own log group only.`,
      }, {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/${name}-*]`,
        reason: `CodeBuild project ${project.node.path} writes test reports only to report groups named after itself.`,
      });
    }
  }

  /** `cdk diff` of the stage against what is deployed, failing on a replaced or removed pool, domain or identity pool. */
  private diffGate(stage: MedflowAuthStage, source: pipelines.IFileSetProducer, synth: pipelines.IFileSetProducer): pipelines.CodeBuildStep {
    return new pipelines.CodeBuildStep(`${stage.stageName}CognitoDiff`, {
      input: source,
      additionalInputs: { [PIPELINE_OUT]: synth },
      installCommands: ['npm ci'],
      commands: [
        `npx cdk diff --app ${PIPELINE_OUT}/${stage.artifactId} --all > diff.txt 2>&1 || (cat diff.txt; exit 1)`,
        'cat diff.txt',
        `${TS_NODE} examples/pipeline/diff-gate.ts < diff.txt`,
      ],
      rolePolicyStatements: [
        // cdk diff reads the deployed template through the bootstrap lookup role of this account and region.
        new iam.PolicyStatement({
          actions: ['sts:AssumeRole'],
          resources: [this.formatArn({
            service: 'iam', region: '', resource: 'role', resourceName: `cdk-hnb659fds-lookup-role-${this.account}-${this.region}`,
          })],
        }),
      ],
    });
  }

  /** The post-deploy smoke test: pool configuration and a canary sign-in. */
  private smokeTest(stage: MedflowAuthStage, source: pipelines.IFileSetProducer): pipelines.CodeBuildStep {
    const env = stage.environmentName;
    const canarySecretName = `/${env}/medflow/cognito/canary`;
    return new pipelines.CodeBuildStep(`${stage.stageName}SmokeTest`, {
      input: source,
      installCommands: ['npm ci'],
      commands: [`${TS_NODE} examples/pipeline/smoke-test.ts`],
      env: { ENVIRONMENT_NAME: env, CANARY_SECRET_ID: canarySecretName },
      envFromCfnOutputs: { USER_POOL_ID: stage.userPoolIdOutput, CANARY_CLIENT_ID: stage.canaryClientIdOutput },
      rolePolicyStatements: [
        new iam.PolicyStatement({
          actions: ['cognito-idp:DescribeUserPool', 'cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminRespondToAuthChallenge', 'cognito-idp:AdminUserGlobalSignOut'],
          resources: [this.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
          // Only pools the library tagged with this stage's environment.
          conditions: { StringEquals: { 'aws:ResourceTag/Environment': env } },
        }),
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          // Secrets Manager appends six random characters to every secret ARN.
          resources: [this.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${canarySecretName}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
      ],
    });
  }
}
