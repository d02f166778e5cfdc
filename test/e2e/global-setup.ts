/* Starts moto server for the e2e suite; its endpoint reaches the tests through MOTO_E2E_ENDPOINT. */
import { startMoto } from './moto-server';

export default async function globalSetup(): Promise<void> {
  const moto = await startMoto();
  (globalThis as { __MOTO__?: unknown }).__MOTO__ = moto;
  process.env.MOTO_E2E_ENDPOINT = moto.endpoint;
  process.env.MOTO_E2E_LOG = moto.logFile;
}
