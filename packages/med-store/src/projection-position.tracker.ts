import type { STREAMS } from '@rxscan/contracts';

export type Stream = keyof typeof STREAMS;

interface Waiter {
  seq: number;
  resolve: (reached: boolean) => void;
}

/**
 * How far each stream is projected, and read-your-writes: a request that knows the
 * sequence of an event (its own write, a 202's `seq`) waits here until the tables show it.
 */
export class PositionTracker {
  private readonly position = new Map<Stream, number>();
  private readonly waiters = new Map<Stream, Set<Waiter>>();

  positionOf(stream: Stream): number {
    return this.position.get(stream) ?? 0;
  }

  /** Moves a stream forward (never back) and wakes whoever waited for it. */
  advance(stream: Stream, seq: number): void {
    if (seq <= this.positionOf(stream)) return;
    this.position.set(stream, seq);
    for (const w of this.waiters.get(stream) ?? []) if (w.seq <= seq) w.resolve(true);
  }

  /** Resolves true once `stream` is projected up to `seq`, false after `timeoutMs`. */
  waitFor(stream: Stream, seq: number, timeoutMs: number): Promise<boolean> {
    if (this.positionOf(stream) >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const set = this.waiters.get(stream) ?? new Set<Waiter>();
      this.waiters.set(stream, set);
      const waiter: Waiter = {
        seq,
        resolve: (reached) => {
          clearTimeout(timer);
          set.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      set.add(waiter);
    });
  }

  /** Whether any request is waiting. */
  get waiting(): boolean {
    return [...this.waiters.values()].some((set) => set.size > 0);
  }

  /** Answers every waiter "not reached" (shutting down). */
  cancelAll(): void {
    for (const set of this.waiters.values()) for (const w of set) w.resolve(false);
  }
}
