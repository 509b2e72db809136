import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { connectBus, parseServers, type Bus } from '@rxscan/bus';
import { envInt, envOptional, envString } from '@rxscan/service-kit';
import { openDatabase } from '@rxscan/med-store';
import { readFile } from 'node:fs/promises';
import { credentialsFile, type NatsCredentials } from './nats-auth.storage.js';
import { readRuntime } from './runtime.storage.js';

export interface OpsContext {
  bus: Bus;
  orm: MikroORM;
  natsUrl: string;
  databaseUrl: string;
  /** Each service's /metrics address, as `npm start` recorded them (none for a system run otherwise). */
  metrics: Record<string, string>;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

/** The database: DATABASE_URL when set, otherwise what `npm start` wrote to DATA_DIR/runtime.json, otherwise the default. */
export async function openOpsDatabase(env: Env = process.env): Promise<{ orm: MikroORM; url: string }> {
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  const runtime = await readRuntime(dataDir);
  const url = envOptional(env, 'DATABASE_URL') ?? runtime?.database_url ?? path.join(dataDir, 'meds.sqlite');
  return { orm: await openDatabase({ url, schema: envOptional(env, 'DATABASE_SCHEMA') }), url };
}

/**
 * Finds the running system: NATS_URL and DATABASE_URL when set, otherwise what
 * `npm start` wrote to DATA_DIR/runtime.json, otherwise the defaults.
 */
export async function openOpsContext(env: Env = process.env): Promise<OpsContext> {
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  const runtime = await readRuntime(dataDir);
  const natsUrl = envOptional(env, 'NATS_URL') ?? runtime?.nats_url ?? 'nats://127.0.0.1:4222';
  // Under npm start, the ops user's password is in DATA_DIR/nats-auth.json.
  const own = envOptional(env, 'NATS_URL') ? null : await readFile(credentialsFile(dataDir), 'utf8').then((t) => (JSON.parse(t) as NatsCredentials).ops, () => null);
  const bus = await connectBus({
    servers: parseServers(natsUrl),
    name: 'ops',
    user: envOptional(env, 'NATS_USER') ?? own?.user,
    pass: envOptional(env, 'NATS_PASSWORD') ?? own?.password,
    replicas: envInt(env, 'STREAM_REPLICAS', 1, 1, 5),
    manageStreams: true,
  });
  const { orm, url: databaseUrl } = await openOpsDatabase(env);
  return {
    bus,
    orm,
    natsUrl,
    databaseUrl,
    metrics: envOptional(env, 'NATS_URL') ? {} : (runtime?.metrics ?? {}),
    close: async () => {
      await bus.close();
      await orm.close();
    },
  };
}
