import * as path from 'node:path';
import {
  Annotations,
  CfnResource,
  Stack,
  aws_cognito as cognito,
  aws_cognito_identitypool as identitypool,
  cx_api,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import {
  LockDifference, LockedResources, canonicalJson, compareLocked, deployTimeReferences, fingerprint, readLockFile, writeLockEntry,
} from './lock-file';
import { renderCfnResource } from '../internal/rendered-resource';

/** What the replacement guard does at synthesis. */
export enum ReplacementGuardMode {
  /** No check, no lock file. */
  OFF = 'OFF',
  /**
   * Compare with the lock file and fail on a change CloudFormation cannot apply in place. Write the
   * lock file when it has no entry yet, and update it after an allowed change (a new optional custom
   * attribute) or an acknowledged one. Use on developer machines; commit the file.
   */
  RECORD = 'RECORD',
  /**
   * Compare only, never write: also fail when the lock file has no entry or is out of date. Use in
   * deployment pipelines, where a lock file written in the build container protects nothing.
   */
  VERIFY = 'VERIFY',
}

/** Options of the replacement guard that `MedflowCognito` passes through. */
export interface ReplacementGuardOptions {
  /**
   * What the guard does. When this prop is not given, the context key
   * `@medflow/cognito-construct:replacementGuard` (`OFF`, `RECORD` or `VERIFY`) sets it for every
   * construct whose preset turns the guard on, for example in a pipeline with
   * `cdk synth --context=@medflow/cognito-construct:replacementGuard=VERIFY`; `OFF` turns every guard off.
   * The mode applies where the guard uses a lock file: under the CDK CLI (or another CDK toolkit), or
   * with `lockFile` given; an in-process synthesis without `lockFile` (a unit test) checks nothing, whatever the mode.
   * @default - RECORD when the preset's `enableReplacementGuard` is on (staging and prod), OFF in dev; the context key overrides it
   */
  readonly mode?: ReplacementGuardMode;
  /**
   * Path of the lock file, absolute or relative to the working directory of the synthesis (the
   * directory of `cdk.json` under the CDK CLI). Several stacks and constructs share one file, each
   * under its construct path. Giving it also turns the guard on for an in-process synthesis
   * (`Template.fromStack` in a unit test, `app.synth()` in a script), which otherwise reads and
   * writes no lock file.
   * @default 'cognito.lock.json' in the working directory, used only when the CDK CLI (or another CDK toolkit, such as integ-runner) runs the app
   */
  readonly lockFile?: string;
  /**
   * Acknowledged changes for a deliberate migration, exactly as the guard's error prints them
   * (`<construct path>:<property>@<fingerprint of the new value>`). An acknowledged change passes and
   * updates the lock file; the fingerprint keeps the acknowledgement from covering any later change.
   * The context key `@medflow/cognito-construct:acknowledgeReplacement` (comma-separated) adds more.
   * @default - none
   */
  readonly acknowledgedChanges?: string[];
}

/** Props of `ReplacementGuard`. */
export interface ReplacementGuardProps extends ReplacementGuardOptions {
  /** The user pool to protect. */
  readonly userPool: cognito.UserPool;
  /**
   * The hosted UI domain to protect.
   * @default - no domain
   */
  readonly domain?: cognito.UserPoolDomain;
  /**
   * The identity pool to protect.
   * @default - no identity pool
   */
  readonly identityPool?: identitypool.IdentityPool;
  /**
   * The mode when neither `mode` nor the context key sets one.
   * @default ReplacementGuardMode.RECORD
   */
  readonly defaultMode?: ReplacementGuardMode;
}

const MODE_CONTEXT_KEY = '@medflow/cognito-construct:replacementGuard';
const ACKNOWLEDGE_CONTEXT_KEY = '@medflow/cognito-construct:acknowledgeReplacement';
const DEFAULT_LOCK_FILE = 'cognito.lock.json';

/**
 * Fails synthesis when a change would make CloudFormation replace (or fail to update) the user
 * pool, its hosted UI domain or the identity pool: a replaced user pool starts empty, and every
 * user and password is lost.
 *
 * The guard records the settings Cognito cannot change after creation (custom attribute schema,
 * username and alias attributes, username case sensitivity, logical IDs, the domain name, the
 * identity pool's developer provider name, and the create-only properties of a user pool replica) in a lock file, and compares every later synthesis with it.
 * Adding an optional custom attribute passes and updates the file.
 *
 * No lock file is read or written unless the CDK CLI (or another CDK toolkit, such as integ-runner)
 * runs the app or `lockFile` is given: an in-process synthesis without one, such as a unit test
 * synthesizing the same stack with different settings, is not checked.
 *
 * @example
 * new MedflowCognito(this, 'Auth', {
 *   preset: EnvironmentPreset.prod(),
 *   email: EmailSender.ses({ fromAddress: 'no-reply@clinic.example' }),
 *   replacementGuard: { lockFile: 'cognito.lock.json' },
 * });
 */
export class ReplacementGuard extends Construct {
  /** Context key that sets the guard's mode for a whole app: `OFF`, `RECORD` or `VERIFY`. */
  public static readonly MODE_CONTEXT_KEY = MODE_CONTEXT_KEY;
  /** Context key holding comma-separated acknowledged changes. */
  public static readonly ACKNOWLEDGE_CONTEXT_KEY = ACKNOWLEDGE_CONTEXT_KEY;

  /** The mode in force after the prop, the context key and the default were applied. */
  public readonly mode: ReplacementGuardMode;
  /** Absolute path of the lock file. */
  public readonly lockFile: string;
  /**
   * Whether this synthesis reads and writes the lock file: the mode is not `OFF`, and the CDK CLI
   * (or another CDK toolkit) runs the app or `lockFile` was given.
   */
  public readonly checksLockFile: boolean;

  private readonly props: ReplacementGuardProps;
  private readonly acknowledged: Set<string>;

  constructor(scope: Construct, id: string, props: ReplacementGuardProps) {
    super(scope, id);
    this.props = props;
    this.mode = resolveMode(this, props);
    this.lockFile = path.resolve(props.lockFile ?? DEFAULT_LOCK_FILE);
    this.checksLockFile = this.mode !== ReplacementGuardMode.OFF && (props.lockFile !== undefined || toolkitRunsApp());
    this.acknowledged = new Set([...(props.acknowledgedChanges ?? []), ...contextAcknowledgements(this)].map((s) => s.trim()).filter(Boolean));
    this.node.addValidation({ validate: () => this.check() });
  }

  /** The path under which this guard's entry is kept in the lock file: the guarded construct's path. */
  public get lockKey(): string {
    return this.node.scope?.node.path ?? this.node.path;
  }

  private check(): string[] {
    if (!this.checksLockFile) return [];
    const writes: (() => void)[] = [];
    const errors = [...this.checkOwnEntry(writes), ...this.checkRemovedConstructs(writes)];
    // The lock file changes only when this guard passes as a whole.
    if (errors.length === 0) writes.forEach((write) => write());
    return errors;
  }

  /**
   * Entries of this stack whose construct is gone: removing or renaming a `MedflowCognito` deletes
   * (or orphans) its user pool. The first guard of the stack reports them, once.
   */
  private checkRemovedConstructs(writes: (() => void)[]): string[] {
    const stackPath = Stack.of(this).node.path;
    const guards = this.node.root.node.findAll()
      .filter((c): c is ReplacementGuard => c instanceof ReplacementGuard && c.lockFile === this.lockFile && Stack.of(c).node.path === stackPath);
    if (guards.map((g) => g.lockKey).sort()[0] !== this.lockKey) return [];
    const present = new Set(guards.map((g) => g.lockKey));
    const lock = readLockFile(this.lockFile);
    const removed = Object.keys(lock?.constructs ?? {}).filter((key) => key.startsWith(`${stackPath}/`) && !present.has(key)).sort();
    const errors: string[] = [];
    for (const key of removed) {
      const id = `${key}:removed@${fingerprint(null)}`;
      if (!this.acknowledged.has(id)) {
        errors.push([
          `Replacement guard: ${key} is in the lock file ${this.lockFile} but no longer in stack ${stackPath}.`,
          '  consequence: CloudFormation would delete its user pool (or orphan it where the removal policy retains it): every user and password would be lost to this stack.',
          '  If the construct was renamed or moved, restore its original ID and path. For a deliberate removal, acknowledge it; the entry then leaves the lock file:',
          `  cdk synth -c ${ACKNOWLEDGE_CONTEXT_KEY}=${id}`,
        ].join('\n'));
      } else if (this.mode === ReplacementGuardMode.VERIFY) {
        errors.push(`Replacement guard: the lock file ${this.lockFile} still holds the removed ${key}. Run \`cdk synth\` locally with the acknowledgement and commit the file.`);
      } else {
        writes.push(() => {
          writeLockEntry(this.lockFile, key, undefined);
          Annotations.of(this).addWarningV2('@medflow/cognito-construct:replacement-acknowledged',
            `Replacement guard: acknowledged the removal of ${key}; its entry left the lock file. Commit it.`);
        });
      }
    }
    return errors;
  }

  private checkOwnEntry(writes: (() => void)[]): string[] {
    const current = this.snapshot();
    const lock = readLockFile(this.lockFile);
    const locked = lock?.constructs[this.lockKey];
    const where = `${this.lockKey} (lock file ${this.lockFile})`;
    if (!locked) {
      if (this.mode === ReplacementGuardMode.VERIFY) {
        return [`Replacement guard: the lock file has no entry for ${where}. Run \`cdk synth\` once without VERIFY mode, review and commit the file.`];
      }
      writes.push(() => {
        writeLockEntry(this.lockFile, this.lockKey, current);
        Annotations.of(this).addInfo(`Replacement guard: recorded ${this.lockKey} in ${this.lockFile}. Commit this file.`);
      });
      return [];
    }
    const diffs = compareLocked(locked, current);
    if (diffs.length === 0) return [];
    const blocking = diffs.filter((d) => !d.allowed && !this.acknowledged.has(this.acknowledgementId(d)));
    if (blocking.length > 0) return [this.blockingMessage(blocking, where)];
    if (this.mode === ReplacementGuardMode.VERIFY) {
      return [`Replacement guard: the lock file is out of date for ${where}; it differs in ${diffs.map((d) => d.property).join(', ')}. `
        + 'Run `cdk synth` locally (with any acknowledgement the change needs) and commit the updated lock file.'];
    }
    writes.push(() => {
      writeLockEntry(this.lockFile, this.lockKey, current);
      for (const d of diffs.filter((x) => !x.allowed)) {
        Annotations.of(this).addWarningV2('@medflow/cognito-construct:replacement-acknowledged',
          `Replacement guard: acknowledged ${d.property} (${d.consequence}); the lock file now holds the new value. Commit it.`);
      }
    });
    return [];
  }

  private acknowledgementId(d: LockDifference): string {
    return `${this.lockKey}:${d.property}@${fingerprint(d.after)}`;
  }

  private blockingMessage(blocking: LockDifference[], where: string): string {
    const lines = [`Replacement guard: ${blocking.length} change(s) to ${where} that CloudFormation cannot apply in place:`];
    for (const d of blocking) {
      lines.push(
        `  - ${d.property}`,
        `      locked: ${canonicalJson(d.before ?? null)}`,
        `      now:    ${canonicalJson(d.after ?? null)}`,
        `      consequence: ${d.consequence}.`,
      );
    }
    const ids = blocking.map((d) => this.acknowledgementId(d));
    lines.push(
      'Revert the change to keep the existing users. For a deliberate migration (a new user pool, with users restored from the export as',
      'docs/deployment.md describes), acknowledge exactly these changes; the synthesis then passes and updates the lock file:',
      `  cdk synth -c ${ACKNOWLEDGE_CONTEXT_KEY}=${ids.join(',')}`,
      `  or replacementGuard: { acknowledgedChanges: [${ids.map((id) => `'${id}'`).join(', ')}] }`,
    );
    return lines.join('\n');
  }

  private snapshot(): LockedResources {
    const stack = Stack.of(this);
    const localResources = new Set(stack.node.findAll().filter(CfnResource.isCfnResource).map((r) => stack.resolve(r.logicalId) as string));
    const pool = this.resolved(this.props.userPool, localResources);
    const schema: Record<string, unknown> = {};
    for (const attribute of (pool.properties.Schema ?? []) as Record<string, unknown>[]) {
      const { Name, ...rest } = attribute;
      schema[String(Name)] = rest;
    }
    const userPool = {
      LogicalId: pool.logicalId,
      UsernameAttributes: pool.properties.UsernameAttributes ?? null,
      AliasAttributes: pool.properties.AliasAttributes ?? null,
      UsernameConfiguration: pool.properties.UsernameConfiguration ?? null,
      Schema: schema,
    };
    let domain: Record<string, unknown> | undefined;
    if (this.props.domain) {
      const d = this.resolved(this.props.domain, localResources);
      domain = { LogicalId: d.logicalId, Domain: d.properties.Domain ?? null };
    }
    let identityPool: Record<string, unknown> | undefined;
    if (this.props.identityPool) {
      const i = this.resolved(this.props.identityPool, localResources);
      identityPool = { LogicalId: i.logicalId, DeveloperProviderName: i.properties.DeveloperProviderName ?? null };
    }
    // Added by a MedflowCognitoReplica beside the pool, after this guard was built: found at synthesis.
    let userPoolReplica: Record<string, unknown> | undefined;
    const replica = this.node.scope?.node.children.find((c): c is CfnResource => CfnResource.isCfnResource(c)
      && c.cfnResourceType === 'AWS::Cognito::UserPoolReplica');
    if (replica) {
      const r = this.resolved(replica, localResources);
      userPoolReplica = {
        LogicalId: r.logicalId, RegionName: r.properties.RegionName ?? null, UserPoolTagsAtCreate: r.properties.UserPoolTagsAtCreate ?? null,
      };
    }
    const snapshot = { userPool, domain, identityPool, userPoolReplica };
    const deployTime = deployTimeReferences(snapshot, localResources);
    if (deployTime.length > 0) {
      Annotations.of(this).addWarningV2('@medflow/cognito-construct:replacement-guard-deploy-time-value',
        `Replacement guard: ${[...new Set(deployTime)].join(', ')} in a guarded setting is known only at deploy time; the guard compares the expression, not the deployed value.`);
    }
    return JSON.parse(JSON.stringify(snapshot));
  }

  private resolved(construct: IConstruct, localResources: Set<string>): { logicalId: string; properties: Record<string, any> } {
    const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
    if (!resource || !CfnResource.isCfnResource(resource)) {
      throw new Error(`Replacement guard: ${construct.node.path} has no CloudFormation resource to inspect.`);
    }
    const rendered = renderCfnResource(resource);
    if (!rendered) {
      throw new Error(`Replacement guard: ${construct.node.path} is not synthesized, so there is nothing to inspect.`);
    }
    localResources.add(rendered.logicalId);
    return { logicalId: rendered.logicalId, properties: rendered.properties as Record<string, any> };
  }
}

/**
 * Whether a CDK toolkit runs this app. The CDK CLI, and integ-runner through the toolkit library, set
 * `CDK_OUTDIR` for the app process (`OUTDIR_ENV` in aws-cdk-lib's cx-api/lib/cxapi.ts); aws-cdk-lib's
 * `App` reads it as its default `outdir` and synthesizes on exit only when it is set
 * (`autoSynth ?? cxapi.OUTDIR_ENV in process.env`, core/lib/app.ts). A unit test or a script calling
 * `app.synth()` runs without it.
 */
function toolkitRunsApp(): boolean {
  return cx_api.OUTDIR_ENV in process.env;
}

function resolveMode(scope: Construct, props: ReplacementGuardProps): ReplacementGuardMode {
  if (props.mode !== undefined) return checkMode(props.mode, 'replacementGuard.mode');
  const defaultMode = props.defaultMode ?? ReplacementGuardMode.RECORD;
  const fromContext = scope.node.tryGetContext(MODE_CONTEXT_KEY);
  if (fromContext === undefined) return defaultMode;
  const mode = checkMode(String(fromContext).toUpperCase() as ReplacementGuardMode, `context ${MODE_CONTEXT_KEY}`);
  // The app-wide key chooses how guarded constructs are checked, or turns every guard off; it does
  // not turn on a guard that is off by default (a dev preset's disposable pool).
  return defaultMode === ReplacementGuardMode.OFF ? ReplacementGuardMode.OFF : mode;
}

function checkMode(mode: ReplacementGuardMode, source: string): ReplacementGuardMode {
  const allowed = Object.values(ReplacementGuardMode) as string[];
  if (!allowed.includes(mode)) {
    throw new Error(`ReplacementGuard: invalid ${source} ${JSON.stringify(mode)}; allowed: ${allowed.join(', ')}.`);
  }
  return mode;
}

function contextAcknowledgements(scope: Construct): string[] {
  const value = scope.node.tryGetContext(ACKNOWLEDGE_CONTEXT_KEY);
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : String(value).split(',');
}
