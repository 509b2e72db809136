import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectBus, type Bus } from '@rxscan/bus';
import { startNatsServer, type NatsServerProcess } from '@rxscan/service-kit';

export { freePort, freePorts, waitForPort, startNatsServer } from '@rxscan/service-kit';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A label photo from tests/fixtures/labels with its printed truth. */
export const labelFixture = (name: string) => ({
  image: path.join(REPO_ROOT, 'tests/fixtures/labels', `${name}.jpg`),
  truth: path.join(REPO_ROOT, 'tests/fixtures/labels', `${name}.json`),
});

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'rxscan-test-'): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface TestNats extends NatsServerProcess {
  storeDir: string;
  /** Stops the server and removes its store. */
  dispose(): Promise<void>;
}

/** A real nats-server with JetStream on a free port and a temporary store. */
export async function startTestNats(): Promise<TestNats> {
  const dir = await tempDir('rxscan-nats-');
  const server = await startNatsServer({ storeDir: dir.path });
  return {
    ...server,
    storeDir: dir.path,
    dispose: async () => {
      await server.stop();
      await dir.remove();
    },
  };
}

/** A client connected to a test server, streams created. */
export const testBus = (url: string, name = 'test'): Promise<Bus> =>
  connectBus({ servers: [url], name, replicas: 1 });

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
