import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushMessage } from '@rxscan/contracts';
import { connectPush, parsePushMessage, pushUrlFor, type PushSocket } from './push.channel.js';
import { view } from './test.fixtures.js';

type Listener = (event: { data?: unknown }) => void;

class FakeSocket implements PushSocket {
  readonly listeners = new Map<string, Listener[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  fire(type: string, data?: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
}

describe('parsePushMessage', () => {
  it('reads the three kinds med-store pushes', () => {
    const job = view('processing');
    expect(parsePushMessage(JSON.stringify({ type: 'job', job }))).toEqual({ type: 'job', job });
    expect(parsePushMessage(JSON.stringify({ type: 'medication-deleted', id: 'm1' }))).toEqual({ type: 'medication-deleted', id: 'm1' });
    const medication = { id: 'm1', status: 'confirmed' };
    expect(parsePushMessage(JSON.stringify({ type: 'medication', medication }))).toMatchObject({ type: 'medication' });
  });

  it('ignores what it does not understand', () => {
    for (const data of ['not json', '42', JSON.stringify({ type: 'job' }), JSON.stringify({ type: 'later-kind' }), new ArrayBuffer(2)]) {
      expect(parsePushMessage(data)).toBeNull();
    }
  });
});

describe('connectPush', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('reports live, passes messages on, and reconnects with growing waits after a drop', async () => {
    const sockets: FakeSocket[] = [];
    const live: boolean[] = [];
    const messages: PushMessage[] = [];
    const channel = connectPush({
      url: 'ws://tablet/meds/ws',
      open: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      onMessage: (m) => messages.push(m),
      onLive: (l) => live.push(l),
      retryDelaysMs: [1000, 5000],
    });
    sockets[0]!.fire('open');
    sockets[0]!.fire('message', JSON.stringify({ type: 'medication-deleted', id: 'm1' }));
    sockets[0]!.fire('close');
    expect(live).toEqual([true, false]);
    expect(messages).toEqual([{ type: 'medication-deleted', id: 'm1' }]);

    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    sockets[1]!.fire('error');
    sockets[1]!.fire('close'); // never opened: no live=false again
    await vi.advanceTimersByTimeAsync(4999);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    expect(live).toEqual([true, false]);

    channel.close();
    expect(sockets[2]!.closed).toBe(true);
    sockets[2]!.fire('close');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(3);
  });

  it('builds the URL on the page origin', () => {
    expect(pushUrlFor({ protocol: 'http:', host: 'rx.local:8080' })).toBe('ws://rx.local:8080/meds/ws');
    expect(pushUrlFor({ protocol: 'https:', host: 'rx.example' })).toBe('wss://rx.example/meds/ws');
  });
});
