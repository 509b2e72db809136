import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PairedView } from '@rxscan/contracts';
import { freePort, REPO_ROOT, tempDir, type TempDir } from '@rxscan/test-utils';

export interface RunningSystem {
  url: string;
  dataDir: string;
  output: string[];
  child: ChildProcess;
  /** The admin secret npm start made (DATA_DIR/admin-token). */
  adminToken(): Promise<string>;
  /** Pairs a device as a person would: `npm run ops -- pair`, then the code typed in. */
  pair(name?: string): Promise<PairedView & { headers: { authorization: string } }>;
  /** Runs `npm run ops -- …args` against this system. */
  ops(...args: string[]): Promise<string>;
  /** Ctrl-C, as a person would; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the whole system exactly as `npm start` does (after the build), on free ports and a temporary DATA_DIR. */
export async function startSystem(env: Record<string, string> = {}, timeoutMs = 90_000): Promise<RunningSystem & { dir: TempDir }> {
  const dir = await tempDir('rxscan-e2e-');
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/start.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dir.path, NATS_URL: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`system did not start within ${timeoutMs} ms:\n${output.slice(-40).join('\n')}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        output.push(line);
        const m = /RxScan is running at (\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output.slice(-40).join('\n')}`));
    });
  });
  const ops = async (...args: string[]) =>
    (
      await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js'), ...args], {
        env: { ...process.env, DATA_DIR: dir.path, NATS_URL: '', DATABASE_URL: '' },
      })
    ).stdout;
  return {
    url,
    dataDir: dir.path,
    output,
    child,
    dir,
    ops,
    adminToken: async () => (await readFile(path.join(dir.path, 'admin-token'), 'utf8')).trim(),
    pair: async (name = 'Test tablet') => {
      const code = /pairing code: (\S+)/.exec(await ops('pair'))?.[1];
      if (!code) throw new Error('ops pair printed no code');
      const res = await fetch(`${url}/meds/auth/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
      if (res.status !== 201) throw new Error(`pairing answered ${res.status}: ${await res.text()}`);
      const paired = (await res.json()) as PairedView;
      return { ...paired, headers: { authorization: `Bearer ${paired.token}` } };
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      await dir.remove();
      return code;
    },
  };
}
