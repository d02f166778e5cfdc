import * as fs from 'node:fs';
import * as path from 'node:path';

// Consumers may run any later aws-cdk-lib 2.x; the build itself stays on the release integ-runner can read.
describe('package dependency contract', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));

  test('aws-cdk-lib is a ^2.257.0 peer and a 2.257.0 build dependency', () => {
    expect(pkg.peerDependencies['aws-cdk-lib']).toBe('^2.257.0');
    expect(pkg.devDependencies['aws-cdk-lib']).toBe('2.257.0');
  });

  test('the cloud assembly schema integ-runner reads is installed explicitly', () => {
    expect(pkg.devDependencies['@aws-cdk/cloud-assembly-schema']).toMatch(/^\^?53/);
  });

  test('cdk-nag is a build-time tool only: no runtime or peer dependency in any language', () => {
    for (const field of ['dependencies', 'peerDependencies', 'bundledDependencies']) {
      expect(Object.keys(pkg[field] ?? {})).not.toContain('cdk-nag');
    }
    expect(pkg.devDependencies['cdk-nag']).toMatch(/^\^?3\./);
  });
});
