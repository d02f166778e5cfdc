/*
 * In-memory stand-ins for the Cognito client secret API and a Secrets Manager secret, with the
 * behaviour the rotation relies on: two active secrets per client, values only returned on creation,
 * version stages that move, and a way to make the next call of a command fail.
 */
import { randomBytes } from 'node:crypto';
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

export const POOL_ID = 'eu-west-1_TestPool1';
export const CLIENT_ID = 'testclient0123456789abcdefg';
export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-medflow-cognito-app-client-secret-AbCdEf';

/** A test clock every fake and the code under test read through Date.now(). */
export class Clock {
  public now = Date.UTC(2026, 0, 1, 12);
  public advance(ms: number): void {
    this.now += ms;
  }
}

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

type Failure = { error: Error };

abstract class FakeService {
  public readonly calls: string[] = [];
  private readonly failures = new Map<string, Failure[]>();

  constructor(protected readonly clock: Clock) {}

  /** The next call of `commandName` throws `error` instead of running. */
  public failNext(commandName: string, error: Error): void {
    this.failures.set(commandName, [...(this.failures.get(commandName) ?? []), { error }]);
  }

  public async send(command: object): Promise<unknown> {
    const name = command.constructor.name;
    this.calls.push(name);
    const queued = this.failures.get(name);
    if (queued && queued.length > 0) throw queued.shift()!.error;
    return this.handle(command);
  }

  protected abstract handle(command: object): unknown;
}

export interface FakeClientSecret {
  readonly id: string;
  readonly value: string;
  readonly createdAt: number;
}

export class FakeCognito extends FakeService {
  public secrets: FakeClientSecret[] = [];
  /** Every secret value this fake ever generated, to prove none leaks. */
  public readonly everGenerated: string[] = [];

  /** A client as created with generateSecret: one secret. */
  public createClientSecret(): FakeClientSecret {
    const value = randomBytes(26).toString('hex').slice(0, 51);
    let epoch = this.clock.now;
    while (this.secrets.some((s) => s.id === `${CLIENT_ID}--${epoch}`)) epoch++;
    const secret = { id: `${CLIENT_ID}--${epoch}`, value, createdAt: this.clock.now };
    this.secrets.push(secret);
    this.everGenerated.push(value);
    return secret;
  }

  protected handle(command: object): unknown {
    const input = (command as { input: Record<string, string> }).input;
    if (input.UserPoolId !== POOL_ID || input.ClientId !== CLIENT_ID) {
      throw awsError('ResourceNotFoundException', `User pool client ${input.ClientId} does not exist.`);
    }
    if (command instanceof AddUserPoolClientSecretCommand) {
      if (this.secrets.length >= 2) throw awsError('LimitExceededException', 'The app client already has 2 client secrets.');
      const s = this.createClientSecret();
      return { ClientSecretDescriptor: { ClientSecretId: s.id, ClientSecretValue: s.value, ClientSecretCreateDate: new Date(s.createdAt) } };
    }
    if (command instanceof ListUserPoolClientSecretsCommand) {
      return { ClientSecrets: this.secrets.map((s) => ({ ClientSecretId: s.id, ClientSecretCreateDate: new Date(s.createdAt) })) };
    }
    if (command instanceof DeleteUserPoolClientSecretCommand) {
      const before = this.secrets.length;
      this.secrets = this.secrets.filter((s) => s.id !== input.ClientSecretId);
      if (this.secrets.length === before) throw awsError('ResourceNotFoundException', `Client secret ${input.ClientSecretId} does not exist.`);
      return {};
    }
    if (command instanceof DescribeUserPoolClientCommand) {
      return { UserPoolClient: { ClientId: CLIENT_ID, UserPoolId: POOL_ID, ClientSecret: this.secrets[0]?.value } };
    }
    throw new Error(`FakeCognito does not handle ${command.constructor.name}`);
  }

  public ids(): string[] {
    return this.secrets.map((s) => s.id);
  }
}

interface Version {
  value?: string;
  stages: string[];
  readonly createdAt: number;
}

export class FakeSecretsManager extends FakeService {
  public rotationEnabled = true;
  public lastRotatedDate?: number;
  public readonly versions = new Map<string, Version>();
  private versionCounter = 0;

  /** Writes a value as AWSCURRENT, the way the sync custom resource does with PutSecretValue. */
  public putCurrent(value: string): string {
    const id = `initial-${++this.versionCounter}`;
    this.moveStage('AWSCURRENT', id);
    this.versions.set(id, { value, stages: ['AWSCURRENT'], createdAt: this.clock.now });
    return id;
  }

  /** What RotateSecret does before invoking createSecret: a new version staged AWSPENDING, without a value. */
  public startRotation(token: string): void {
    this.moveStage('AWSPENDING', token);
    this.versions.set(token, { stages: ['AWSPENDING'], createdAt: this.clock.now });
  }

  public valueAt(stage: string): string | undefined {
    return [...this.versions.values()].find((v) => v.stages.includes(stage))?.value;
  }

  public versionAt(stage: string): string | undefined {
    return [...this.versions.entries()].find(([, v]) => v.stages.includes(stage))?.[0];
  }

  public allValues(): string[] {
    return [...this.versions.values()].map((v) => v.value).filter((v): v is string => v !== undefined);
  }

  private moveStage(stage: string, to: string): void {
    for (const version of this.versions.values()) version.stages = version.stages.filter((s) => s !== stage);
    this.versions.get(to)?.stages.push(stage);
  }

  protected handle(command: object): unknown {
    const input = (command as { input: Record<string, unknown> }).input;
    if (input.SecretId !== SECRET_ARN) throw awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (command instanceof DescribeSecretCommand) {
      const stages: Record<string, string[]> = {};
      for (const [id, v] of this.versions) if (v.stages.length > 0) stages[id] = [...v.stages];
      return {
        ARN: SECRET_ARN,
        RotationEnabled: this.rotationEnabled,
        LastRotatedDate: this.lastRotatedDate ? new Date(this.lastRotatedDate) : undefined,
        VersionIdsToStages: stages,
      };
    }
    if (command instanceof ListSecretVersionIdsCommand) {
      return {
        Versions: [...this.versions.entries()].map(([id, v]) => ({
          VersionId: id, VersionStages: [...v.stages], CreatedDate: new Date(v.createdAt),
        })),
      };
    }
    if (command instanceof GetSecretValueCommand) {
      let version: Version | undefined;
      if (input.VersionId !== undefined) {
        version = this.versions.get(input.VersionId as string);
        if (version && input.VersionStage !== undefined && !version.stages.includes(input.VersionStage as string)) version = undefined;
      } else {
        const stage = (input.VersionStage as string | undefined) ?? 'AWSCURRENT';
        version = [...this.versions.values()].find((v) => v.stages.includes(stage));
      }
      if (!version?.value) throw awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value.");
      return { ARN: SECRET_ARN, SecretString: version.value, VersionId: input.VersionId };
    }
    if (command instanceof PutSecretValueCommand) {
      const token = input.ClientRequestToken as string;
      const existing = this.versions.get(token);
      if (existing?.value !== undefined) {
        if (existing.value === input.SecretString) return { VersionId: token };
        throw awsError('ResourceExistsException', `A version with VersionId ${token} already exists with a different value.`);
      }
      if (!existing) this.versions.set(token, { stages: [], createdAt: this.clock.now });
      this.versions.get(token)!.value = input.SecretString as string;
      for (const stage of (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT']) this.moveStage(stage, token);
      return { VersionId: token };
    }
    if (command instanceof UpdateSecretVersionStageCommand) {
      const stage = input.VersionStage as string;
      const holder = this.versionAt(stage);
      if (holder && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
        throw awsError('InvalidParameterException', `The staging label ${stage} is attached to version ${holder}; name it in RemoveFromVersionId.`);
      }
      if (stage === 'AWSCURRENT' && holder && holder !== input.MoveToVersionId) {
        this.moveStage('AWSPREVIOUS', holder);
        this.lastRotatedDate = this.clock.now;
      }
      this.moveStage(stage, input.MoveToVersionId as string);
      return {};
    }
    throw new Error(`FakeSecretsManager does not handle ${command.constructor.name}`);
  }
}

/** Routes the SDK clients' `send` to the fakes and Date.now() to the clock. */
export function installFakes(clock: Clock, cognito: FakeCognito, secretsManager: FakeSecretsManager): void {
  jest.spyOn(Date, 'now').mockImplementation(() => clock.now);
  jest.spyOn(CognitoIdentityProviderClient.prototype, 'send').mockImplementation(((command: object) => cognito.send(command)) as never);
  jest.spyOn(SecretsManagerClient.prototype, 'send').mockImplementation(((command: object) => secretsManager.send(command)) as never);
}
