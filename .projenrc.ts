import { awscdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';
import { configureRelease, releaseOptions } from './projenrc/release';

// The build pins aws-cdk-lib to the newest release whose cloud-assembly schema (53)
// integ-runner can still read; the peer range lets consumers run any later 2.x.
const CDK_VERSION = '2.257.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: '@medflow/cognito-construct',
  description:
    'HIPAA-minded Amazon Cognito stack for MedFlow clinics: healthcare user pool, backend app client, and dev/staging/prod presets.',
  author: 'MedFlow Platform Team',
  authorAddress: 'platform@medflow.example',
  repositoryUrl: 'https://github.com/medflow/cognito-construct.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_VERSION,
  jsiiVersion: '~6.0.0',
  keywords: ['cdk', 'cognito', 'hipaa', 'healthcare', 'authentication'],

  // The project's CI is `.ci/run`; the only hosted workflow is the release (projenrc/release.ts).
  ...releaseOptions,

  tsconfigDevFile: 'tsconfig.dev.json',
  // One typed-lint project for sources, tests, examples, integ tests and scripts.
  eslintOptions: { dirs: ['src'], projectService: false, tsconfigPath: './tsconfig.dev.json' },
  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '\\.snapshot/', '/examples/nestjs-backend/', '/test/e2e/'],
      modulePathIgnorePatterns: ['<rootDir>/examples/nestjs-backend/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },

  lambdaOptions: {
    // cdk-nag AwsSolutions-L1 wants the newest runtime; projen's default resolves to nodejs22.x here.
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: {
      // The Node.js 24 runtime ships AWS SDK v3; keeping it external keeps bundles small.
      externals: ['@aws-sdk/*'],
      sourcemap: false,
    },
    awsSdkConnectionReuse: false,
  },

  devDeps: [
    // 53.25.0 is the version aws-cdk-lib 2.257.0's Go, Java and Python packages are built against;
    // jsii-pacmak writes the installed version into the Go module, and the Go proxy has no newer release.
    '@aws-cdk/cloud-assembly-schema@53.25.0',
    // cdk-nag is for the project's own checks only: MedflowHealthcareChecks and ComplianceReport implement the
    // policy validation plugin contract of aws-cdk-lib themselves, so the package has no cdk-nag dependency in
    // any language (the Go proxy serves no cdk-nag 3 module, which a jsii dependency would require).
    'cdk-nag@^3.0.2',
    // cdk-nag 2 (Aspects) under an alias: tests prove its consumers see no findings from the library.
    'cdk-nag-v2@npm:cdk-nag@^2.38.2',
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // 3.1000.0 is the first release with AddUserPoolClientSecret, ListUserPoolClientSecrets and DeleteUserPoolClientSecret.
    '@aws-sdk/client-cognito-identity-provider@^3.1000.0',
    '@aws-sdk/client-secrets-manager@^3',
    // Operations: the user export Lambda and the restore tool.
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-lambda@^3',
    '@types/aws-lambda@^8',
    'esbuild',
  ],

  publishToPypi: {
    distName: 'medflow.cognito-construct',
    module: 'medflow_cognito_construct',
    trustedPublishing: true,
  },
  publishToMaven: {
    javaPackage: 'com.medflow.cognito',
    mavenGroupId: 'com.medflow',
    mavenArtifactId: 'cognito-construct',
  },
  publishToGo: {
    moduleName: 'github.com/medflow/cognito-construct-go',
  },

  gitignore: ['cdk.out/', '**/*.snapshot/asset.*', '.cdk.staging/', 'bench-out/', '.venv/', 'examples/nestjs-backend/dist/'],
});

for (const pattern of ['/examples/', '/integ/', '/scripts/', '/cdk.out/', '/.ci/', '/tsconfig.dev.json']) {
  project.addPackageIgnore(pattern);
}

// Examples, integ tests and scripts are type-checked and linted alongside tests.
project.tsconfigDev.addInclude('examples/**/*.ts');
project.tsconfigDev.addInclude('integ/**/*.ts');
project.tsconfigDev.addInclude('scripts/**/*.ts');
project.tsconfigDev.addExclude('**/*.snapshot/**');
project.tsconfigDev.addInclude('.projenrc.ts');
for (const devDir of ['examples', 'integ', 'scripts']) {
  project.eslint?.allowDevDeps(`${devDir}/**`);
}
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('integ');
project.eslint?.addLintPattern('scripts');
project.eslint?.addIgnorePattern('*.snapshot/');

// examples/nestjs-backend is a NestJS app with its own package.json, tsconfig and jest: outside the
// library's type-check, lint and jest runs; `test` runs its own install and tests.
project.tsconfigDev.addExclude('examples/nestjs-backend/**');
project.eslint?.addIgnorePattern('examples/nestjs-backend/');
const nestjsTest = project.addTask('test:nestjs', {
  description: 'Install and test the NestJS configuration module example (examples/nestjs-backend)',
  cwd: 'examples/nestjs-backend',
  steps: [{ exec: 'npm ci --no-fund --no-audit' }, { exec: 'npm test' }],
});

const tsNode = 'ts-node --project tsconfig.dev.json';

// Synthesizes the example consumer app (dev, staging, prod), runs every nag pack on each
// stack, writes the compliance report, and fails on any unacknowledged finding.
const synthExample = project.addTask('synth:example', {
  description: 'Synthesize the example app into cdk.out/ and write the compliance report',
  exec: `${tsNode} scripts/synth-example.ts`,
});
synthExample.prependSpawn(project.bundler.bundleTask);

// integ-runner verifies the committed snapshots offline; nothing is deployed.
const integArgs = '--directory integ --language typescript --app "ts-node --project tsconfig.dev.json {filePath}" --parallel-regions us-east-1';
const integ = project.addTask('integ', {
  description: 'Verify the committed integ-runner snapshots (offline)',
  exec: `integ-runner ${integArgs}`,
});
integ.prependSpawn(project.bundler.bundleTask);
const integUpdate = project.addTask('integ:update', {
  description: 'Re-synthesize integ snapshots without deploying',
  exec: `integ-runner ${integArgs} --update-on-failed --dry-run --force`,
});
integUpdate.prependSpawn(project.bundler.bundleTask);
// Construct tests load the bundled handlers, so a fresh clone bundles before jest runs.
project.testTask.prependSpawn(project.bundler.bundleTask);
project.testTask.spawn(integ);
project.testTask.spawn(nestjsTest);

// The rotation handler needs Cognito's client secret commands, first released in
// @aws-sdk/client-cognito-identity-provider 3.1000.0, and the replica status check needs
// ListUserPoolReplicas, newer still. The SDK the Lambda runtime ships is not pinned and may predate
// them, so these bundles carry their own AWS SDK clients instead of the runtime's.
const ownSdkBundles = ['bundle:backend-config/client-secret-rotation.lambda', 'bundle:replication/replica-status.lambda'];
for (const name of ownSdkBundles.flatMap((bundle) => [bundle, `${bundle}:watch`])) {
  const task = project.tasks.tryFind(name);
  const step = task?.steps[0];
  if (!task || !step?.execArgs?.includes('--external:@aws-sdk/*')) {
    throw new Error(`${name} not found or no longer marks @aws-sdk/* external; revisit the bundles that carry their own SDK.`);
  }
  task.updateStep(0, { ...step, execArgs: step.execArgs.filter((arg) => arg !== '--external:@aws-sdk/*') });
}

// Restore tool: turns a user export into a Cognito CSV import job plus group assignments
// (docs/disaster-recovery.md). Pass arguments after `--`; `--dry-run` makes no AWS call.
project.addTask('restore:users', {
  description: 'Plan or run a restore of a user export into a new or emptied user pool',
  exec: `${tsNode} scripts/restore-users.ts`,
  receiveArgs: true,
});

project.addTask('bench:export', {
  description: 'Benchmark: user export calls, simulated duration and invocations for 1k-250k users (stub pool)',
  exec: `${tsNode} scripts/bench-export.ts`,
  env: { BENCH_SIZES: '1000,10000,100000,250000' },
});

project.addTask('bench', {
  description: 'Benchmark: example synth time against a bare baseline, as a ratio',
  exec: `${tsNode} scripts/bench.ts`,
}).prependSpawn(project.bundler.bundleTask);

// Security triggers: the lockout handlers call DynamoDB (the runtime's SDK, kept external);
// fast-check fuzzes the healthcare attribute validator.
project.addDevDeps('@aws-sdk/client-dynamodb@^3', 'fast-check@^4');

// Trigger benchmark (bundle sizes, cold require times, DynamoDB calls per sign-in), run by `bench`.
const benchTriggers = project.addTask('bench:triggers', {
  description: 'Benchmark the Cognito triggers: bundle sizes, cold require times, DynamoDB calls per sign-in',
  exec: `${tsNode} scripts/bench-triggers.ts`,
});
benchTriggers.prependSpawn(project.bundler.bundleTask);
project.tasks.tryFind('bench')?.spawn(benchTriggers);

// Admin unlock of a locked-out account: `npx projen unlock-account --user-pool-id <id> --table <name> --user <email or username>`.
project.addTask('unlock-account', {
  description: 'Delete the sign-in lockout record of one user (admin unlock)',
  exec: `${tsNode} scripts/unlock-account.ts`,
  receiveArgs: true,
});

// Correlating a user with the trigger logs: prints the keyed userHash of an email (docs/security-triggers.md).
project.addTask('user-log-hash', {
  description: 'Print the userHash trigger logs carry for one user (needs read access to the username hash key)',
  exec: `${tsNode} scripts/user-log-hash.ts`,
  receiveArgs: true,
});

// Compliance report: synthesizes the example app, runs AwsSolutions, HIPAA Security, NIST 800-53 rev 5
// and MedflowHealthcareChecks, writes compliance/REPORT.md, report.json and report.sarif (all committed),
// and fails on any unacknowledged finding. CI fails when the committed report is stale.
project.addTask('compliance', {
  description: 'Write the committed compliance report (compliance/REPORT.md, report.json, report.sarif)',
  exec: `${tsNode} scripts/synth-example.ts --report-dir compliance`,
}).prependSpawn(project.bundler.bundleTask);

// API compatibility (jsii-diff) against the latest release: `compat` (projenrc/release.ts).
project.compileTask.spawn(project.tasks.tryFind('compat')!);

// npm, Python, Java and Go consumer projects install the packages package-all writes to dist/ by name from
// local registries on 127.0.0.1, synthesize the presets and check them (test/consumers/run.sh).
project.addTask('test:consumers', {
  description: 'Publish dist/ to local registries on 127.0.0.1 and run the npm, Python, Java and Go consumers (run package-all first)',
  exec: 'bash test/consumers/run.sh',
  receiveArgs: true,
});
project.gitignore.exclude('/test/consumers/java/target/');

// End-to-end rehearsal on a local moto server and cfn-lint on every template. Both Python tools are
// pinned in test/e2e/requirements.txt and installed into .venv-e2e/ (PYTHON picks the interpreter).
// The e2e suite has its own jest config (test/e2e/jest.config.json) so that unit runs never need moto.
project.addDevDeps('aws-jwt-verify@^5', '@aws-sdk/client-ssm@^3', '@aws-sdk/client-cognito-identity@^3', '@aws-sdk/client-kms@^3');
// The operations resources the rehearsal creates on moto: log groups, DLQ, alarm topic, dashboard and alarms, schedule, budget.
project.addDevDeps('@aws-sdk/client-cloudwatch-logs@^3', '@aws-sdk/client-sqs@^3', '@aws-sdk/client-sns@^3', '@aws-sdk/client-cloudwatch@^3', '@aws-sdk/client-scheduler@^3', '@aws-sdk/client-budgets@^3');
project.gitignore.addPatterns('.venv-e2e/');
const e2eVenv = project.addTask('e2e:venv', {
  description: 'Create .venv-e2e/ with the pinned cfn-lint and moto[server] (test/e2e/requirements.txt)',
  exec: 'bash scripts/e2e-venv.sh',
});
const cfnLint = project.addTask('cfn-lint', {
  description: 'cfn-lint every example-app template in cdk.out/ and every integ snapshot template (.cfnlintrc.yaml)',
  exec: '.venv-e2e/bin/cfn-lint',
});
cfnLint.prependSpawn(e2eVenv);
const e2e = project.addTask('e2e', {
  description: 'Synthesize the example app, cfn-lint it, and run the end-to-end rehearsal on a local moto server',
});
e2e.spawn(synthExample);
e2e.spawn(cfnLint);
// The NestJS example is started by the e2e suite from its own build (its tsconfig emits decorator metadata).
e2e.exec('test -d node_modules || npm ci --no-fund --no-audit', { cwd: 'examples/nestjs-backend' });
e2e.exec('npm run build', { cwd: 'examples/nestjs-backend' });
e2e.exec('jest --config test/e2e/jest.config.json --runInBand --silent');
project.testTask.spawn(e2e);
project.addTask('load-test', {
  description: 'Sign-in load test through the trigger handlers against a local moto server (50 users, 500 attempts)',
  exec: `${tsNode} scripts/load-test.ts`,
}).prependSpawn(e2eVenv);

// --- Lockout hardening (issue #20) ---------------------------------------------------------------
// dynalite, an in-process DynamoDB implementation, proves the lockout's conditional updates atomic on
// a real engine: the tests start it on 127.0.0.1 (port 0) and close it in afterAll. 4.0.0 is the
// version measured in DESIGN.md section 1.
project.addDevDeps('dynalite@4.0.0');
// They take over 20 s on a shared 2-core machine, so they run outside the unit jest run, with the e2e suite
// (test/integration/jest.config.json; they need nothing but Node: no moto, no venv).
const integrationTests = project.addTask('test:integration', {
  description: 'Lockout concurrency and outage tests on an in-process dynalite server (test/integration)',
  exec: 'jest --config test/integration/jest.config.json --runInBand --silent',
});
project.tasks.tryFind('e2e')?.spawn(integrationTests);
// --- end lockout hardening -------------------------------------------------------------------------
// Release, package contents, rosetta and the install rehearsal (projenrc/release.ts).
configureRelease(project, tsNode);
// ---- Compliance evidence (SARIF) ----
// The compliance task also writes compliance/report.sarif; a test validates it against the SARIF 2.1.0
// JSON schema shipped by @microsoft/jest-sarif (a draft-04 schema), with ajv and ajv-draft-04.
project.addDevDeps('ajv@^8', 'ajv-draft-04@^1', '@microsoft/jest-sarif@1.0.0-beta.0');
// ---- end compliance evidence ----

project.synth();
