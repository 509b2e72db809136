import { jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { HEALTH_STREAM, healthSubject } from './jetstream.setup.js';

/** Why the bus refused a write, in the words an operator acts on. */
export type ProbeFailure =
  /** Nothing stored within the deadline: the server is down, overloaded, or JetStream is wedged. */
  | 'timeout'
  /** JetStream could not write its store (nats-server says so when the disk is full). */
  | 'storage'
  /** JetStream refused: the store reached its `max_file_store` limit. */
  | 'limit'
  /** Nobody answered: JetStream is disabled, or the HEALTH stream does not exist (yet). */
  | 'unavailable'
  | 'other';

export type ProbeResult = { ok: true; ms: number } | { ok: false; failure: ProbeFailure; message: string };

/** JetStream API error codes (nats-server/server/errors.json). */
const STORE_FAILED = 10077;
const INSUFFICIENT_RESOURCES = 10023;

export function classifyProbeError(err: unknown): { failure: ProbeFailure; message: string } {
  const e = err as { name?: string; message?: string; code?: number | string; cause?: unknown };
  const text = `${e.message ?? String(err)} ${e.cause instanceof Error ? e.cause.message : ''}`;
  if (e.code === STORE_FAILED || /no space left|storage failed|store msg/i.test(text)) return { failure: 'storage', message: `NATS could not write its store: ${e.message}` };
  if (e.code === INSUFFICIENT_RESOURCES || /insufficient resources|resource limits/i.test(text)) {
    return { failure: 'limit', message: 'JetStream refused: its store is at its size limit (max_file_store)' };
  }
  if (/timeout/i.test(`${e.name} ${text}`)) return { failure: 'timeout', message: 'JetStream stored nothing within the deadline' };
  if (/no responders|503|not enabled|stream not found/i.test(text)) return { failure: 'unavailable', message: `JetStream is not answering (${e.message})` };
  return { failure: 'other', message: e.message ?? String(err) };
}

export interface ProbeOptions {
  timeoutMs?: number;
  /**
   * Streams that must also answer (their info) within the deadline. nats-server 2.9 can
   * wedge one stream on a full disk while the others, HEALTH included, still store:
   * the stream a service writes to must be asked about by name. One that does not exist
   * (yet) is no wedge.
   */
  streams?: string[];
}

/**
 * Stores one small message on `health.<source>` and asks after `streams`; says whether
 * JetStream acknowledged and answered everything in time. `jsm` should time its
 * requests out after the same deadline.
 */
export async function probeBusWrite(bus: { js: JetStreamClient; jsm: JetStreamManager }, source: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const t0 = Date.now();
  const timeout = opts.timeoutMs ?? 2000;
  const asked = (opts.streams ?? []).map((stream) =>
    bus.jsm.streams.info(stream).catch((err: unknown) => {
      if (/not found/i.test(String(err))) return null;
      const { failure } = classifyProbeError(err);
      throw Object.assign(new Error(failure === 'timeout' ? `stream ${stream} did not answer within the deadline` : `stream ${stream}: ${(err as Error).message}`), { probe: failure });
    }),
  );
  try {
    await Promise.all([
      bus.js.publish(healthSubject(source), JSON.stringify({ source, pid: process.pid, at: new Date().toISOString() }), { timeout, expect: { streamName: HEALTH_STREAM } }),
      ...asked,
    ]);
    return { ok: true, ms: Date.now() - t0 };
  } catch (err) {
    const probe = (err as { probe?: ProbeFailure }).probe;
    return { ok: false, ...(probe ? { failure: probe, message: (err as Error).message } : classifyProbeError(err)) };
  } finally {
    await Promise.allSettled(asked);
  }
}

/** The part of a pino logger the tracker uses. */
export interface ProbeLog {
  info(msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface BusWrites {
  /** Connected, and the last write probe was stored in time: a publish now would very likely succeed. */
  ready(): boolean;
  /** Why not ready (for /readyz and the logs); null when ready. */
  problem(): string | null;
  stop(): void;
}

export interface BusWritesOptions {
  /** Probe interval while writes go through. */
  everyMs?: number;
  /** Probe interval while they do not, so recovery is seen quickly. */
  retryMs?: number;
  timeoutMs?: number;
  /** The streams this service writes to, asked after on each probe (see ProbeOptions). */
  streams?: string[];
}

/**
 * Readiness that means "the bus accepts writes": follows the connection, and every
 * few seconds stores a probe on `health.<service>` (stream HEALTH) and asks after the
 * streams the service writes to. A server that is connected but stores nothing (a full
 * disk, a wedged JetStream, a store at its limit) makes the service unready at once,
 * and ready again with the first probe that goes through.
 */
export function trackBusWrites(bus: { nc: NatsConnection; js: JetStreamClient }, service: string, log: ProbeLog, opts: BusWritesOptions = {}): BusWrites {
  const everyMs = opts.everyMs ?? 2000;
  const retryMs = opts.retryMs ?? 500;
  let connected = true;
  let problem: string | null = 'no write probe yet';
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void probe(), ms);
    timer.unref();
  };
  const timeoutMs = opts.timeoutMs ?? 2000;
  // Its own manager, so asking after a stream gives up after the probe's deadline.
  let jsm: JetStreamManager | null = null;
  let probing = false;
  async function probe(): Promise<void> {
    if (stopped || probing) return;
    probing = true;
    try {
      jsm ??= await jetstreamManager(bus.nc, { timeout: timeoutMs, checkAPI: false });
      const result = connected ? await probeBusWrite({ js: bus.js, jsm }, service, { timeoutMs, streams: opts.streams }) : null;
      if (result?.ok) {
        if (problem && problem !== 'no write probe yet') log.info('the bus accepts writes again');
        problem = null;
      } else if (result) {
        if (problem !== result.message) log.warn({ failure: result.failure }, `the bus accepts no writes: ${result.message}`);
        problem = result.message;
      }
      schedule(problem ? retryMs : everyMs);
    } finally {
      probing = false;
    }
  }

  void (async () => {
    for await (const s of bus.nc.status()) {
      if (s.type === 'disconnect' || s.type === 'staleConnection' || s.type === 'close') {
        if (connected) log.warn({ status: s.type }, 'NATS connection lost');
        connected = false;
        problem = 'not connected to NATS';
      } else if (s.type === 'reconnect') {
        connected = true;
        log.info('NATS connection back');
        schedule(0);
      }
    }
  })();
  schedule(0);

  return {
    ready: () => problem === null && connected && !bus.nc.isClosed(),
    problem: () => (bus.nc.isClosed() ? 'NATS connection closed' : problem),
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
