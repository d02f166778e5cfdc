/*
 * The versions the compliance report's header names: this library, aws-cdk-lib and cdk-nag, read
 * from the package.json each resolves to (the app's own copy first, then the library's).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Versions {
  readonly library: string;
  readonly libraryVersion: string;
  readonly awsCdkLib: string;
  readonly cdkNag?: string;
}

export function readVersions(): Versions {
  // src/compliance (ts-node, jest) and lib/compliance (the package) are both two levels below the package root.
  const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; version: string };
  return {
    library: own.name,
    libraryVersion: own.version,
    awsCdkLib: packageVersion('aws-cdk-lib') ?? 'unknown',
    cdkNag: packageVersion('cdk-nag'),
  };
}

function packageVersion(name: string): string | undefined {
  for (const from of [process.cwd(), __dirname]) {
    try {
      const file = require.resolve(`${name}/package.json`, { paths: [from] });
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      // not resolvable from here; try the next location
    }
  }
  return undefined;
}
