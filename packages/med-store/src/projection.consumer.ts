import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { decodeEvent, isInvalidEvent, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import type { Applied, ProjectionRepository, Unapplied } from './projection.repository.js';
import type { ParkedEventRow } from './table.schema.js';
import type { Stream } from './projection-position.tracker.js';
import { LeaseLostError } from './projection.lease.js';
import { afterFailures, describeFailure, isTransient, mayPark, PARK_AFTER_ATTEMPTS } from './projection-parking.rule.js';

export interface ProjectionConsumerDeps {
  store: Pick<ProjectionRepository, 'apply' | 'park'>;
  log: Logger;
  /** Events refused by their schema, by subject (counted for /metrics). */
  poisoned: Map<string, number>;
  /** The stream reached `seq` (applied, already applied, or parked). */
  advance(stream: Stream, seq: number): void;
  onApplied(applied: Applied, event: OcrEvent | MedEvent): void;
  /** An event was parked (a new row, not one seen before): count it, say so on the advisory subject. */
  onParked(row: ParkedEventRow): void;
  /** Applying the event at `seq` failed (and will be tried again): for /readyz and the metrics. */
  onFailing(stream: Stream, seq: number, error: string): void;
  /** The stream moves again (an event applied or parked). */
  onMoving(stream: Stream): void;
  /** This replica lost the lease while applying: stop consuming. */
  onLeaseLost(): void;
  stopping(): boolean;
  /** How long to wait before try `attempt` + 1 (tests make it short). */
  retryDelayMs?(attempt: number): number;
}

/** The apply loop: each message of one stream in order, until the subscription closes. */
export async function consumeStream(stream: Stream, messages: ConsumerMessages, deps: ProjectionConsumerDeps): Promise<void> {
  const parking = { signature: '', inARow: 0 };
  for await (const m of messages) await applyMessage(stream, m, deps, parking);
}

const defaultDelay = (attempt: number) => Math.min(5000, 200 * attempt);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The part of a message this loop reads: a JetStream message, or a stand-in in tests. */
export type ProjectedMessage = Pick<JsMsg, 'subject' | 'data' | 'seq' | 'ack' | 'nak' | 'term' | 'working'>;

/**
 * Applies one message. One that its schema refuses is parked at once (it fails the same way
 * every time by nature). One that fails to apply is tried again in place, never nak'ed (the next
 * one must not overtake it), until it applies, or until the parking rule says the failure is its
 * own (projection-parking.rule.ts): then it is parked and the stream goes on.
 * `parking` counts the events parked in a row for one failure, across messages.
 */
export async function applyMessage(stream: Stream, m: ProjectedMessage, deps: ProjectionConsumerDeps, parking = { signature: '', inARow: 0 }): Promise<void> {
  const { log } = deps;
  let event: OcrEvent | MedEvent;
  try {
    event = decodeEvent(m.subject, m.data) as OcrEvent | MedEvent;
  } catch (err) {
    if (!isInvalidEvent(err)) throw err;
    // A poison message must never block the stream: log it with its sequence, park it and move on.
    deps.poisoned.set(m.subject, (deps.poisoned.get(m.subject) ?? 0) + 1);
    log.error({ stream, seq: m.seq, subject: m.subject, err: err.message }, 'invalid event terminated');
    if (!(await parkUntilStored(stream, m, deps, { reason: 'invalid', error: describeFailure(err), attempts: 1 }))) return;
    // No reason on the wire: nats-server 2.9 (Debian 12) treats "+TERM reason" as no ack at all.
    m.term();
    deps.advance(stream, m.seq);
    return;
  }
  const jobId = 'job_id' in event.data ? event.data.job_id : undefined;
  const failures: unknown[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await deps.store.apply(stream, m.seq, event);
      m.ack();
      parking.inARow = 0;
      deps.onMoving(stream);
      deps.advance(stream, m.seq);
      if (applied) deps.onApplied(applied, event);
      return;
    } catch (err) {
      if (err instanceof LeaseLostError) {
        m.nak();
        deps.onLeaseLost();
        return;
      }
      failures.push(err);
      // Across events, the failure as described (a database error's statement and values left out).
      const signature = describeFailure(err);
      if (afterFailures(failures) === 'park') {
        const sameAsBefore = parking.signature === signature ? parking.inARow : 0;
        if (mayPark(sameAsBefore)) {
          log.error({ err, stream, seq: m.seq, job_id: jobId, type: event.type, attempts: attempt }, 'event parked: it failed the same way every try');
          if (!(await parkUntilStored(stream, m, deps, { reason: 'failed', error: describeFailure(err), attempts: attempt }))) return;
          parking.signature = signature;
          parking.inARow = sameAsBefore + 1;
          m.ack();
          deps.advance(stream, m.seq);
          return;
        }
        if (failures.length === PARK_AFTER_ATTEMPTS) {
          log.error({ stream, seq: m.seq, parked_in_a_row: sameAsBefore }, 'the same failure parked several events in a row: taken as the database\'s, retrying instead of parking');
        }
      }
      const transient = isTransient(err);
      log.error({ err, stream, seq: m.seq, job_id: jobId, type: event.type, attempt, transient }, 'projection failed; retrying');
      deps.onFailing(stream, m.seq, describeFailure(err));
      if (deps.stopping()) {
        m.nak();
        return;
      }
      m.working();
      await sleep((deps.retryDelayMs ?? defaultDelay)(attempt));
    }
  }
}

/**
 * Parks the message, trying again while the database cannot take it (the write is what lets
 * the stream move on: nothing is skipped unrecorded). False when this replica must stop
 * (shutting down, lease lost): the message was handed back.
 */
async function parkUntilStored(stream: Stream, m: ProjectedMessage, deps: ProjectionConsumerDeps, why: Omit<Unapplied, 'stream' | 'seq' | 'subject'>): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const row = await deps.store.park({ stream, seq: m.seq, subject: m.subject, ...why });
      deps.onMoving(stream);
      if (row) deps.onParked(row);
      return true;
    } catch (err) {
      if (err instanceof LeaseLostError) {
        m.nak();
        deps.onLeaseLost();
        return false;
      }
      deps.log.error({ err, stream, seq: m.seq }, 'could not park an event; retrying');
      deps.onFailing(stream, m.seq, `parking failed: ${describeFailure(err)}`);
      if (deps.stopping()) {
        m.nak();
        return false;
      }
      m.working();
      await sleep((deps.retryDelayMs ?? defaultDelay)(attempt));
    }
  }
}
