import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { connectBus, parseServers, type Bus } from '@rxscan/bus';
import { envInt, envOptional, envString } from '@rxscan/service-kit';
import { openDatabase } from '@rxscan/med-store';
import { readFile } from 'node:fs/promises';
import { credentialsFile, type NatsCredentials } from './nats-auth.storage.js';
import { readRuntime } from './runtime.storage.js';

/** How long an ops command waits for NATS or the database before it gives up and says so. */
export const OPS_PATIENCE_MS = 5000;

/** NATS or the database did not answer an ops command; the message says which, where, and what to check. */
export class OpsUnavailableError extends Error {
  override readonly name = 'OpsUnavailableError';
}

/**
 * `work`, or an OpsUnavailableError naming `what` once `ms` have passed or when it
 * fails. What arrives after that is handed to `discard`, so the command can exit.
 */
export async function within<T>(what: string, hint: string, work: Promise<T>, ms: number, discard: (late: T) => unknown = () => {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      gaveUp = true;
      reject(new OpsUnavailableError(`${what} did not answer within ${Math.round(ms / 1000)} s. ${hint}`));
    }, ms);
  });
  void work.then((v) => (gaveUp ? discard(v) : undefined), () => {});
  try {
    return await Promise.race([work, late]);
  } catch (err) {
    if (err instanceof OpsUnavailableError) throw err;
    const message = (err as Error).message;
    if (/timeout|timed out/i.test(`${(err as Error).name} ${message}`)) {
      throw new OpsUnavailableError(`${what} did not answer within ${OPS_PATIENCE_MS / 1000} s. ${hint}`, { cause: err });
    }
    throw new OpsUnavailableError(`${what} could not be reached (${message}). ${hint}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

export const NATS_HINT = 'Is RxScan running? npm start writes the address to DATA_DIR/runtime.json; NATS_URL overrides it.';
export const DATABASE_HINT = 'Check DATABASE_URL (or DATA_DIR) and that the database server is up.';

type Env = Record<string, string | undefined>;

/**
 * Where the running system is: NATS_URL and DATABASE_URL when set, otherwise what
 * `npm start` wrote to DATA_DIR/runtime.json, otherwise the defaults.
 */
export async function opsTargets(env: Env = process.env): Promise<{ dataDir: string; natsUrl: string; databaseUrl: string; metrics: Record<string, string> }> {
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  const runtime = await readRuntime(dataDir);
  return {
    dataDir,
    natsUrl: envOptional(env, 'NATS_URL') ?? runtime?.nats_url ?? 'nats://127.0.0.1:4222',
    databaseUrl: envOptional(env, 'DATABASE_URL') ?? runtime?.database_url ?? path.join(dataDir, 'meds.sqlite'),
    metrics: envOptional(env, 'NATS_URL') ? {} : (runtime?.metrics ?? {}),
  };
}

export const hidePassword = (url: string) => url.replace(/\/\/[^@]*@/, '//***@');

/** The database; gives up after OPS_PATIENCE_MS. */
export async function openOpsDatabase(env: Env = process.env): Promise<{ orm: MikroORM; url: string }> {
  const { databaseUrl: url } = await opsTargets(env);
  const opening = openDatabase({ url, schema: envOptional(env, 'DATABASE_SCHEMA') });
  const orm = await within(`the database at ${hidePassword(url)}`, DATABASE_HINT, opening, OPS_PATIENCE_MS, (late) => late.close());
  return { orm, url };
}

/** The bus; gives up after a few seconds (connecting, then JetStream's answers, OPS_PATIENCE_MS each). */
export async function openOpsBus(env: Env = process.env): Promise<{ bus: Bus; natsUrl: string }> {
  const { dataDir, natsUrl } = await opsTargets(env);
  // Under npm start, the ops user's password is in DATA_DIR/nats-auth.json.
  const own = envOptional(env, 'NATS_URL') ? null : await readFile(credentialsFile(dataDir), 'utf8').then((t) => (JSON.parse(t) as NatsCredentials).ops, () => null);
  const connecting = connectBus({
    servers: parseServers(natsUrl),
    name: 'ops',
    user: envOptional(env, 'NATS_USER') ?? own?.user,
    pass: envOptional(env, 'NATS_PASSWORD') ?? own?.password,
    replicas: envInt(env, 'STREAM_REPLICAS', 1, 1, 5),
    manageStreams: true,
    giveUpAfterMs: OPS_PATIENCE_MS,
  });
  const bus = await within(`NATS at ${natsUrl}`, NATS_HINT, connecting, OPS_PATIENCE_MS + 3000, (late) => late.close());
  return { bus, natsUrl };
}

export interface OpsContext {
  bus: Bus;
  orm: MikroORM;
  natsUrl: string;
  databaseUrl: string;
  /** Each service's /metrics address, as `npm start` recorded them (none for a system run otherwise). */
  metrics: Record<string, string>;
  close(): Promise<void>;
}

/** Both the bus and the database (replay, rebuild). */
export async function openOpsContext(env: Env = process.env): Promise<OpsContext> {
  const [bus, db] = await Promise.allSettled([openOpsBus(env), openOpsDatabase(env)]);
  if (bus.status === 'rejected' || db.status === 'rejected') {
    if (bus.status === 'fulfilled') await bus.value.bus.close();
    if (db.status === 'fulfilled') await db.value.orm.close();
    throw bus.status === 'rejected' ? bus.reason : (db as PromiseRejectedResult).reason;
  }
  return {
    bus: bus.value.bus,
    orm: db.value.orm,
    natsUrl: bus.value.natsUrl,
    databaseUrl: db.value.url,
    metrics: (await opsTargets(env)).metrics,
    close: () => closeQuickly(bus.value.bus.close(), db.value.orm.close()),
  };
}

/** Closing must not hold the command either: a server gone mid-way never answers a drain. */
export const closeQuickly = (...closing: Promise<unknown>[]): Promise<void> =>
  Promise.race([Promise.allSettled(closing).then(() => {}), new Promise<void>((r) => setTimeout(r, 2000).unref())]);
