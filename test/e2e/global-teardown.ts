/* Stops the moto server that globalSetup started, by its process ID. */
import type { MotoServer } from './moto-server';

export default async function globalTeardown(): Promise<void> {
  const moto = (globalThis as { __MOTO__?: MotoServer }).__MOTO__;
  await moto?.stop();
}
