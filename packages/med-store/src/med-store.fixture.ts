// Test-only (not built: see tsconfig.json): med-store on a real nats-server and a database of the
// suite's own, started and stopped the same way by every integration suite.
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { type Bus } from '@rxscan/bus';
import { eventually, startTestNats, tempDir, testBus, type TempDir, type TestDatabase, type TestNats } from '@rxscan/test-utils';
import { startMedStore, type MedStoreServiceOptions, type MedStoreService } from './med-store.service.js';

export interface MedStoreWorld {
  nats: TestNats;
  dir: TempDir;
  bus: Bus;
  database: TestDatabase;
  svc: MedStoreService;
  /** Stops everything, dropping the suite's PostgreSQL schema first. */
  stop(): Promise<void>;
}

/** One of `testDatabases(prefix)`; SQLite in the suite's folder when not given. */
type DatabaseKind = { open(dir: string): Promise<TestDatabase> };
const SQLITE: DatabaseKind = { open: async (dir) => ({ url: path.join(dir, 'meds.sqlite'), dispose: async () => {} }) };

/**
 * nats-server, a temp folder, a bus client, the database and med-store on a free port; with
 * `images`, photos are kept in the temp folder's `images`; with `ready`, resolves only once /readyz answers 200 (until its first write probe is stored,
 * med-store answers writes 503).
 */
export async function startMedStoreWorld(opts: { db?: DatabaseKind; ready?: boolean; images?: boolean; options?: Partial<MedStoreServiceOptions> } = {}): Promise<MedStoreWorld> {
  const world: Partial<MedStoreWorld> = {};
  const stop = async () => {
    if (world.database?.schema) await world.svc?.orm.em.getConnection().execute(`drop schema if exists "${world.database.schema}" cascade`).catch(() => {});
    await world.svc?.stop();
    await world.database?.dispose();
    await world.bus?.close();
    await world.nats?.dispose();
    await world.dir?.remove();
  };
  try {
    world.nats = await startTestNats();
    world.dir = await tempDir();
    world.bus = await testBus(world.nats.url);
    world.database = await (opts.db ?? SQLITE).open(world.dir.path);
    world.svc = await startMedStore({
      database: { url: world.database.url, schema: world.database.schema },
      bus: { servers: [world.nats.url], name: 'med-store-test', replicas: 1 },
      port: 0,
      host: '127.0.0.1',
      log: pino({ level: 'silent' }),
      ...(opts.images && { imageDir: path.join(world.dir.path, 'images') }),
      ...opts.options,
    });
    const url = world.svc.url;
    if (opts.ready) await eventually(async () => ((await request(url).get('/readyz')).status === 200 ? true : undefined), 10_000, 100);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { ...(world as MedStoreWorld), stop };
}
