import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnParameter, Stack, aws_certificatemanager as acm, aws_cognito as cognito } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EnvironmentPreset, MedflowCognito, MedflowCognitoProps, MedflowCognitoReplica, ReplacementGuard, ReplacementGuardMode } from '../../src';
import { TEST_EMAIL } from '../helpers';

let dir: string;
let lockFile: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-guard-'));
  lockFile = path.join(dir, 'cognito.lock.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

type Mutation = (pool: cognito.CfnUserPool, stack: Stack) => void;

/** Builds and synthesizes a prod app whose guard uses the temporary lock file. */
function synth(overrides: Partial<MedflowCognitoProps> = {}, mutate?: Mutation, context: Record<string, unknown> = {}) {
  const app = new App({ postCliContext: context });
  const stack = new Stack(app, 'Guarded', { env: { region: 'eu-west-1' } });
  const auth = new MedflowCognito(stack, 'Auth', {
    preset: EnvironmentPreset.prod(),
    email: TEST_EMAIL,
    ...overrides,
    replacementGuard: { mode: ReplacementGuardMode.RECORD, lockFile, ...overrides.replacementGuard },
  });
  mutate?.(auth.userPool.node.defaultChild as cognito.CfnUserPool, stack);
  app.synth();
  return { app, stack, auth };
}

function lock(): any {
  return JSON.parse(fs.readFileSync(lockFile, 'utf8'));
}

const schemaOf = (pool: cognito.CfnUserPool) => pool.schema as cognito.CfnUserPool.SchemaAttributeProperty[];
const addInsuranceId: Mutation = (pool) => {
  pool.schema = [...schemaOf(pool), {
    name: 'insurance_id', attributeDataType: 'String', mutable: true, stringAttributeConstraints: { minLength: '1', maxLength: '64' },
  }];
};
const shortenClinicId: Mutation = (pool) => {
  pool.schema = schemaOf(pool).map((a) => (a.name === 'clinic_id' ? { ...a, stringAttributeConstraints: { minLength: '1', maxLength: '40' } } : a));
};
const removeNpi: Mutation = (pool) => {
  pool.schema = schemaOf(pool).filter((a) => a.name !== 'npi_number');
};

/** The acknowledgement IDs an error message offers. */
function acknowledgementIds(action: () => unknown): string[] {
  const error = thrownBy(action);
  expect(error?.message).toMatch(/Replacement guard/);
  const line = error!.message.split('\n').find((l) => l.includes('acknowledgedChanges'))!;
  return [...line.matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

/** The error `action` throws, or undefined; the caller asserts on it. */
function thrownBy(action: () => unknown): Error | undefined {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

describe('ReplacementGuard', () => {
  test('the first synthesis writes the lock file with the replacement-relevant settings', () => {
    expect(fs.existsSync(lockFile)).toBe(false);
    synth();
    const entry = lock().constructs['Guarded/Auth'];
    expect(entry.userPool.UsernameAttributes).toEqual(['email']);
    expect(entry.userPool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(entry.userPool.AliasAttributes).toBeNull();
    expect(entry.userPool.Schema.clinic_id).toEqual({
      AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MaxLength: '36', MinLength: '36' },
    });
    expect(entry.userPool.LogicalId).toMatch(/^AuthUserPool/);
    expect(entry.domain).toEqual({ Domain: 'prod-medflow-auth', LogicalId: expect.stringMatching(/^AuthUserPoolDomain/) });
    expect(entry.identityPool.LogicalId).toMatch(/^AuthIdentity/);
    expect(lock().version).toBe(1);
  });

  test('an unchanged synthesis leaves the lock file byte for byte', () => {
    synth();
    const before = fs.readFileSync(lockFile, 'utf8');
    const mtime = fs.statSync(lockFile).mtimeMs;
    synth();
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(before);
    expect(fs.statSync(lockFile).mtimeMs).toBe(mtime);
  });

  test('adding an optional custom attribute passes and updates the lock file', () => {
    synth();
    expect(lock().constructs['Guarded/Auth'].userPool.Schema.insurance_id).toBeUndefined();
    expect(() => synth({}, addInsuranceId)).not.toThrow();
    expect(lock().constructs['Guarded/Auth'].userPool.Schema.insurance_id).toMatchObject({ Mutable: true });
  });

  test('an existing pool adopting the user data key passes, even in VERIFY: KeyConfiguration updates the pool in place', () => {
    const withoutKey = EnvironmentPreset.prod().withOverrides({ customerManagedUserDataKey: false });
    const before = synth({ preset: withoutKey });
    expect(Template.fromStack(before.stack).findResources('AWS::Cognito::UserPool', { Properties: { KeyConfiguration: Match.anyValue() } })).toEqual({});
    const locked = fs.readFileSync(lockFile, 'utf8');
    let adopted: ReturnType<typeof synth> | undefined;
    expect(() => { adopted = synth({ replacementGuard: { mode: ReplacementGuardMode.VERIFY } }); }).not.toThrow();
    Template.fromStack(adopted!.stack).hasResourceProperties('AWS::Cognito::UserPool', { KeyConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY' } });
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(locked);
    // The same VERIFY synthesis does fail on a change that replaces the pool.
    expect(() => synth({ replacementGuard: { mode: ReplacementGuardMode.VERIFY } }, shortenClinicId)).toThrow(/Replacement guard/);
  });

  test('adding a required attribute fails', () => {
    synth();
    expect(() => synth({}, (pool) => {
      pool.schema = [...schemaOf(pool), { name: 'birthdate', attributeDataType: 'String', mutable: true, required: true }];
    })).toThrow(/UserPool\.Schema\[birthdate\][\s\S]*a required attribute cannot be added/);
  });

  test('changing an existing attribute\'s constraints fails with the property, old and new values and the consequence', () => {
    synth();
    const lockBefore = fs.readFileSync(lockFile, 'utf8');
    expect(() => synth({}, shortenClinicId)).toThrow(new RegExp([
      'UserPool\\.Schema\\[clinic_id\\]',
      'locked: \\{"AttributeDataType":"String","Mutable":true,"StringAttributeConstraints":\\{"MaxLength":"36","MinLength":"36"\\}\\}',
      'now:    \\{"AttributeDataType":"String","Mutable":true,"StringAttributeConstraints":\\{"MaxLength":"40","MinLength":"1"\\}\\}',
      'CloudFormation would replace the user pool .*every user and password would be lost',
    ].join('[\\s\\S]*')));
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(lockBefore);
  });

  test('removing an attribute fails', () => {
    synth();
    expect(() => synth({}, removeNpi)).toThrow(/UserPool\.Schema\[npi_number\][\s\S]*now:    null[\s\S]*cannot be removed/);
  });

  test('changing the username attributes, aliases or case sensitivity fails', () => {
    synth();
    expect(() => synth({}, (pool) => { pool.usernameAttributes = ['email', 'phone_number']; }))
      .toThrow(/UserPool\.UsernameAttributes[\s\S]*locked: \["email"\][\s\S]*now:    \["email","phone_number"\]/);
    expect(() => synth({}, (pool) => { pool.aliasAttributes = ['preferred_username']; }))
      .toThrow(/UserPool\.AliasAttributes[\s\S]*locked: null/);
    expect(() => synth({ caseSensitiveUsernames: true }))
      .toThrow(/UserPool\.UsernameConfiguration[\s\S]*\{"CaseSensitive":true\}[\s\S]*case sensitivity is fixed/);
  });

  test('a changed domain prefix or a removed identity pool fails', () => {
    synth();
    expect(() => synth({ domainPrefix: 'prod-medflow-login' }))
      .toThrow(/Domain\.Domain[\s\S]*"prod-medflow-auth"[\s\S]*"prod-medflow-login"[\s\S]*replace the hosted UI domain/);
    expect(() => synth({ enableIdentityPool: false }))
      .toThrow(/IdentityPool\b[\s\S]*now:    null[\s\S]*every identity ID is lost/);
  });

  test('a renamed or removed MedflowCognito fails: its pool would be deleted; the acknowledgement drops its entry', () => {
    synth();
    const renamed = (context: Record<string, unknown> = {}) => {
      const app = new App({ postCliContext: context });
      const stack = new Stack(app, 'Guarded', { env: { region: 'eu-west-1' } });
      new MedflowCognito(stack, 'Authentication', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, replacementGuard: { mode: ReplacementGuardMode.RECORD, lockFile } });
      app.synth();
    };
    expect(() => renamed()).toThrow(/Guarded\/Auth is in the lock file .* but no longer in stack Guarded[\s\S]*CloudFormation would delete its user pool/);
    // A failed synthesis leaves the lock file alone, the new path included.
    expect(Object.keys(lock().constructs)).toEqual(['Guarded/Auth']);
    const id = `Guarded/Auth:removed@${'[0-9a-f]{8}'}`;
    const ack = thrownBy(() => renamed())!.message.match(new RegExp(id))![0];
    expect(() => renamed({ [ReplacementGuard.ACKNOWLEDGE_CONTEXT_KEY]: ack })).not.toThrow();
    expect(Object.keys(lock().constructs)).toEqual(['Guarded/Authentication']);
  });

  test('the printed acknowledgement lets the change through, updates the lock file, and covers only that value', () => {
    synth();
    const ids = acknowledgementIds(() => synth({}, shortenClinicId));
    expect(ids).toEqual([expect.stringMatching(/^Guarded\/Auth:UserPool\.Schema\[clinic_id\]@[0-9a-f]{8}$/)]);

    // An acknowledgement of one value does not cover another change of the same property.
    expect(() => synth({ replacementGuard: { acknowledgedChanges: ids } }, (pool) => {
      pool.schema = schemaOf(pool).map((a) => (a.name === 'clinic_id' ? { ...a, mutable: false } : a));
    })).toThrow(/UserPool\.Schema\[clinic_id\]/);

    const { stack } = synth({ replacementGuard: { acknowledgedChanges: ids } }, shortenClinicId);
    expect(lock().constructs['Guarded/Auth'].userPool.Schema.clinic_id.StringAttributeConstraints).toEqual({ MaxLength: '40', MinLength: '1' });
    Annotations.fromStack(stack).hasWarning('/Guarded/Auth/ReplacementGuard', Match.stringLikeRegexp('acknowledged UserPool\\.Schema\\[clinic_id\\]'));
    // The lock now holds the new value: the next plain synthesis passes without any acknowledgement.
    expect(() => synth({}, shortenClinicId)).not.toThrow();
  });

  test('the context key acknowledges changes too, comma-separated', () => {
    synth();
    const ids = acknowledgementIds(() => synth({ caseSensitiveUsernames: true }, removeNpi));
    expect(ids).toHaveLength(2);
    expect(() => synth({ caseSensitiveUsernames: true }, removeNpi, { [ReplacementGuard.ACKNOWLEDGE_CONTEXT_KEY]: ids.join(',') })).not.toThrow();
    expect(lock().constructs['Guarded/Auth'].userPool.Schema.npi_number).toBeUndefined();
  });

  test('VERIFY never writes: it fails without an entry and when the lock file is out of date', () => {
    const verify = { replacementGuard: { mode: ReplacementGuardMode.VERIFY } };
    expect(() => synth(verify)).toThrow(/no entry for Guarded\/Auth[\s\S]*Run `cdk synth` once without VERIFY mode/);
    expect(fs.existsSync(lockFile)).toBe(false);
    synth();
    expect(() => synth(verify)).not.toThrow();
    expect(() => synth(verify, addInsuranceId)).toThrow(/lock file is out of date[\s\S]*UserPool\.Schema\[insurance_id\]/);
    expect(lock().constructs['Guarded/Auth'].userPool.Schema.insurance_id).toBeUndefined();
  });

  test('the mode comes from the context key when the prop is not given, and a bad mode names the allowed ones', () => {
    synth();
    const viaContext = (value: string) => {
      const app = new App({ postCliContext: { [ReplacementGuard.MODE_CONTEXT_KEY]: value } });
      const stack = new Stack(app, 'Guarded', { env: { region: 'eu-west-1' } });
      const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, replacementGuard: { lockFile } });
      return { app, auth };
    };
    expect(viaContext('verify').auth.replacementGuard.mode).toBe(ReplacementGuardMode.VERIFY);
    expect(viaContext('OFF').auth.replacementGuard.mode).toBe(ReplacementGuardMode.OFF);
    expect(() => viaContext('sometimes')).toThrow(/invalid context @medflow\/cognito-construct:replacementGuard "SOMETIMES"; allowed: OFF, RECORD, VERIFY/);
  });

  test('a guarded value known only at deploy time is compared as its expression, with a warning', () => {
    const prefixFrom = (name: string) => {
      const app = new App();
      const stack = new Stack(app, 'Guarded', { env: { region: 'eu-west-1' } });
      const parameter = new CfnParameter(stack, name, { type: 'String', default: 'prod-medflow-auth' });
      new MedflowCognito(stack, 'Auth', {
        preset: EnvironmentPreset.prod(),
        email: TEST_EMAIL,
        domainPrefix: parameter.valueAsString,
        replacementGuard: { mode: ReplacementGuardMode.RECORD, lockFile },
      });
      app.synth();
      return stack;
    };
    const stack = prefixFrom('DomainPrefix');
    expect(lock().constructs['Guarded/Auth'].domain.Domain).toEqual({ Ref: 'DomainPrefix' });
    Annotations.fromStack(stack).hasWarning('/Guarded/Auth/ReplacementGuard', Match.stringLikeRegexp('Ref DomainPrefix .*known only at deploy time'));
    expect(() => prefixFrom('DomainPrefix')).not.toThrow();
    expect(() => prefixFrom('OtherPrefix')).toThrow(/Domain\.Domain[\s\S]*\{"Ref":"DomainPrefix"\}[\s\S]*\{"Ref":"OtherPrefix"\}/);
  });
});

describe('ReplacementGuard defaults by preset', () => {
  test.each([
    ['dev', ReplacementGuardMode.OFF, false, EnvironmentPreset.dev()],
    ['staging', ReplacementGuardMode.RECORD, true, EnvironmentPreset.staging()],
    ['prod', ReplacementGuardMode.RECORD, true, EnvironmentPreset.prod()],
  ])('%s: guard %s, lock file written: %s', (_name, mode, written, preset) => {
    expect(preset.settings.enableReplacementGuard).toBe(written);
    const app = new App();
    const stack = new Stack(app, 'Defaults', { env: { region: 'eu-west-1' } });
    const auth = new MedflowCognito(stack, 'Auth', { preset, email: TEST_EMAIL, replacementGuard: { lockFile } });
    app.synth();
    expect(auth.replacementGuard.mode).toBe(mode);
    expect(fs.existsSync(lockFile)).toBe(written);
  });

  test('the default lock file is cognito.lock.json in the working directory', () => {
    const stack = new Stack(new App(), 'Defaults', { env: { region: 'eu-west-1' } });
    const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL });
    expect(auth.replacementGuard.lockFile).toBe(path.join(process.cwd(), 'cognito.lock.json'));
  });

  test('the context key does not turn on the dev guard, but OFF turns off a prod guard', () => {
    const modeWith = (preset: EnvironmentPreset, value: string) => {
      const app = new App({ postCliContext: { [ReplacementGuard.MODE_CONTEXT_KEY]: value } });
      const stack = new Stack(app, 'Defaults', { env: { region: 'eu-west-1' } });
      const auth = new MedflowCognito(stack, 'Auth', { preset, email: TEST_EMAIL, replacementGuard: { lockFile } });
      app.synth();
      return auth.replacementGuard.mode;
    };
    expect(modeWith(EnvironmentPreset.dev(), 'VERIFY')).toBe(ReplacementGuardMode.OFF);
    expect(modeWith(EnvironmentPreset.prod(), 'OFF')).toBe(ReplacementGuardMode.OFF);
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  test('a custom preset without the setting is guarded', () => {
    const { enableReplacementGuard: _omitted, ...settings } = EnvironmentPreset.staging().settings;
    const stack = new Stack(new App(), 'Defaults', { env: { region: 'eu-west-1' } });
    const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.custom(settings), email: TEST_EMAIL, replacementGuard: { lockFile } });
    expect(auth.replacementGuard.mode).toBe(ReplacementGuardMode.RECORD);
  });
});

/**
 * Runs `action` with the given environment variables set (a string) or unset (undefined) and the
 * working directory `cwd`, restoring both afterwards.
 */
function scoped<T>(env: Record<string, string | undefined>, cwd: string, action: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const savedCwd = process.cwd();
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(env);
  process.chdir(cwd);
  try {
    return action();
  } finally {
    process.chdir(savedCwd);
    apply(saved);
  }
}

describe('ReplacementGuard: which syntheses use a lock file', () => {
  let cwd: string;
  let cdkOut: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-guard-cwd-'));
    cdkOut = fs.mkdtempSync(path.join(os.tmpdir(), 'medflow-guard-cdkout-'));
  });
  afterEach(() => {
    fs.rmSync(cwd, { recursive: true, force: true });
    fs.rmSync(cdkOut, { recursive: true, force: true });
  });

  /** In-process: no CDK toolkit environment and no app-wide guard context. */
  const inProcess = <T>(action: () => T) => scoped({ CDK_OUTDIR: undefined, CDK_CONTEXT_JSON: undefined }, cwd, action);
  /** As under `cdk synth`: the toolkit sets CDK_OUTDIR for the app process. */
  const underToolkit = <T>(action: () => T) => scoped({ CDK_OUTDIR: cdkOut, CDK_CONTEXT_JSON: undefined }, cwd, action);

  /** A prod stack `Guarded` with `MedflowCognito` `Auth`; autoSynth off so that nothing synthesizes again at process exit. */
  function prodApp(props: Partial<MedflowCognitoProps> | ((stack: Stack) => Partial<MedflowCognitoProps>) = {}) {
    const app = new App({ autoSynth: false });
    const stack = new Stack(app, 'Guarded', { env: { region: 'eu-west-1' } });
    const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL, ...(typeof props === 'function' ? props(stack) : props) });
    return { app, stack, auth };
  }

  test('in-process, two differently configured prod stacks with the same IDs both synthesize and write no lock file', () => {
    inProcess(() => {
      const first = prodApp();
      expect(first.auth.replacementGuard.mode).toBe(ReplacementGuardMode.RECORD);
      expect(first.auth.replacementGuard.checksLockFile).toBe(false);
      Template.fromStack(first.stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'prod-medflow-auth' });

      const second = prodApp({ domainPrefix: 'prod-medflow-login' });
      expect(() => second.app.synth()).not.toThrow();
      Template.fromStack(second.stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'prod-medflow-login' });

      const third = prodApp((stack) => ({
        customDomain: {
          domainName: 'login.medflow.example',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
        },
      }));
      expect(() => third.app.synth()).not.toThrow();
      Template.fromStack(third.stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'login.medflow.example' });
    });
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('in-process, an explicit mode without lockFile neither reads nor writes the lock file in the working directory', () => {
    // A lock file whose entry the synthesis below contradicts: it would fail if the guard read it.
    const conflicting = path.join(cwd, 'cognito.lock.json');
    underToolkit(() => prodApp({ domainPrefix: 'prod-medflow-login' }).app.synth());
    const before = fs.readFileSync(conflicting, 'utf8');
    expect(JSON.parse(before).constructs['Guarded/Auth'].domain.Domain).toBe('prod-medflow-login');

    for (const mode of [ReplacementGuardMode.RECORD, ReplacementGuardMode.VERIFY]) {
      inProcess(() => {
        const { app, auth } = prodApp({ replacementGuard: { mode } });
        expect(auth.replacementGuard.mode).toBe(mode);
        expect(auth.replacementGuard.checksLockFile).toBe(false);
        expect(() => app.synth()).not.toThrow();
      });
    }
    // The context key sets the mode in-process too, and still no lock file is used without lockFile.
    inProcess(() => {
      const app = new App({ autoSynth: false, postCliContext: { [ReplacementGuard.MODE_CONTEXT_KEY]: 'VERIFY' } });
      const stack = new Stack(app, 'Guarded', { env: { region: 'eu-west-1' } });
      const auth = new MedflowCognito(stack, 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL });
      expect(auth.replacementGuard.mode).toBe(ReplacementGuardMode.VERIFY);
      expect(() => app.synth()).not.toThrow();
    });
    expect(fs.readFileSync(conflicting, 'utf8')).toBe(before);
    expect(fs.readdirSync(cwd)).toEqual(['cognito.lock.json']);
  });

  test('under the CDK toolkit (CDK_OUTDIR set), the default lock file is written and a different second synthesis fails', () => {
    const defaultLock = path.join(cwd, 'cognito.lock.json');
    underToolkit(() => {
      const { app, auth } = prodApp();
      expect(auth.replacementGuard.checksLockFile).toBe(true);
      expect(auth.replacementGuard.lockFile).toBe(path.join(process.cwd(), 'cognito.lock.json'));
      app.synth();
    });
    const before = fs.readFileSync(defaultLock, 'utf8');
    expect(JSON.parse(before).constructs['Guarded/Auth'].domain.Domain).toBe('prod-medflow-auth');

    underToolkit(() => {
      const { app } = prodApp({ domainPrefix: 'prod-medflow-login' });
      expect(() => app.synth()).toThrow(/Domain\.Domain[\s\S]*"prod-medflow-auth"[\s\S]*"prod-medflow-login"[\s\S]*replace the hosted UI domain/);
    });
    expect(fs.readFileSync(defaultLock, 'utf8')).toBe(before);
    // The same prefix change synthesizes in-process, and the lock file stays as it was.
    inProcess(() => expect(() => prodApp({ domainPrefix: 'prod-medflow-login' }).app.synth()).not.toThrow());
    expect(fs.readFileSync(defaultLock, 'utf8')).toBe(before);
  });

  test('under the CDK toolkit, the dev preset and the OFF context key still write nothing', () => {
    underToolkit(() => {
      const dev = new App({ autoSynth: false });
      new MedflowCognito(new Stack(dev, 'Dev', { env: { region: 'eu-west-1' } }), 'Auth', { preset: EnvironmentPreset.dev() });
      dev.synth();
      const off = new App({ autoSynth: false, postCliContext: { [ReplacementGuard.MODE_CONTEXT_KEY]: 'OFF' } });
      const auth = new MedflowCognito(new Stack(off, 'Guarded', { env: { region: 'eu-west-1' } }), 'Auth', { preset: EnvironmentPreset.prod(), email: TEST_EMAIL });
      expect(auth.replacementGuard.checksLockFile).toBe(false);
      off.synth();
    });
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('in-process, an explicit lockFile is written and enforced', () => {
    const explicit = path.join(cwd, 'infra', 'cognito.lock.json');
    inProcess(() => {
      const { stack, auth } = prodApp({ replacementGuard: { lockFile: explicit } });
      expect(auth.replacementGuard.checksLockFile).toBe(true);
      Template.fromStack(stack);
    });
    const before = fs.readFileSync(explicit, 'utf8');
    expect(JSON.parse(before).constructs['Guarded/Auth'].domain.Domain).toBe('prod-medflow-auth');

    inProcess(() => {
      const { stack } = prodApp({ domainPrefix: 'prod-medflow-login', replacementGuard: { lockFile: explicit } });
      expect(() => Template.fromStack(stack)).toThrow(/Domain\.Domain[\s\S]*"prod-medflow-auth"[\s\S]*"prod-medflow-login"/);
    });
    expect(fs.readFileSync(explicit, 'utf8')).toBe(before);
    expect(fs.readdirSync(cwd)).toEqual(['infra']);
  });
});

describe('the user pool replica', () => {
  /** A prod primary, with a replica in `replicaRegion` unless undefined; the guard uses the temporary lock file. */
  function synthWithReplica(replicaRegion: string | undefined, mode = ReplacementGuardMode.RECORD) {
    const app = new App();
    const stack = new Stack(app, 'Guarded', { env: { region: 'eu-west-1' }, crossRegionReferences: true });
    const auth = new MedflowCognito(stack, 'Auth', {
      preset: EnvironmentPreset.prod(), email: TEST_EMAIL, securityTriggers: { globalLockoutTable: true }, replacementGuard: { mode, lockFile },
    });
    if (replicaRegion) {
      const replicaStack = new Stack(app, 'GuardedReplica', { env: { region: replicaRegion }, crossRegionReferences: true });
      new MedflowCognitoReplica(replicaStack, 'AuthReplica', { primary: auth });
    }
    app.synth();
  }

  test('is recorded with its create-only properties, and adding it to a locked pool passes', () => {
    synthWithReplica(undefined);
    expect(lock().constructs['Guarded/Auth'].userPoolReplica).toBeUndefined();
    expect(() => synthWithReplica('eu-central-1')).not.toThrow();
    expect(lock().constructs['Guarded/Auth'].userPoolReplica).toEqual({
      LogicalId: expect.stringMatching(/^AuthUserPoolReplicaeucentral1/),
      RegionName: 'eu-central-1',
      UserPoolTagsAtCreate: expect.objectContaining({ Environment: 'prod', DataClassification: 'PHI' }),
    });
  });

  test('moving it to another Region or removing it fails synthesis', () => {
    synthWithReplica('eu-central-1');
    expect(() => synthWithReplica('eu-north-1')).toThrow(/UserPoolReplica\.(LogicalId|RegionName)[\s\S]*replace the secondary/);
    expect(() => synthWithReplica(undefined)).toThrow(/UserPoolReplica\b[\s\S]*now:    null[\s\S]*delete the secondary pool/);
  });
});
