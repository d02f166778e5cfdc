// Checks shared by the consumer apps: what got installed, and what a synthesized MedflowCognito stack holds.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

function installedVersion(name: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  assert.ok(manifest.includes(`${path.sep}node_modules${path.sep}`), `${name} resolves outside node_modules: ${manifest}`);
  return JSON.parse(fs.readFileSync(manifest, 'utf-8')).version;
}

/** The library and aws-cdk-lib versions the runner asked for are the ones installed. */
export function checkInstalledVersions(): void {
  const library = installedVersion('@medflow/cognito-construct');
  const cdk = installedVersion('aws-cdk-lib');
  assert.equal(library, process.env.EXPECTED_LIBRARY_VERSION, '@medflow/cognito-construct version');
  assert.equal(cdk, process.env.EXPECTED_CDK_VERSION, 'aws-cdk-lib version');
  console.log(`installed @medflow/cognito-construct ${library} with aws-cdk-lib ${cdk} on Node.js ${process.versions.node}`);
}

/** The prod preset's pool, and every Lambda function's bundled handler staged from the package's assets/. */
export function checkProdStack(app: App, stack: Stack): void {
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
  template.resourceCountIs('AWS::Cognito::UserPool', 1);
  template.hasResourceProperties('AWS::Cognito::UserPool', {
    UserPoolName: 'prod-medflow-cognito-user-pool',
    MfaConfiguration: 'ON',
  });
  // Each function's code is a file asset (`<hash>.zip`), staged from the package's assets/ directory as
  // `asset.<hash>` plus the directory's extension (`.lambda`).
  const staged = fs.readdirSync(assembly.directory);
  const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
  assert.ok(functions.length > 0, 'the prod stack has Lambda functions');
  for (const [logicalId, fn] of functions) {
    const key: unknown = fn.Properties?.Code?.S3Key;
    assert.ok(typeof key === 'string' && key.endsWith('.zip'), `${logicalId}: code is not a file asset: ${JSON.stringify(fn.Properties?.Code)}`);
    const hash = key.slice(0, -'.zip'.length);
    const dir = staged.find((name) => name === `asset.${hash}` || name.startsWith(`asset.${hash}.`));
    assert.ok(dir, `${logicalId}: asset ${hash} is not staged in ${assembly.directory}`);
    const handler = path.join(assembly.directory, dir, 'index.js');
    assert.ok(fs.existsSync(handler), `${logicalId}: bundled handler missing from the assembly: ${handler}`);
  }
  console.log(`prod stack: user pool and ${functions.length} Lambda functions with their bundled handlers`);
}
