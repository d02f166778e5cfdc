/*
 * Starts moto server (from .venv-e2e/, see test/e2e/requirements.txt) on a free 127.0.0.1 port and
 * stops it by its process ID. Used by the e2e jest globalSetup/globalTeardown and the load test.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ACCOUNT } from './template';

export const VENV_PYTHON = path.resolve(__dirname, '..', '..', '.venv-e2e', 'bin', 'python');
const READY_TIMEOUT_MS = 30_000;

export interface MotoServer {
  readonly endpoint: string;
  /** moto's request log (stderr), where it names every action it has not implemented. */
  readonly logFile: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function ping(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${endpoint}/moto-api/`, { timeout: 1000 }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 500);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

export async function startMoto(): Promise<MotoServer> {
  if (!fs.existsSync(VENV_PYTHON)) {
    throw new Error(`${VENV_PYTHON} does not exist. Run \`npx projen e2e:venv\` to install moto[server] (\`npx projen e2e\` does).`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(VENV_PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ACCOUNT_ID: ACCOUNT },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const logFile = path.join(os.tmpdir(), `medflow-e2e-moto-${port}.log`);
  fs.writeFileSync(logFile, '');
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    fs.appendFileSync(logFile, chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await ping(endpoint))) {
    if (child.exitCode !== null) throw new Error(`moto server exited with code ${child.exitCode} before it was ready:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto server did not answer on ${endpoint} within ${READY_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    endpoint,
    logFile,
    pid,
    async stop() {
      if (child.exitCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(logFile, { force: true });
    },
  };
}

/** Empties every moto backend, so that each deployment starts from a blank account. */
export async function resetMoto(endpoint = process.env.MOTO_E2E_ENDPOINT): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}.`);
}
