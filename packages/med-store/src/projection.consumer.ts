import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { decodeEvent, isInvalidEvent, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import type { Applied, ProjectionRepository } from './projection.repository.js';
import type { Stream } from './projection-position.tracker.js';
import { LeaseLostError } from './projection.lease.js';

export interface ProjectionConsumerDeps {
  store: ProjectionRepository;
  log: Logger;
  /** Events refused by their schema, by subject (counted for /metrics). */
  poisoned: Map<string, number>;
  /** The stream reached `seq` (applied, already applied, or skipped as poison). */
  advance(stream: Stream, seq: number): void;
  onApplied(applied: Applied, event: OcrEvent | MedEvent): void;
  /** This replica lost the lease while applying: stop consuming. */
  onLeaseLost(): void;
  stopping(): boolean;
}

/** The apply loop: each message of one stream in order, until the subscription closes. */
export async function consumeStream(stream: Stream, messages: ConsumerMessages, deps: ProjectionConsumerDeps): Promise<void> {
  for await (const m of messages) await applyMessage(stream, m, deps);
}

async function applyMessage(stream: Stream, m: JsMsg, deps: ProjectionConsumerDeps): Promise<void> {
  const { log } = deps;
  let event: OcrEvent | MedEvent;
  try {
    event = decodeEvent(m.subject, m.data) as OcrEvent | MedEvent;
  } catch (err) {
    if (!isInvalidEvent(err)) throw err;
    // A poison message must never block the stream: log it with its sequence and move on.
    deps.poisoned.set(m.subject, (deps.poisoned.get(m.subject) ?? 0) + 1);
    log.error({ stream, seq: m.seq, subject: m.subject, err: err.message }, 'invalid event terminated');
    // No reason on the wire: nats-server 2.9 (Debian 12) treats "+TERM reason" as no ack at all.
    m.term();
    deps.advance(stream, m.seq);
    return;
  }
  const jobId = 'job_id' in event.data ? event.data.job_id : undefined;
  // Retry in place rather than nak: the next event must not be applied before this one.
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await deps.store.apply(stream, m.seq, event);
      m.ack();
      deps.advance(stream, m.seq);
      if (applied) deps.onApplied(applied, event);
      return;
    } catch (err) {
      if (err instanceof LeaseLostError) {
        m.nak();
        deps.onLeaseLost();
        return;
      }
      log.error({ err, stream, seq: m.seq, job_id: jobId, type: event.type, attempt }, 'projection failed; retrying');
      if (deps.stopping()) {
        m.nak();
        return;
      }
      m.working();
      await new Promise((r) => setTimeout(r, Math.min(5000, 200 * attempt)));
    }
  }
}
