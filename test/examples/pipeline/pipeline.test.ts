import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildPipelineApp } from '../../../examples/pipeline/app';
import { PIPELINE_LOCK_FILE } from '../../../examples/pipeline/auth-stage';
import { ReplacementGuard, ReplacementGuardMode } from '../../../src';

let outdir: string;
beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-pipeline-')); });
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** The pipeline app with the replacement guard verifying the committed lock file. */
function build() {
  const built = buildPipelineApp(outdir, { [ReplacementGuard.MODE_CONTEXT_KEY]: 'VERIFY' });
  const assembly = built.app.synth();
  const template = Template.fromJSON(assembly.getStackArtifact(built.pipelineStack.artifactId).template);
  return { ...built, template };
}

type Action = { Name: string; RunOrder: number; ActionTypeId: { Category: string; Provider: string } };
function stageActions(template: Template, stageName: string): Action[] {
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as any[];
  return pipeline.Properties.Stages.find((s: { Name: string }) => s.Name === stageName).Actions;
}

describe('pipeline example', () => {
  test('synthesizes with no AWS account: the pipeline stack and its stages are environment-agnostic', () => {
    const { pipelineStack } = build();
    expect(Token.isUnresolved(pipelineStack.account)).toBe(true);
    expect(Token.isUnresolved(pipelineStack.region)).toBe(true);
    expect(pipelineStack.stages.map((s) => s.stageName)).toEqual(['Dev', 'Staging', 'Prod']);
  });

  test('the committed lock file matches: the guard in VERIFY mode passes and holds staging and prod only', () => {
    const { pipelineStack } = build();
    const guards = pipelineStack.stages.map((s) => s.auth.replacementGuard);
    // The context key does not turn on the dev preset's guard.
    expect(guards.map((g) => g.mode)).toEqual([ReplacementGuardMode.OFF, ReplacementGuardMode.VERIFY, ReplacementGuardMode.VERIFY]);
    const lock = JSON.parse(fs.readFileSync(PIPELINE_LOCK_FILE, 'utf8'));
    expect(Object.keys(lock.constructs).sort()).toEqual(['MedflowCognitoPipeline/Prod/MedflowAuth/Auth', 'MedflowCognitoPipeline/Staging/MedflowAuth/Auth']);
  });

  test('the synth step runs the nag and compliance gate, then the pipeline app with the guard in VERIFY mode', () => {
    const { template } = build();
    const specs = Object.values(template.findResources('AWS::CodeBuild::Project')).map((p: any) => String(p.Properties.Source.BuildSpec));
    const synth = specs.find((s) => s.includes('npx projen synth:example'));
    expect(synth).toBeDefined();
    expect(synth).toMatch(/npx projen synth:example[\s\S]*npx cdk synth --app .*examples\/pipeline\/app\.ts.* -c @medflow\/cognito-construct:replacementGuard=VERIFY/);
  });

  test('each stage: cdk diff gate first, deploy, then the smoke test; prod waits for a manual approval after its diff', () => {
    const { template } = build();
    for (const stage of ['Dev', 'Staging', 'Prod']) {
      const actions = stageActions(template, stage);
      const order = (predicate: (a: Action) => boolean) => actions.find(predicate)!.RunOrder;
      const diff = order((a) => a.Name === `${stage}CognitoDiff`);
      const deploy = order((a) => a.Name.endsWith('.Deploy'));
      const smoke = order((a) => a.Name === `${stage}SmokeTest`);
      expect(diff).toBeLessThan(deploy);
      expect(deploy).toBeLessThan(smoke);
      const approval = actions.find((a) => a.ActionTypeId.Category === 'Approval');
      if (stage === 'Prod') {
        expect(approval).toBeDefined();
        expect(diff).toBeLessThan(approval!.RunOrder);
        expect(approval!.RunOrder).toBeLessThan(deploy);
      } else {
        expect(approval).toBeUndefined();
      }
    }
  });

  test('the smoke test of each stage may touch only pools tagged with its environment and only its canary secret', () => {
    const { template } = build();
    for (const env of ['dev', 'staging', 'prod']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['cognito-idp:DescribeUserPool', 'cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminRespondToAuthChallenge', 'cognito-idp:AdminUserGlobalSignOut'],
              Condition: { StringEquals: { 'aws:ResourceTag/Environment': env } },
            }),
            Match.objectLike({
              Action: 'secretsmanager:GetSecretValue',
              Resource: { 'Fn::Join': ['', Match.arrayWith([`:secret:/${env}/medflow/cognito/canary-??????`])] },
            }),
          ]),
        },
      });
    }
  });

  test('the canary client allows only ADMIN_USER_PASSWORD_AUTH, without OAuth', () => {
    const { pipelineStack } = build();
    const prodStack = pipelineStack.stages[2].node.children.find((c): c is Stack => Stack.isStack(c))!;
    Template.fromStack(prodStack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'prod-medflow-cognito-canary-client',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      GenerateSecret: false,
    });
  });

  test('AwsSolutions: no unacknowledged finding on the pipeline or any stage stack', () => {
    const { pipelineStack } = build();
    const stacks: Stack[] = [pipelineStack, ...pipelineStack.stages.flatMap((s) => s.node.children.filter((c): c is Stack => Stack.isStack(c)))];
    expect(stacks).toHaveLength(4);
    for (const stack of stacks) {
      const violations = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => `${stack.node.path} ${v.ruleName}`);
      expect(violations).toEqual([]);
    }
  });
});
