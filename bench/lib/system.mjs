import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { connectBus } from '@rxscan/bus';
import { openDatabase } from '@rxscan/med-store';
import { credentialsFile } from '@rxscan/ops';
import { internalHeaders } from '@rxscan/service-kit';
import { startSystem as startWholeSystem } from '@rxscan/test-utils';
import { track } from './scope.mjs';
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
 * Starts the whole system as `npm start` does (after the build), through the same helper as
 * the end-to-end tests (test-utils' startSystem): the launcher with a free PORT and the given
 * DATA_DIR, which starts nats-server, med-store, ingest, the workers and web. Talks to ingest
 * and med-store directly (their URLs are in DATA_DIR/runtime.json), so the web front is not on
 * the measured path. Ready means: both APIs say they are ready (the launcher says it is
 * running only then) and every worker has a pull request waiting on the bus.
 */
export async function startSystem(scope, { dataDir, workers, timeoutMs = 120_000 }) {
  // ingest and med-store answer only requests signed as web signs them: the bench signs its own.
  const secret = `bench-internal-secret-${randomBytes(12).toString('hex')}`;
  const sys = await startWholeSystem({
    dataDir,
    timeoutMs,
    // Its own process group, so that a launcher that will not stop can be ended with its children.
    detached: true,
    env: {
      ...(await databaseOfItsOwn(scope)),
      INTERNAL_SECRET: secret,
      OCR_WORKERS: String(workers),
      // Each service's warnings and errors are kept (not printed), so a failure can show them.
      START_QUIET: '0',
      LOG_LEVEL: 'warn',
    },
  });
  track(sys.child);
  scope.defer(() => sys.stop());
  // nats-server's own notices (its banner) would crowd out the services' warnings.
  const tail = () => sys.output.filter((line) => !/^\[nats\] .*\[INF\]/.test(line)).slice(-30).join('\n');

  const ready = async (check, what) => {
    try {
      return await waitUntil(
        async () => {
          if (sys.child.exitCode !== null || sys.child.signalCode !== null) throw new Error(`the launcher exited (${sys.child.signalCode ?? sys.child.exitCode})`);
          return check();
        },
        { timeoutMs, everyMs: 200, what },
      );
    } catch (err) {
      throw new Error(`${err.message}\n${tail()}`);
    }
  };
  const readRuntime = () => readFile(path.join(dataDir, 'runtime.json'), 'utf8').then(JSON.parse, () => undefined);
  const runtime = await readRuntime();
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
    const now = await readRuntime();
    return { ...(now ?? runtime).pids, launcher: runtime.pid, bench: process.pid };
  };
  /** Headers that let a request straight to ingest or med-store in, as web's would. */
  const signed = (method, url) => internalHeaders(secret, method, new URL(url).pathname + new URL(url).search);
  return { urls: runtime.urls, bus, output: sys.output, tail, pids, signed };
}
