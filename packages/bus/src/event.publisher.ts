import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { encodeEvent, messageIdOf, subjectOf, type BusEvent, type Lane } from '@rxscan/contracts';
import { classifyProbeError } from './bus-writes.tracker.js';

/**
 * Validates, then publishes an event and waits for JetStream to store it.
 * Resolves with the stream's acknowledgement (its `seq`, and `duplicate` when
 * the server had already stored a message with the same id). `lane: 'bulk'` puts an
 * `ocr.requested` on the bulk lane (`ocr.requested.bulk`), read after every interactive one.
 */
export function publishEvent(js: JetStreamClient, event: BusEvent, opts: { timeout?: number; lane?: Lane } = {}): Promise<PubAck> {
  return js.publish(subjectOf(event, opts.lane), encodeEvent(event), { msgID: messageIdOf(event), timeout: opts.timeout ?? 5000 });
}

/**
 * Whether a failed write is the bus being briefly away (no answer in time, nobody answering,
 * a stream leader being elected) rather than a refusal that trying again cannot change.
 */
export function isBusAway(err: unknown): boolean {
  const { failure } = classifyProbeError(err);
  return failure === 'timeout' || failure === 'unavailable' || /temporarily unavailable|no (stream )?leader|not current/i.test(String((err as Error)?.message ?? err));
}

export interface PatientOptions {
  /** How long to keep trying in all, from the first try. */
  budgetMs: number;
  /** The first wait; it doubles up to `maxWaitMs`. */
  firstWaitMs?: number;
  maxWaitMs?: number;
  /** Checked before each new try: true gives up at once (the service is stopping). */
  stopped?: () => boolean;
  /** Told of every failure that is retried, and how long until the next try. */
  onRetry?: (err: unknown, waitMs: number, tries: number) => void;
}

/**
 * Runs `write` until it succeeds, trying again with back-off while the bus is only away
 * (`isBusAway`) and the budget lasts; any other failure, or the last one, is thrown.
 * Only for writes that are safe to repeat: events carry a message id, so JetStream
 * stores a repeated event once.
 */
export async function whileBusAway<T>(write: () => Promise<T>, opts: PatientOptions): Promise<T> {
  const deadline = Date.now() + opts.budgetMs;
  let wait = opts.firstWaitMs ?? 250;
  for (let tries = 1; ; tries++) {
    try {
      return await write();
    } catch (err) {
      const left = deadline - Date.now();
      if (!isBusAway(err) || left <= 0 || opts.stopped?.()) throw err;
      const waitMs = Math.min(wait, left);
      opts.onRetry?.(err, waitMs, tries);
      await new Promise((r) => setTimeout(r, waitMs));
      wait = Math.min(wait * 2, opts.maxWaitMs ?? 4000);
    }
  }
}
