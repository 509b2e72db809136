import type { MikroORM } from '@mikro-orm/core';
import { decodeEvent, isInvalidEvent, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import { ParkedEventSchema, type ParkedEventRow } from './table.schema.js';
import { ProjectionRepository, type Applied } from './projection.repository.js';
import { describeFailure } from './projection-parking.rule.js';

/** A message as its stream holds it: enough to decode it again. */
export interface StreamMessage {
  subject: string;
  data: Uint8Array;
}

/** What `retry` did: applied (and no longer parked), or failed again (still parked, with the new error). */
export type RetryOutcome = { applied: true; changes: Applied } | { applied: false; error: string };

/** `<stream>-<seq>`, case as typed: `meds-12` is `MEDS-12`. */
const normalId = (id: string) => {
  const m = /^([A-Za-z]+)-(\d{1,19})$/.exec(id.trim());
  return m ? `${m[1]!.toUpperCase()}-${Number(m[2])}` : null;
};

/**
 * The parked events (dead-letter table) as operators and /readyz see them: the open ones
 * (not dropped) are what needs a look. Parking itself is ProjectionRepository's (with the
 * stream position, in one transaction).
 */
export class ParkedEventRepository {
  constructor(private readonly orm: MikroORM) {}

  /** The open parked events, oldest first; with `dropped`, the dropped ones too. */
  list(options: { dropped?: boolean } = {}): Promise<ParkedEventRow[]> {
    return this.orm.em.fork().find(ParkedEventSchema, options.dropped ? {} : { dropped_at: null }, { orderBy: { stream: 'asc', seq: 'asc' } });
  }

  /** How many are open, by stream. */
  async openByStream(): Promise<Map<string, number>> {
    const rows = await this.orm.em.fork().find(ParkedEventSchema, { dropped_at: null }, { fields: ['stream'] });
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.stream, (counts.get(r.stream) ?? 0) + 1);
    return counts;
  }

  /** How many are open. */
  open(): Promise<number> {
    return this.orm.em.fork().count(ParkedEventSchema, { dropped_at: null });
  }

  /** Of the events at `seqs` on `stream`, those parked (dropped or not). */
  async among(stream: string, seqs: number[]): Promise<number[]> {
    if (seqs.length === 0) return [];
    const rows = await this.orm.em.fork().find(ParkedEventSchema, { id: { $in: seqs.map((s) => `${stream}-${s}`) } }, { fields: ['seq'] });
    return rows.map((r) => Number(r.seq));
  }

  /** One parked event by its id (`MEDS-12`), dropped or not; null when there is none. */
  get(id: string): Promise<ParkedEventRow | null> {
    const key = normalId(id);
    return key ? this.orm.em.fork().findOne(ParkedEventSchema, { id: key }) : Promise.resolve(null);
  }

  /** Lets a parked event go: it stays on its stream, is no longer counted, and a rebuild leaves it out without parking it again. False when there is no such event. */
  async drop(id: string, now = new Date()): Promise<boolean> {
    const key = normalId(id);
    if (!key) return false;
    const n = await this.orm.em.fork().nativeUpdate(ParkedEventSchema, { id: key }, { dropped_at: now.toISOString() });
    return n > 0;
  }

  /**
   * Applies a parked event again, read from its stream by `read` (after a fix, or once what it
   * names exists). Applied: the row goes. Refused or failed again: the row stays with the new
   * error and one more attempt.
   */
  async retry(row: ParkedEventRow, read: (stream: string, seq: number) => Promise<StreamMessage | null>): Promise<RetryOutcome> {
    const seq = Number(row.seq);
    const failed = async (error: string): Promise<RetryOutcome> => {
      await this.orm.em.fork().nativeUpdate(ParkedEventSchema, { id: row.id }, { error, attempts: row.attempts + 1 });
      return { applied: false, error };
    };
    const message = await read(row.stream, seq);
    if (!message) return failed('the stream no longer holds this event');
    let event: OcrEvent | MedEvent;
    try {
      event = decodeEvent(message.subject, message.data) as OcrEvent | MedEvent;
    } catch (err) {
      if (!isInvalidEvent(err)) throw err;
      return failed(describeFailure(err));
    }
    try {
      return { applied: true, changes: await new ProjectionRepository(this.orm).retryParked(row.stream, seq, event) };
    } catch (err) {
      return failed(describeFailure(err));
    }
  }
}
