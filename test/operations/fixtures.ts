/*
 * Bare stacks for the operations tests: a plain user pool with the construct paths MedflowCognito
 * gives its own (so logical IDs such as AuthUserPool8115E87F match), and the operations constructs
 * built from their narrow props. Each fixture is built once per test file and its template read
 * once, then shared by every assertion that reads it.
 */
import { App, RemovalPolicy, Stack, aws_cognito as cognito, aws_kms as kms, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { CognitoMonitoring, CognitoMonitoringProps, CognitoOperations, CognitoOperationsProps } from '../../src';

export type EnvironmentName = 'dev' | 'staging' | 'prod';

/** What each preset hands CognitoOperations: dev has Essentials and no alarms or backup; staging and prod have Plus, both, and keep everything. */
export const ENVIRONMENT_PROPS: Record<EnvironmentName, Pick<CognitoOperationsProps,
'environmentName' | 'enableAlarms' | 'enableBackup' | 'threatProtection' | 'authEvents' | 'logRetention' | 'removalPolicy'>> = {
  dev: {
    environmentName: 'dev',
    enableAlarms: false,
    enableBackup: false,
    threatProtection: false,
    authEvents: false,
    logRetention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  },
  staging: {
    environmentName: 'staging',
    enableAlarms: true,
    enableBackup: true,
    threatProtection: true,
    authEvents: true,
    logRetention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  },
  prod: {
    environmentName: 'prod',
    enableAlarms: true,
    enableBackup: true,
    threatProtection: true,
    authEvents: true,
    logRetention: logs.RetentionDays.SIX_YEARS,
    removalPolicy: RemovalPolicy.RETAIN,
  },
};

/** A bare stack with `Auth/UserPool`, its `AppClient`, `Auth/EncryptionKey`, five trigger functions and a rotation function. */
export interface Pool {
  readonly stack: Stack;
  readonly auth: Construct;
  readonly userPool: cognito.UserPool;
  readonly appClient: cognito.UserPoolClient;
  readonly encryptionKey: kms.Key;
  /** `Auth/RoleScopes/Function` first, as MedflowCognito passes its pre token generation trigger. */
  readonly triggerFunctions: lambda.IFunction[];
  readonly rotationFunction: lambda.IFunction;
}

export function barePool(stackId = 'Test'): Pool {
  const stack = new Stack(new App(), stackId, { env: { region: 'eu-west-1' } });
  const auth = new Construct(stack, 'Auth');
  const userPool = new cognito.UserPool(auth, 'UserPool');
  const appClient = userPool.addClient('AppClient');
  const encryptionKey = new kms.Key(auth, 'EncryptionKey');
  const inline = (scope: Construct, id: string) => new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  const security = new Construct(auth, 'SecurityTriggers');
  const triggerFunctions = [
    inline(new Construct(auth, 'RoleScopes'), 'Function'),
    ...['PreAuthentication', 'PostAuthentication', 'PreSignUp', 'CustomMessage'].map((id) => inline(security, id)),
  ];
  const rotationFunction = inline(new Construct(auth, 'ClientSecret'), 'Rotation');
  return { stack, auth, userPool, appClient, encryptionKey, triggerFunctions, rotationFunction };
}

export interface Built<T> {
  readonly pool: Pool;
  readonly construct: T;
  /** Synthesized on first use, then shared. */
  readonly template: Template;
}

function built<T>(pool: Pool, construct: T): Built<T> {
  let template: Template | undefined;
  return {
    pool,
    construct,
    get template() {
      template ??= Template.fromStack(pool.stack);
      return template;
    },
  };
}

/** CognitoOperations as MedflowCognito builds it for `environment`, plus `overrides`. */
export function operations(environment: EnvironmentName, overrides: Partial<CognitoOperationsProps> = {}): Built<CognitoOperations> {
  const pool = barePool(`Test-${environment}`);
  const construct = new CognitoOperations(pool.auth, 'Operations', {
    userPool: pool.userPool,
    userPoolClients: [pool.appClient],
    ...ENVIRONMENT_PROPS[environment],
    projectName: 'medflow',
    resourcePrefix: `${environment}-medflow-cognito`,
    logEncryptionKey: pool.encryptionKey,
    triggerFunctions: pool.triggerFunctions,
    rotationFunctions: environment === 'dev' ? [] : [pool.rotationFunction],
    ...overrides,
  });
  return built(pool, construct);
}

/** CognitoMonitoring alone, named like the prod operations' (`prod-medflow-cognito`), plus `overrides`. */
export function monitoring(overrides: Partial<CognitoMonitoringProps> = {}): Built<CognitoMonitoring> {
  const pool = barePool('Monitoring');
  const construct = new CognitoMonitoring(pool.auth, 'Monitoring', {
    userPool: pool.userPool,
    userPoolClients: [pool.appClient],
    dashboardName: 'prod-medflow-cognito',
    alarmNamePrefix: 'prod-medflow-cognito',
    enableAlarms: true,
    threatProtection: true,
    triggerFunctions: pool.triggerFunctions,
    rotationFunctions: [pool.rotationFunction],
    removalPolicy: RemovalPolicy.RETAIN,
    ...overrides,
  });
  return built(pool, construct);
}

/** Builds `make()` once, on first use, and returns the same value afterwards. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
