/*
 * The consumer app: one MedFlow auth stack per environment, each composed from a preset.
 * `npx projen synth:example` synthesizes it into cdk.out/ and checks every stack with the nag packs.
 */
import * as path from 'node:path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MedflowBackendStack } from './backend';
import { EmailSender, EnvironmentPreset, MedflowCognito, MedflowCognitoReplica } from '../src';

/**
 * The replacement guard's lock file of the example app (staging and prod; dev is unguarded).
 * It is committed: a synthesis that would replace a user pool fails against it.
 */
export const EXAMPLE_LOCK_FILE = path.join(__dirname, 'cognito.lock.json');

/** Region the example deploys to; no account is needed to synthesize. */
export const EXAMPLE_REGION = 'eu-west-3';

/** Region of the prod pool's disaster-recovery replica. */
export const EXAMPLE_REPLICA_REGION = 'eu-central-1';

export interface AuthStackProps extends StackProps {
  readonly preset: EnvironmentPreset;
  readonly callbackUrls: string[];
  /** Who sends the pool's email: SES from the clinic's domain outside dev. */
  readonly email?: EmailSender;
  /** On-call address for alarms (staging and prod). */
  readonly alarmEmail?: string;
  /** Monthly budget in USD for the environment's tagged resources (staging and prod). */
  readonly monthlyBudget?: number;
  /**
   * Keep the lockout table as a global table, which a replica Region needs.
   * @default false
   */
  readonly globalLockoutTable?: boolean;
}

export class MedflowAuthStack extends Stack {
  public readonly auth: MedflowCognito;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    this.auth = new MedflowCognito(this, 'Auth', {
      preset: props.preset,
      projectName: 'medflow',
      email: props.email,
      callbackUrls: props.callbackUrls,
      logoutUrls: props.callbackUrls.map((url) => new URL('/', url).toString()),
      alarmEmail: props.alarmEmail,
      monthlyBudget: props.monthlyBudget,
      replacementGuard: { lockFile: EXAMPLE_LOCK_FILE },
      securityTriggers: { globalLockoutTable: props.globalLockoutTable },
    });
  }
}

/** Builds the example app: per environment, an auth stack and a backend stack that reads its configuration. */
export function buildExampleApp(outdir?: string): App {
  const app = new App({ outdir });
  const env = { region: EXAMPLE_REGION };
  const dev = new MedflowAuthStack(app, 'MedflowAuthDev', {
    env, preset: EnvironmentPreset.dev(), callbackUrls: ['http://localhost:3000/auth/callback'],
  });
  const staging = new MedflowAuthStack(app, 'MedflowAuthStaging', {
    env,
    preset: EnvironmentPreset.staging(),
    email: EmailSender.ses({ fromAddress: 'no-reply@staging.medflow.example', fromName: 'MedFlow (staging)' }),
    callbackUrls: ['https://staging.medflow.example/auth/callback'],
    alarmEmail: 'platform-oncall@medflow.example',
    monthlyBudget: 300,
  });
  const prod = new MedflowAuthStack(app, 'MedflowAuthProd', {
    env,
    // The replica stack reads the pool ID, client ID and key ARNs from this stack across Regions.
    crossRegionReferences: true,
    globalLockoutTable: true,
    preset: EnvironmentPreset.prod(),
    email: EmailSender.ses({ fromAddress: 'no-reply@medflow.example', fromName: 'MedFlow', replyTo: 'support@medflow.example' }),
    callbackUrls: ['https://app.medflow.example/auth/callback'],
    alarmEmail: 'platform-oncall@medflow.example',
    monthlyBudget: 2500,
  });
  // The prod pool's secondary, for disaster recovery (docs/disaster-recovery.md).
  const prodReplica = new Stack(app, 'MedflowAuthProdReplica', { env: { region: EXAMPLE_REPLICA_REGION }, crossRegionReferences: true });
  new MedflowCognitoReplica(prodReplica, 'AuthReplica', { primary: prod.auth });
  new MedflowBackendStack(app, 'MedflowBackendDev', { env, auth: dev.auth });
  new MedflowBackendStack(app, 'MedflowBackendStaging', { env, auth: staging.auth });
  new MedflowBackendStack(app, 'MedflowBackendProd', { env, auth: prod.auth });
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
