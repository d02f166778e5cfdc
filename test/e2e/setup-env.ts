/*
 * Runs before each e2e test file: every AWS SDK client created without an explicit endpoint,
 * including the module-level clients of the Lambda handlers, talks to the local moto server.
 */
import { REGION } from './template';

const endpoint = process.env.MOTO_E2E_ENDPOINT;
if (!endpoint || !/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) {
  throw new Error(`MOTO_E2E_ENDPOINT is "${endpoint}"; the e2e suite must run through test/e2e/jest.config.json, whose globalSetup starts moto.`);
}
Object.assign(process.env, {
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
});
delete process.env.AWS_PROFILE;
