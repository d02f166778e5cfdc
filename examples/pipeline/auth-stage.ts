/*
 * One deployment stage of the pipeline: the MedFlow auth stack of one environment, plus the canary
 * app client the post-deploy smoke test signs in with.
 */
import * as path from 'node:path';
import { CfnOutput, Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EmailSender, EnvironmentPreset, MedflowCognito } from '../../src';

/** The pipeline example's replacement-guard lock file, committed next to it. */
export const PIPELINE_LOCK_FILE = path.join(__dirname, 'cognito.lock.json');

export interface MedflowAuthStageProps extends StageProps {
  readonly preset: EnvironmentPreset;
  /** The application's OAuth callback URL in this environment. */
  readonly callbackUrl: string;
  /** Who sends the pool's email (SES outside dev). */
  readonly email?: EmailSender;
}

export class MedflowAuthStage extends Stage {
  public readonly auth: MedflowCognito;
  /** Output with the user pool ID, read by the smoke test. */
  public readonly userPoolIdOutput: CfnOutput;
  /** Output with the canary client ID, read by the smoke test. */
  public readonly canaryClientIdOutput: CfnOutput;
  public readonly environmentName: string;

  constructor(scope: Construct, id: string, props: MedflowAuthStageProps) {
    super(scope, id, props);
    const stack = new Stack(this, 'MedflowAuth');
    this.environmentName = props.preset.environmentName;
    this.auth = new MedflowCognito(stack, 'Auth', {
      preset: props.preset,
      email: props.email,
      callbackUrls: [props.callbackUrl],
      logoutUrls: [new URL('/', props.callbackUrl).toString()],
      replacementGuard: { lockFile: PIPELINE_LOCK_FILE },
    });
    // The canary client allows only ADMIN_USER_PASSWORD_AUTH, whose AdminInitiateAuth call needs
    // IAM credentials: no browser or device can use it, only the pipeline's smoke-test role.
    const canaryClient = this.auth.userPool.addClient('CanaryClient', {
      userPoolClientName: `${this.auth.resourcePrefix}-canary-client`,
      authFlows: { adminUserPassword: true, userSrp: false, userPassword: false, custom: false, user: false },
      disableOAuth: true,
      generateSecret: false,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    this.userPoolIdOutput = new CfnOutput(stack, 'SmokeUserPoolId', { value: this.auth.userPoolId });
    this.canaryClientIdOutput = new CfnOutput(stack, 'SmokeCanaryClientId', { value: canaryClient.userPoolClientId });
  }
}
