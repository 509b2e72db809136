import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { connectBus } from '@rxscan/bus';
import { openDatabase } from '@rxscan/med-store';
import { credentialsFile } from '@rxscan/ops';
import { freePort } from '@rxscan/service-kit';
import { ROOT } from './paths.mjs';
import { spawnTracked } from './scope.mjs';
import { waitUntil } from './stats.mjs';

/**
 * Every system started gets a database of its own, as it gets a NATS store of its own: tables
 * projected from another store record positions this one's streams have not reached, and
 * med-store refuses them. On PostgreSQL (DATABASE_URL) a fresh schema, dropped when the scope
 * closes (registered before the launcher, so it runs after the launcher stopped); else SQLite
 * in DATA_DIR, as `npm start` does.
 */
async function databaseOfItsOwn(scope) {
  const url = process.env.DATABASE_URL?.trim();
  if (!url || !/^postgres(ql)?:\/\//.test(url)) return { DATABASE_URL: '', DATABASE_SCHEMA: '' };
  const schema = `bench_system_${randomBytes(6).toString('hex')}`;
  scope.defer(async () => {
    const orm = await openDatabase({ url, schema });
    try {
      await orm.em.getConnection().execute(`drop schema if exists "${schema}" cascade`);
    } finally {
      await orm.close();
    }
  });
  return { DATABASE_URL: url, DATABASE_SCHEMA: schema };
}

/**
 * Starts the whole system as `npm start` does (after the build), as tests/e2e/system.ts does:
 * the launcher with a free PORT and a temp DATA_DIR, which starts nats-server, med-store,
 * ingest, the workers and web. Talks to ingest and med-store directly (their URLs are in
 * DATA_DIR/runtime.json), so the web front is not on the measured path.
 * Ready means: both APIs say they are ready and every worker has a pull request waiting on the bus.
 */
export async function startSystem(scope, { dataDir, workers, timeoutMs = 120_000 }) {
  const output = [];
  const child = spawnTracked(process.execPath, [path.join(ROOT, 'packages/ops/dist/start.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(await databaseOfItsOwn(scope)),
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      NATS_URL: '',
      OCR_WORKERS: String(workers),
      // Each service's warnings and errors are kept (not printed), so a failure can show them.
      START_QUIET: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a launcher that will not stop can be ended with its children.
    detached: true,
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  // nats-server's own notices (its banner) would crowd out the services' warnings.
  const kept = (line) => line && !/^\[nats\] .*\[INF\]/.test(line);
  for (const s of [child.stdout, child.stderr]) s.on('data', (c) => output.push(...c.toString().split('\n').filter(kept)));
  scope.defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT'); // as a person would: the launcher stops every service, then nats-server
    const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 45_000);
    await exited;
    clearTimeout(timer);
  });
  const tail = () => output.slice(-30).join('\n');
  let dead = null;
  void exited.then((how) => (dead = how));

  const ready = async (check, what) => {
    try {
      return await waitUntil(
        async () => {
          if (dead !== null) throw new Error(`the launcher exited (${dead})`);
          return check();
        },
        { timeoutMs, everyMs: 200, what },
      );
    } catch (err) {
      throw new Error(`${err.message}\n${tail()}`);
    }
  };
  // Absent until the launcher writes it, and possibly half-written when first seen.
  const parseOrUndefined = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const runtime = await ready(() => readFile(path.join(dataDir, 'runtime.json'), 'utf8').then(parseOrUndefined, () => undefined), 'runtime.json');
  // Ready, not just alive: ingest answers 503 until its bus connection (and the streams) are there.
  const isReady = (url) => fetch(`${url}/readyz`).then((r) => r.ok, () => false);
  await ready(async () => (await isReady(runtime.urls.ingest)) && (await isReady(runtime.urls.med_store)), 'ingest and med-store ready');
  // The launcher's nats-server has a user per role; the observer reads consumer state as ops does.
  const creds = await readFile(credentialsFile(dataDir), 'utf8').then(JSON.parse, () => null);
  const bus = await connectBus({
    servers: [runtime.nats_url],
    name: 'bench-observer',
    user: creds?.ops?.user,
    pass: creds?.ops?.password,
    replicas: 1,
    manageStreams: false, // med-store owns them
  });
  scope.defer(() => bus.close());
  await ready(
    () => bus.jsm.consumers.info('OCR', 'ocr-worker').then((i) => i.num_waiting >= workers, () => false),
    `${workers} worker(s) pulling`,
  );
  // Read again each time: the launcher rewrites the file when it restarts a service.
  const pids = async () => {
    const now = await readFile(path.join(dataDir, 'runtime.json'), 'utf8').then(parseOrUndefined, () => undefined);
    return { ...(now ?? runtime).pids, launcher: runtime.pid, bench: process.pid };
  };
  return { urls: runtime.urls, bus, output, tail, pids };
}
