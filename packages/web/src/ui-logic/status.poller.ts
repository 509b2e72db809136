import type { JobStatusView } from '@rxscan/contracts';
import { ApiError, isTransient } from './api.errors.js';

export interface PollOptions {
  /** The status URL (with `?seq=`). */
  url: string;
  fetchStatus(url: string): Promise<JobStatusView>;
  onStatus(view: JobStatusView): void;
  /** Gave up: the job is gone or the server refuses to say. */
  onGiveUp(err: ApiError): void;
  /** A poll failed but polling goes on (the network, a restart); cleared by the next status. */
  onTrouble?(err: unknown): void;
  /** While push is live, polls are only a slow safety net. */
  pushLive?: () => boolean;
  firstDelayMs?: number;
  intervalMs?: number;
  pushIntervalMs?: number;
  maxBackoffMs?: number;
}

export interface Poller {
  /** Poll now (after a push reconnect, say), then carry on as before. */
  poke(): void;
  stop(): void;
}

export const isTerminal = (view: JobStatusView): boolean => view.status === 'completed' || view.status === 'failed';

/**
 * Polls a job's status until it is completed or failed: first soon, then every few
 * seconds; a failing network backs off; a job the server does not know ends it.
 */
export function pollJob(opts: PollOptions): Poller {
  const firstDelayMs = opts.firstDelayMs ?? 300;
  const intervalMs = opts.intervalMs ?? 3000;
  const pushIntervalMs = opts.pushIntervalMs ?? 15_000;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let inFlight = false;
  let failures = 0;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void tick(), ms);
  };
  const nextDelay = () => (opts.pushLive?.() ? pushIntervalMs : intervalMs);

  async function tick(): Promise<void> {
    if (stopped || inFlight) return;
    inFlight = true;
    try {
      const view = await opts.fetchStatus(opts.url);
      failures = 0;
      if (stopped) return;
      opts.onStatus(view);
      if (isTerminal(view)) stopped = true;
      else schedule(nextDelay());
    } catch (err) {
      if (stopped) return;
      if (isTransient(err)) {
        failures += 1;
        opts.onTrouble?.(err);
        schedule(Math.min(maxBackoffMs, intervalMs * 2 ** (failures - 1)));
      } else {
        stopped = true;
        opts.onGiveUp(err as ApiError);
      }
    } finally {
      inFlight = false;
    }
  }

  schedule(firstDelayMs);
  return {
    poke: () => schedule(0),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
