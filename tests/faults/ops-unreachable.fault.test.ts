import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '@rxscan/test-utils';
import { FaultSystem } from './faults.harness.js';

/** Runs an ops command; resolves with its exit code, what it printed, and how long it took. */
function ops(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js'), ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, out: `${stdout}${stderr}`, ms: Date.now() - t0 });
    });
  });
}

/** A server that accepts connections and never says a word: a frozen NATS or database. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => sockets.add(s));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('ops commands when NATS or the database does not answer', () => {
  let sys: FaultSystem;
  let env: Record<string, string>;
  beforeAll(async () => {
    sys = await FaultSystem.create();
    await sys.start('med-store');
    env = { NATS_URL: sys.natsUrl, DATABASE_URL: path.join(sys.dataDir, 'meds.sqlite'), DATA_DIR: sys.dataDir };
  });
  afterAll(async () => {
    await sys?.dispose();
  });

  it('status with nats-server frozen (SIGSTOP): names NATS within seconds, still shows the jobs, exits 1', async () => {
    process.kill(sys.natsPid(), 'SIGSTOP');
    try {
      const r = await ops(env, 'status');
      console.log(`ops status, NATS frozen: gave up after ${r.ms} ms`);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`NATS at ${sys.natsUrl} did not answer within 5 s`);
      expect(r.out).toMatch(/jobs: pending \d+, processing \d+, completed \d+, failed \d+/);
      // The command's own patience plus starting Node on a busy machine.
      expect(r.ms).toBeLessThan(30_000);
    } finally {
      process.kill(sys.natsPid(), 'SIGCONT');
    }
  });

  it('status and replay with nats-server gone: a clear message at once', async () => {
    await sys.stopNats('SIGKILL');
    const status = await ops(env, 'status');
    expect(status.code).toBe(1);
    expect(status.out).toContain(`NATS at ${sys.natsUrl} could not be reached`);
    expect(status.out).toMatch(/Is RxScan running\?/);
    const replay = await ops(env, 'replay', '--failed');
    expect(replay.code).toBe(1);
    expect(replay.out).toMatch(/^ops: NATS at .* could not be reached/m);
    expect(replay.ms).toBeLessThan(30_000);
  });

  it('devices with a PostgreSQL that does not answer: names the database within seconds', async () => {
    const silent = await silentServer();
    try {
      const r = await ops({ ...env, DATABASE_URL: `postgres://rx:secret@127.0.0.1:${silent.port}/rx` }, 'devices');
      console.log(`ops devices, database silent: gave up after ${r.ms} ms`);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`the database at postgres://***@127.0.0.1:${silent.port}/rx did not answer within 5 s`);
      expect(r.out).not.toContain('secret');
      expect(r.ms).toBeLessThan(30_000);
    } finally {
      await silent.close();
    }
  });
});
