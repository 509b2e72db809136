import path from 'node:path';
import { mkdir, readFile } from 'node:fs/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { CONSUMERS, STREAMS } from '@rxscan/contracts';
import { parseServers, projectorConsumerConfig } from '@rxscan/bus';
import { envInt, envOptional, envString, startNatsServer } from '@rxscan/service-kit';
import { credentialsFile, loadOrCreateCredentials, writeNatsConfig, type NatsCredentials } from './nats-auth.storage.js';
import { readRuntime } from './runtime.storage.js';
import { NATS_HINT, OPS_PATIENCE_MS, within } from './ops.context.js';
import { backupTo, readManifest, restoreFrom } from './backup.storage.js';
import type { Positions } from './database-backup.storage.js';

type Env = Record<string, string | undefined>;
type Print = (line: string) => void;

interface OpsNats {
  nc: NatsConnection;
  /** How it was reached, for the operator. */
  how: string;
  close(): Promise<void>;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A connection, or a clear message naming the server after a few seconds. */
const natsWithin = (what: string, connecting: Promise<NatsConnection>) => within(what, NATS_HINT, connecting, OPS_PATIENCE_MS + 1000, (late) => late.close());

/**
 * The operator's NATS connection: NATS_URL (with NATS_USER/NATS_PASSWORD) when set;
 * else the nats-server `npm start` runs for DATA_DIR; else a temporary one of our own
 * on DATA_DIR/nats, with the users npm start gives it, stopped when done.
 */
async function opsNats(env: Env, dataDir: string, mode: 'backup' | 'restore'): Promise<OpsNats> {
  const url = envOptional(env, 'NATS_URL');
  if (url) {
    const nc = await natsWithin(`NATS at ${url}`, connect({ servers: parseServers(url), user: envOptional(env, 'NATS_USER'), pass: envOptional(env, 'NATS_PASSWORD'), timeout: OPS_PATIENCE_MS }));
    return { nc, how: `NATS at ${url}`, close: () => nc.drain() };
  }
  const runtime = await readRuntime(dataDir);
  if (runtime && alive(runtime.pid)) {
    if (mode === 'restore') throw new Error(`RxScan is running for ${dataDir} (npm start, pid ${runtime.pid}): stop it first, then restore into an empty DATA_DIR`);
    const creds = JSON.parse(await readFile(credentialsFile(dataDir), 'utf8')) as NatsCredentials;
    const nc = await natsWithin(`NATS at ${runtime.nats_url}`, connect({ servers: parseServers(runtime.nats_url), user: creds.ops.user, pass: creds.ops.password, timeout: OPS_PATIENCE_MS }));
    return { nc, how: `the running system's NATS at ${runtime.nats_url}`, close: () => nc.drain() };
  }
  const creds = await loadOrCreateCredentials(dataDir);
  const server = await startNatsServer({ storeDir: path.join(dataDir, 'nats'), args: ['-c', await writeNatsConfig(dataDir, creds)] });
  const nc = await connect({ servers: server.url, user: creds.ops.user, pass: creds.ops.password, timeout: 10_000 });
  return {
    nc,
    how: `a nats-server of its own on ${path.join(dataDir, 'nats')} (RxScan is not running)`,
    close: async () => {
      await nc.drain();
      await server.stop();
    },
  };
}

function places(env: Env, dataDir: string, runtimeDb: string | undefined) {
  return {
    databaseUrl: envOptional(env, 'DATABASE_URL') ?? runtimeDb ?? path.join(dataDir, 'meds.sqlite'),
    databaseSchema: envOptional(env, 'DATABASE_SCHEMA'),
    imageDir: path.join(dataDir, 'prescription_images'),
  };
}

/** `ops backup DIR`: the database, both streams and the photos, consistent with each other, while RxScan runs or not. */
export async function backupCommand(args: string[], print: Print, env: Env = process.env): Promise<number> {
  const target = args[0];
  if (!target) throw new Error('backup needs a folder: npm run -s ops -- backup /path/to/backup');
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  const runtime = await readRuntime(dataDir);
  const nats = await opsNats(env, dataDir, 'backup');
  try {
    print(`backing up ${dataDir} through ${nats.how}`);
    const t0 = Date.now();
    await backupTo(path.resolve(target), { nc: nats.nc, ...places(env, dataDir, runtime?.database_url) }, print);
    print(`backup written to ${path.resolve(target)} in ${Date.now() - t0} ms (it holds health data: keep it private)`);
    return 0;
  } finally {
    await nats.close();
  }
}

/** `ops restore DIR`: a backup into an empty DATA_DIR (RxScan stopped); `npm start` then goes on from it. */
export async function restoreCommand(args: string[], print: Print, env: Env = process.env): Promise<number> {
  const source = args[0];
  if (!source) throw new Error('restore needs the backup folder: npm run -s ops -- restore /path/to/backup');
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  await readManifest(path.resolve(source));
  await mkdir(dataDir, { recursive: true });
  const nats = await opsNats(env, dataDir, 'restore');
  try {
    print(`restoring ${path.resolve(source)} into ${dataDir} through ${nats.how}`);
    const jsm = await jetstreamManager(nats.nc, { timeout: 10_000 });
    // The restored consumers may be ahead of the restored tables: med-store's start where the tables end.
    const resumeProjection = async (positions: Positions) => {
      for (const stream of Object.keys(STREAMS) as (keyof typeof STREAMS)[]) {
        await jsm.consumers.delete(STREAMS[stream], CONSUMERS.medStore).catch(() => false);
        const after = positions[stream] ?? 0;
        await jsm.consumers.add(STREAMS[stream], {
          ...projectorConsumerConfig(stream),
          ...(after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : {}),
        });
      }
    };
    await restoreFrom(path.resolve(source), { nc: nats.nc, ...places(env, dataDir, undefined), replicas: envInt(env, 'STREAM_REPLICAS', 1, 1, 5), resumeProjection }, print);
    print(`restored; start RxScan on ${dataDir} (npm start): med-store projects any event the tables do not hold yet`);
    return 0;
  } finally {
    await nats.close();
  }
}
