import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PairedView } from '@rxscan/contracts';
import { freePort } from '@rxscan/service-kit';
import { REPO_ROOT, tempDir } from './files.fixtures.js';

export interface SystemOptions {
  /** Added to the launcher's environment (OCR_WORKERS, LOG_LEVEL, DATABASE_URL …). */
  env?: Record<string, string>;
  /** DATA_DIR; by default a temporary folder removed by `stop()`. */
  dataDir?: string;
  /** How long `npm start` may take to say it is running. */
  timeoutMs?: number;
  /** Sees each line the launcher and its services print. */
  onLine?: (line: string) => void;
  /** Start the launcher in a process group of its own, so `stop()` can end a launcher that will not stop with its children. */
  detached?: boolean;
}

export interface RunningSystem {
  url: string;
  dataDir: string;
  /** Every line printed so far. */
  output: string[];
  child: ChildProcess;
  /** The admin secret npm start made (DATA_DIR/admin-token). */
  adminToken(): Promise<string>;
  /** A pairing code, made as an admin would: `npm run ops -- pair`. */
  pairingCode(): Promise<string>;
  /** Pairs a device as a person would: a pairing code, then the code typed in. */
  pair(name?: string): Promise<PairedView & { headers: { authorization: string } }>;
  /** Runs `npm run ops -- …args` against this system; resolves with what it printed. */
  ops(...args: string[]): Promise<string>;
  /** Ctrl-C, as a person would; resolves with the exit code (or signal). Removes a temporary DATA_DIR. */
  stop(): Promise<number | string | null>;
}

const LAUNCHER = path.join(REPO_ROOT, 'packages/ops/dist/start.js');
const OPS_CLI = path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js');

/**
 * Starts the whole system exactly as `npm start` does (after the build): the launcher on a
 * free port with its own DATA_DIR and nats-server, which starts med-store, ingest, the
 * workers and web. Resolves once it prints "RxScan is running at …", which it does only
 * when ingest and med-store are ready. Used by the end-to-end tests, the screenshots and the bench.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const temp = options.dataDir ? null : await tempDir('rxscan-system-');
  const dataDir = options.dataDir ?? temp!.path;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const output: string[] = [];
  const child = spawn(process.execPath, [LAUNCHER], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(await freePort()), DATA_DIR: dataDir, NATS_URL: '', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const tail = () => output.slice(-40).join('\n');
  let running: (url: string) => void = () => {};
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      output.push(line);
      options.onLine?.(line);
      const m = /RxScan is running at (\S+)/.exec(line);
      if (m) running(m[1]!);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    // A launcher in its own group that has not stopped in 45 s is ended with everything it started.
    const timer = options.detached ? setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 45_000) : null;
    const how = await exited;
    if (timer) clearTimeout(timer);
    await temp?.remove();
    return how;
  };

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the system did not start within ${timeoutMs} ms:\n${tail()}`)), timeoutMs);
      running = (found) => {
        clearTimeout(timer);
        resolve(found);
      };
      void exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${how}:\n${tail()}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const ops = async (...args: string[]) =>
    (await promisify(execFile)(process.execPath, [OPS_CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir, NATS_URL: '', DATABASE_URL: '' } })).stdout;
  const pairingCode = async () => {
    const code = /pairing code: (\S+)/.exec(await ops('pair'))?.[1];
    if (!code) throw new Error('ops pair printed no code');
    return code;
  };
  return {
    url,
    dataDir,
    output,
    child,
    ops,
    pairingCode,
    adminToken: async () => (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim(),
    pair: async (name = 'Test tablet') => {
      const res = await fetch(`${url}/meds/auth/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: await pairingCode(), name }),
      });
      if (res.status !== 201) throw new Error(`pairing answered ${res.status}: ${await res.text()}`);
      const paired = (await res.json()) as PairedView;
      return { ...paired, headers: { authorization: `Bearer ${paired.token}` } };
    },
    stop,
  };
}
