/**
 * Release, packaging and install rehearsal settings, kept apart from `.projenrc.ts` so that the project
 * definition and the release plumbing can change independently.
 *
 * - `releaseOptions` are constructor options: the release workflow (npm with provenance and trusted
 *   publishing, PyPI, Maven Central and the Go module repository, all through publib), versions from
 *   conventional commits, and Node.js 24 for the workflows.
 * - `configureRelease(project)` runs after the constructor: the npm tarball's contents, packaging that
 *   bundles the Lambda handlers first and refuses to package without them, the tarball test, the
 *   jsii-diff baseline taken from the latest release tag, the jsii-rosetta check, and the consumer
 *   tasks that install every package by name from local registries.
 */
import { awscdk, javascript } from 'projen';

/** The Node.js line the build, the tests and the release workflow run on (the Lambda runtime's, nodejs24.x). */
export const BUILD_NODE_MAJOR = 24;

/** The oldest Node.js line consumers may use: the maintained LTS lines are 22 and 24 (20 reached end of life on 2026-04-30). */
export const CONSUMER_MIN_NODE = '22.0.0';

/**
 * publib, the tool the release workflow publishes with, at the version the install rehearsal
 * (test/consumers/registries/package.json) runs, so that the rehearsal publishes as the release does.
 */
export const PUBLIB_VERSION = '0.2.1061';

export const releaseOptions = {
  // Hosted workflows are generated for the release only; `.ci/run` stays the project's CI.
  github: true,
  githubOptions: { mergify: false, pullRequestLint: false },
  buildWorkflow: false,
  // `npx projen upgrade` stays a local task; no workflow opens upgrade pull requests.
  depsUpgradeOptions: { workflow: false },
  pullRequestTemplate: false,
  stale: false,
  workflowNodeVersion: `${BUILD_NODE_MAJOR}.x`,

  // Versions follow conventional commits (feat: minor, fix: patch, `!`/BREAKING CHANGE: major); each
  // release writes its changelog to dist/changelog.md, which becomes the GitHub release notes.
  release: true,
  jsiiReleaseVersion: PUBLIB_VERSION,
  releaseToNpm: true,
  npmAccess: javascript.NpmAccess.PUBLIC,
  // Trusted publishing (OIDC) needs no npm token; provenance links the package to the workflow run.
  npmTrustedPublishing: true,
  npmProvenance: true,
} satisfies Partial<awscdk.AwsCdkConstructLibraryOptions>;

/** The only files the npm tarball holds, besides package.json (which npm always adds). */
export const TARBALL_FILES = ['lib/**/*.js', 'lib/**/*.d.ts', 'assets/**/index.js', '.jsii', 'API.md', 'README.md', 'LICENSE'];

export function configureRelease(project: awscdk.AwsCdkConstructLibrary, tsNode: string): void {
  project.package.addEngine('node', `>= ${CONSUMER_MIN_NODE}`);

  // --- npm tarball contents: an allowlist, so nothing from tests, virtualenvs, examples or docs can slip in.
  project.package.addField('files', TARBALL_FILES);
  for (const pattern of ['/.venv*/', '/test/', '/docs/', '/compliance/', '/rosetta/', '/bench-out/', '/coverage/', '/.jsii.tabl.json']) {
    project.addPackageIgnore(pattern);
  }
  project.gitignore.addPatterns('.jsii.tabl.json', '/test/consumers/registries/node_modules/');

  // --- every packaging target bundles the handlers first and refuses to package without them.
  const checkAssets = project.addTask('package:check-assets', {
    description: 'Fail when a bundled Lambda handler that a construct loads is missing from assets/',
    exec: `${tsNode} scripts/check-assets.ts`,
  });
  for (const language of ['js', 'python', 'java', 'go']) {
    const task = project.tasks.tryFind(`package:${language}`);
    if (!task) throw new Error(`projen no longer defines package:${language}; revisit projenrc/release.ts.`);
    task.prependSpawn(checkAssets);
    task.prependSpawn(project.bundler.bundleTask);
  }

  // The tarball test packs the package as npm publishes it and checks its file list and size.
  // It needs lib/ (compile), so it runs as part of package:js rather than in the unit test run.
  project.jest?.addIgnorePattern('/test/package/');
  const tarballTest = project.addTask('test:package', {
    description: 'Pack the npm tarball and check its file list and size (needs compile and bundle)',
    exec: 'jest --config test/package/jest.config.json --runInBand',
  });
  project.tasks.tryFind('package:js')!.spawn(tarballTest);

  // --- API compatibility: jsii-diff against the latest release tag (the release workflow creates a
  // `v<version>` tag for every version it publishes). Until a first release exists the check says so
  // and passes; from then on every compile fails on an unlisted breaking change (.compatignore).
  const compat = project.tasks.tryFind('compat')!;
  compat.reset('bash scripts/compat.sh');

  // --- README and API doc examples compile under jsii-rosetta in strict mode (rosetta/default.ts-fixture),
  // so the Python, Java and Go docs show translated code; doc comments never end at a stray tag.
  project.addTask('rosetta', {
    description: 'Compile every README and API doc example with jsii-rosetta (strict) and check the doc comments (after compile)',
    steps: [
      { exec: `${tsNode} scripts/check-doc-tags.ts` },
      { exec: 'jsii-rosetta extract --compile --fail .jsii' },
    ],
  });

  // --- consumers: install every package by name from local registries on 127.0.0.1 (test/consumers/run.sh).
  project.tsconfigDev.addExclude('test/consumers/**');
  project.eslint?.addIgnorePattern('test/consumers/');
}
