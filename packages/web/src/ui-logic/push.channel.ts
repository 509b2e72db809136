import type { JobStatusView, MedicationView, PushMessage } from '@rxscan/contracts';

/** The part of the browser's WebSocket the channel uses, so tests can hand in a fake. */
export interface PushSocket {
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: { data?: unknown }) => void): void;
  close(code?: number, reason?: string): void;
}

export interface PushChannelOptions {
  url: string;
  open(url: string): PushSocket;
  onMessage(message: PushMessage): void;
  /** True once connected, false when it drops: pollers speed up again. */
  onLive(live: boolean): void;
  /** Waits before each reconnect; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

export interface PushChannel {
  close(): void;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const isJobView = (v: unknown): v is JobStatusView =>
  isObject(v) && typeof v.job_id === 'string' && typeof v.status === 'string' && typeof v.attempt === 'number';

const isMedicationView = (v: unknown): v is MedicationView => isObject(v) && typeof v.id === 'string' && typeof v.status === 'string';

/** One message from `/meds/ws`, or null for anything this tablet does not understand. */
export function parsePushMessage(data: unknown): PushMessage | null {
  if (typeof data !== 'string') return null;
  let msg: unknown;
  try {
    msg = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(msg)) return null;
  switch (msg.type) {
    case 'job':
      return isJobView(msg.job) ? { type: 'job', job: msg.job } : null;
    case 'medication':
      return isMedicationView(msg.medication) ? { type: 'medication', medication: msg.medication } : null;
    case 'medication-deleted':
      return typeof msg.id === 'string' ? { type: 'medication-deleted', id: msg.id } : null;
    default:
      // A newer server may push more kinds; ignoring them keeps an older page working.
      return null;
  }
}

/** The WebSocket URL on the page's own origin. */
export const pushUrlFor = (location: { protocol: string; host: string }): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/meds/ws`;

/**
 * Keeps a WebSocket to med-store open, reconnecting with growing waits. The tablet
 * never depends on it: while it is down, polling carries on as before.
 */
export function connectPush(opts: PushChannelOptions): PushChannel {
  const delays = opts.retryDelaysMs ?? [1000, 2000, 5000, 10_000, 30_000];
  let attempt = 0;
  let socket: PushSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function open(): void {
    if (closed) return;
    let live = false;
    let s: PushSocket;
    try {
      s = opts.open(opts.url);
    } catch {
      return retry();
    }
    socket = s;
    s.addEventListener('open', () => {
      live = true;
      attempt = 0;
      opts.onLive(true);
    });
    s.addEventListener('message', (event) => {
      const msg = parsePushMessage(event.data);
      if (msg) opts.onMessage(msg);
    });
    s.addEventListener('close', () => {
      if (socket !== s) return;
      socket = undefined;
      if (live) opts.onLive(false);
      retry();
    });
    // An 'error' is always followed by 'close'; reconnecting happens there.
    s.addEventListener('error', () => {});
  }

  function retry(): void {
    if (closed) return;
    const wait = delays[Math.min(attempt, delays.length - 1)] ?? 30_000;
    attempt += 1;
    timer = setTimeout(open, wait);
  }

  open();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close(1000, 'page closed');
      socket = undefined;
    },
  };
}
