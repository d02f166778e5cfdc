import { awscdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// aws-cdk-lib is pinned to the newest release whose cloud-assembly schema (53)
// integ-runner can still read; consumers may run any later 2.x.
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
  cdkVersionPinning: true,
  jsiiVersion: '~6.0.0',
  keywords: ['cdk', 'cognito', 'hipaa', 'healthcare', 'authentication'],

  // The project's CI is `.ci/run`; no hosted workflows are generated.
  github: false,
  release: false,

  tsconfigDevFile: 'tsconfig.dev.json',
  // One typed-lint project for sources, tests, examples, integ tests and scripts.
  eslintOptions: { dirs: ['src'], projectService: false, tsconfigPath: './tsconfig.dev.json' },
  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '\\.snapshot/'],
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
    'cdk-nag@^3.0.2',
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-sdk/client-cognito-identity-provider@^3',
    '@aws-sdk/client-secrets-manager@^3',
    '@types/aws-lambda@^8',
    'esbuild',
  ],

  publishToPypi: {
    distName: 'medflow.cognito-construct',
    module: 'medflow_cognito_construct',
  },
  publishToMaven: {
    javaPackage: 'com.medflow.cognito',
    mavenGroupId: 'com.medflow',
    mavenArtifactId: 'cognito-construct',
  },
  publishToGo: {
    moduleName: 'github.com/medflow/cognito-construct-go',
  },

  gitignore: ['cdk.out/', '**/*.snapshot/asset.*', '.cdk.staging/', 'bench-out/', '.venv/'],
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

project.addTask('bench', {
  description: 'Benchmark: example synth time against a bare baseline, as a ratio',
  exec: `${tsNode} scripts/bench.ts`,
}).prependSpawn(project.bundler.bundleTask);

// Python, Java and Go consumer projects install the packages package-all writes to dist/,
// synthesize the prod preset and check it (test/consumers/run.sh; `.ci/run` runs them after the build).
project.addTask('test:consumers', {
  description: 'Run the Python, Java and Go consumer tests against the packages in dist/ (run package-all first)',
  exec: 'bash test/consumers/run.sh',
});
project.gitignore.exclude('/test/consumers/java/target/');

project.synth();
