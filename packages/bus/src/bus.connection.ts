import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ConfigError, envInt, envOptional, envString } from '@rxscan/service-kit';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { ensureStreams } from './jetstream.setup.js';

export interface BusOptions {
  /** One or more server URLs; clients fail over between them. */
  servers: string[];
  /** Shown in `nats server report connections`. */
  name: string;
  user?: string;
  pass?: string;
  /** Copies of each stream (STREAM_REPLICAS). */
  replicas: number;
  /** Whether this service creates and updates the streams (see StreamOptions.manage). */
  manageStreams?: boolean;
  /**
   * For a command rather than a service: fail after this long when no server answers,
   * instead of retrying for ever, and time JetStream requests out after it too.
   */
  giveUpAfterMs?: number;
}

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

/**
 * Connects, retrying for ever, and makes sure both streams exist with the
 * settings in code. Reconnects on its own after the server goes away.
 */
export async function connectBus(opts: BusOptions): Promise<Bus> {
  const patient = opts.giveUpAfterMs === undefined;
  const timeout = opts.giveUpAfterMs ?? 10_000;
  const nc = await connect({
    servers: opts.servers,
    name: opts.name,
    user: opts.user,
    pass: opts.pass,
    maxReconnectAttempts: patient ? -1 : 2,
    reconnectTimeWait: 250,
    waitOnFirstConnect: patient,
    timeout: patient ? 20_000 : timeout,
    pingInterval: 10_000,
  });
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout });
  } catch (err) {
    await nc.close().catch(() => {});
    throw err;
  }
  // A cluster that is still electing its JetStream leader refuses API calls for a few seconds,
  // and a service that does not own the streams waits for med-store to create them.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureStreams(jsm, { replicas: opts.replicas, manage: opts.manageStreams });
      break;
    } catch (err) {
      if (attempt >= (patient ? 150 : 1)) {
        await nc.close().catch(() => {});
        throw err;
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * attempt)));
    }
  }
  return {
    nc,
    js: jetstream(nc, { timeout }),
    jsm,
    close: async () => {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

/** Splits `NATS_URL` (comma-separated) into server URLs. */
export const parseServers = (url: string): string[] =>
  url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Reads NATS_URL, NATS_USER, NATS_PASSWORD and STREAM_REPLICAS; used by every service's config. */
export function busOptionsFromEnv(env: Record<string, string | undefined>, name: string, manageStreams = false): BusOptions {
  const servers = parseServers(envString(env, 'NATS_URL', 'nats://127.0.0.1:4222'));
  if (servers.length === 0) throw new ConfigError('NATS_URL must name at least one server');
  return {
    servers,
    name,
    user: envOptional(env, 'NATS_USER'),
    pass: envOptional(env, 'NATS_PASSWORD'),
    replicas: envInt(env, 'STREAM_REPLICAS', 1, 1, 5),
    manageStreams,
  };
}
