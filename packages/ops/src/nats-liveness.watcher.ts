import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@rxscan/contracts';
import { HEALTH_STREAM, probeBusWrite } from '@rxscan/bus';
import { eatsIntoReserve } from '@rxscan/service-kit';
import type { SupervisedProcess } from './process.supervisor.js';

export interface NatsLivenessOptions {
  url: string;
  user?: string;
  pass?: string;
  /** The supervised nats-server: how long it has run, and how to start it again. */
  server: Pick<SupervisedProcess, 'upMs' | 'restart'>;
  /** Free bytes on the disk of the NATS store. */
  freeBytes(): Promise<number>;
  reserveBytes: number;
  say(line: string): void;
  /** Pause between probes while writes go through. */
  everyMs?: number;
  timeoutMs?: number;
  /** Probes failed in a row before the server is restarted. */
  failuresBeforeRestart?: number;
}

const MB = 1024 * 1024;
/** The streams there are always; others (key-value buckets) are found by listing. */
const KNOWN = [...Object.values(STREAMS), HEALTH_STREAM];
const mb = (bytes: number) => Math.floor(bytes / MB);

/**
 * The liveness check of our own nats-server: every second the launcher stores a probe
 * on `health.launcher` (stream HEALTH). A process that runs but stores nothing is
 * restarted, as a Kubernetes liveness probe would: nats-server 2.9 wedges for good
 * when its disk fills mid-write (it answers pings and /healthz, stores nothing and
 * ignores SIGTERM), and later versions disable JetStream instead. While the disk is
 * still full the restart waits for room, then happens at once.
 */
export function watchNatsLiveness(opts: NatsLivenessOptions): { stop(): Promise<void> } {
  const everyMs = opts.everyMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 2000;
  const limit = opts.failuresBeforeRestart ?? 3;
  // Room to start again: a few MB, less when the reserve itself is small.
  const room = Math.max(MB, Math.min(opts.reserveBytes / 4, 16 * MB));
  let stopped = false;
  let nc: NatsConnection | null = null;
  let wake: () => void = () => {};
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(t);
      resolve();
    };
  });

  const loop = (async () => {
    nc = await connect({
      servers: opts.url,
      user: opts.user,
      pass: opts.pass,
      name: 'npm start liveness',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: true,
    });
    if (stopped) return void (await nc.close());
    const js = jetstream(nc, { timeout: timeoutMs });
    const jsm = await jetstreamManager(nc, { timeout: timeoutMs, checkAPI: false });
    let failures = 0;
    let firstFailureAt = 0;
    let waitingForRoom = false;
    let lastLimitRestart = 0;
    /** A restart or a wait was announced: say when writes go through again. */
    let troubled = false;
    let streams = KNOWN;
    let listedAt = 0;

    /** One look at the server; resolves with how long to wait before the next. */
    async function check(): Promise<number> {
      // A server that is (re)starting is not judged yet; its clients are reconnecting.
      if (opts.server.upMs < 3000) {
        failures = 0;
        return everyMs;
      }
      if (waitingForRoom) {
        const free = await opts.freeBytes();
        if (free < room) return everyMs;
        waitingForRoom = false;
        failures = 0;
        await opts.server.restart(`its disk has room again (${mb(free)} MB free)`);
        return everyMs;
      }
      // Every stream is asked after: one can wedge while the others still store.
      if (Date.now() - listedAt > 30_000) {
        listedAt = Date.now();
        // A server that cannot list them is judged by the probe below, on the streams known already.
        const names: string[] = [];
        const listed = await (async () => {
          for await (const name of jsm.streams.names()) names.push(name);
        })().then(() => true, () => false);
        if (listed) streams = [...new Set([...KNOWN, ...names])];
      }
      const r = await probeBusWrite({ js, jsm }, 'launcher', { timeoutMs, streams });
      if (r.ok) {
        if (troubled) opts.say(`nats-server stores writes again (probe stored in ${r.ms} ms)`);
        troubled = false;
        failures = 0;
        return everyMs;
      }
      // No HEALTH stream yet (med-store makes it at its start): not the server's fault.
      if (r.failure === 'unavailable' && (await jsm.streams.info(HEALTH_STREAM).then(() => false, (err: unknown) => /not found/i.test(String(err))))) return everyMs;
      if (r.failure === 'limit') {
        // The limit was worked out at start from the space free then; with room now, a restart raises it.
        const free = await opts.freeBytes();
        if (!eatsIntoReserve(free, 0, opts.reserveBytes) && Date.now() - lastLimitRestart > 60_000) {
          lastLimitRestart = Date.now();
          troubled = true;
          await opts.server.restart(`JetStream reached its store limit while the disk has ${mb(free)} MB free; its new limit counts that space`);
        }
        return everyMs;
      }
      if (failures === 0) firstFailureAt = Date.now();
      failures++;
      // Failures are judged again at once: each has already waited for its deadline.
      if (failures < limit) return 0;
      troubled = true;
      const free = await opts.freeBytes();
      if (free < room) {
        opts.say(`nats-server stores nothing (${r.message}) and its disk has ${mb(free)} MB free: it is restarted once ${mb(room)} MB are free`);
        waitingForRoom = true;
        return everyMs;
      }
      failures = 0;
      await opts.server.restart(`it has stored nothing for ${Math.round((Date.now() - firstFailureAt) / 1000)} s (${r.message})`);
      return everyMs;
    }

    let pause = everyMs;
    while (!stopped) {
      await sleep(pause);
      if (stopped) break;
      try {
        pause = await check();
      } catch (err) {
        // Whatever went wrong with one look, the watch goes on.
        opts.say(`the nats-server liveness check failed once: ${(err as Error).message}`);
        pause = everyMs;
      }
    }
  })().catch((err: unknown) => {
    if (!stopped) opts.say(`the nats-server liveness check stopped: ${(err as Error).message}`);
  });

  return {
    stop: async () => {
      stopped = true;
      wake();
      // Not drain: a wedged server would never answer it.
      await nc?.close().catch(() => {});
      // Still waiting for a first connection: do not wait for it.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}
