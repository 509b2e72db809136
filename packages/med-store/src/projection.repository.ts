import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { escapeControlCharacters, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import {
  MedHistorySchema,
  MedSchema,
  OcrJobSchema,
  ParkedEventSchema,
  PersonSchema,
  ProjectionPositionSchema,
  type Med,
  type MedHistory,
  type OcrJob,
  type ParkedEventRow,
  type Person,
} from './table.schema.js';
import { keysOf, projectEvent, type Applied } from './event.projection.js';
import { describeFailure } from './projection-parking.rule.js';
import { rowWriteLock } from './database.connection.js';

export type { Applied } from './event.projection.js';

/** An event as read back from its stream. */
export interface StoredEvent {
  stream: string;
  seq: number;
  event: OcrEvent | MedEvent;
  subject?: string;
}

/** A message of a stream that its schema refuses, as read back (stream.reader.ts). */
export interface InvalidStoredEvent {
  stream: string;
  seq: number;
  subject: string;
  /** Why its schema refuses it. */
  invalid: string;
}

/** An event that could not be applied, and why: what is parked. */
export interface Unapplied {
  stream: string;
  seq: number;
  subject: string;
  reason: ParkedEventRow['reason'];
  /** One line (describeFailure). */
  error: string;
  attempts: number;
}

/** The id of a parked event: `<stream>-<seq>`. */
export const parkedId = (stream: string, seq: number) => `${stream}-${seq}`;

/** What a rebuild did: the events applied, those it could not apply (parked, unless an operator had dropped them), and those left out because an operator dropped them. */
export interface RebuildResult {
  applied: number;
  unapplied: Unapplied[];
  /** Events an operator dropped: left out as live left them out, even if they would apply now. */
  dropped: number;
}

const REBUILD_BATCH = 500;
/** The projected tables, in the order a rebuild empties them. */
const PROJECTED = [ProjectionPositionSchema, MedHistorySchema, PersonSchema, MedSchema, OcrJobSchema];
type Projected = (typeof PROJECTED)[number];

const byId = <T, K extends keyof T>(rows: T[], key: K) => new Map(rows.map((r) => [r[key] as string, r]));

/**
 * Applies events to the tables, each in one transaction with the stream position,
 * so an event seen twice (redelivery, replay of the consumer) changes nothing.
 * Parks the events that cannot be applied (the `parked_event` table).
 */
export class ProjectionRepository {
  /**
   * @param fence runs first in every apply transaction and throws when this
   * process may no longer write (the projector lease was lost).
   */
  constructor(
    private readonly orm: MikroORM,
    private readonly fence: (em: EntityManager) => Promise<void> = async () => {},
  ) {}

  async positions(): Promise<Map<string, number>> {
    const rows = await this.orm.em.fork().find(ProjectionPositionSchema, {});
    return new Map(rows.map((r) => [r.stream, Number(r.last_seq)]));
  }

  /** Applies one event from `stream` at `seq`; returns null when it was already applied. */
  apply(stream: string, seq: number, event: OcrEvent | MedEvent): Promise<Applied | null> {
    return this.orm.em.fork().transactional(async (em) => {
      await this.fence(em);
      if (!(await moveTo(em, stream, seq))) return null;
      return applyIn(em, seq, event);
    });
  }

  /**
   * Records that the event at `seq` could not be applied, and moves the stream's position past
   * it, in one transaction: the projector goes on, and a redelivery changes nothing. Returns the
   * parked row, or null when the stream was already past `seq` (parked or applied before). An
   * event an operator dropped before stays dropped.
   */
  park(what: Unapplied, now = new Date()): Promise<ParkedEventRow | null> {
    return this.orm.em.fork().transactional(async (em) => {
      await this.fence(em);
      if (!(await moveTo(em, what.stream, what.seq))) return null;
      return upsertParked(em, what, now);
    });
  }

  /**
   * Applies a parked event again (`ops parked retry`), out of order: the stream's position is
   * past it already, so it is applied to the rows as they are now. The parked row goes in the
   * same transaction. Throws what applying it throws; the row then stays.
   */
  retryParked(stream: string, seq: number, event: OcrEvent | MedEvent): Promise<Applied> {
    return this.orm.em.fork().transactional(async (em) => {
      await this.fence(em);
      const applied = await applyIn(em, seq, event);
      await em.nativeDelete(ParkedEventSchema, { id: parkedId(stream, seq) });
      return applied;
    });
  }

  /**
   * Recreates the tables from every event `readEvents()` yields. The events are folded in
   * memory through the same projection as live, then the tables are replaced in one
   * transaction: readers see the old tables until the new ones are complete, and the
   * live projector then skips what the rebuild applied and goes on from there.
   * An event its schema refuses, or that the projection throws on, is left out and
   * reported; the parked events become exactly those, in the same transaction. An event
   * an operator dropped is left out too, as the live projection left it out, and stays dropped.
   *
   * The live projector may apply an event after the fold read its stream and before the
   * tables are replaced (med-store runs while an operator rebuilds): replacing them then would
   * undo that event for good, since its message is acknowledged. So the transaction first reads
   * the positions the tables hold, under the write lock, and when one is past what was folded,
   * the streams are read and folded again (at most REBUILD_TRIES times). A position past what
   * the streams hold, however often they are read, is a database made from another NATS store:
   * the rebuild goes on and replaces it, as it is meant to.
   */
  async rebuild(readEvents: () => AsyncIterable<StoredEvent | InvalidStoredEvent>): Promise<RebuildResult> {
    const droppedIds = new Set((await this.orm.em.fork().find(ParkedEventSchema, { dropped_at: { $ne: null } }, { fields: ['id'] })).map((r) => r.id));
    let before: Map<string, number> | null = null;
    for (let attempt = 1; ; attempt++) {
      const f = await fold(readEvents(), droppedIds);
      const replaced = await this.orm.em.fork().transactional(async (em) => {
        await this.fence(em);
        const held = await em.find(ProjectionPositionSchema, {}, { lockMode: rowWriteLock(this.orm) });
        const moved = held.some((p) => Number(p.last_seq) > (f.positions.get(p.stream) ?? 0));
        const progressed = before === null || [...f.positions].some(([stream, seq]) => seq > (before!.get(stream) ?? 0));
        if (moved && progressed && attempt < REBUILD_TRIES) return false;
        for (const schema of PROJECTED) await em.nativeDelete(schema as never, {});
        await insertAll(em, OcrJobSchema, [...f.jobs.values()]);
        await insertAll(em, MedSchema, [...f.meds.values()]);
        await insertAll(em, PersonSchema, [...f.people.values()]);
        await insertAll(em, MedHistorySchema, [...f.history.values()]);
        await insertAll(em, ProjectionPositionSchema, [...f.positions].map(([stream, last_seq]) => ({ stream, last_seq })));
        // What was parked and now applies is no longer parked; what was dropped stays as it was.
        await em.nativeDelete(ParkedEventSchema, { dropped_at: null });
        const now = new Date();
        for (const what of f.unapplied) await upsertParked(em, what, now);
        return true;
      });
      if (replaced) return { applied: f.applied, unapplied: f.unapplied, dropped: f.dropped };
      before = f.positions;
    }
  }
}

/** How many times a rebuild reads the streams while the live projector keeps moving past it. */
const REBUILD_TRIES = 5;

/** Every event of `events` folded in memory through the live projection: the rows a rebuild writes. */
async function fold(events: AsyncIterable<StoredEvent | InvalidStoredEvent>, droppedIds: Set<string>) {
  let dropped = 0;
  const jobs = new Map<string, OcrJob>();
  const meds = new Map<string, Med>();
  const people = new Map<string, Person>();
  const history = new Map<string, MedHistory>();
  const positions = new Map<string, number>();
  const unapplied: Unapplied[] = [];
  let applied = 0;
  for await (const entry of events) {
    const { stream, seq } = entry;
    if ((positions.get(stream) ?? 0) >= seq) continue;
    positions.set(stream, seq);
    if (droppedIds.has(parkedId(stream, seq))) {
      dropped++;
      continue;
    }
    if ('invalid' in entry) {
      unapplied.push({ stream, seq, subject: entry.subject, reason: 'invalid', error: entry.invalid, attempts: 1 });
      continue;
    }
    const { event } = entry;
    const { jobId, medIds, personIds } = keysOf(event);
    let result: Applied;
    try {
      result = projectEvent(event, seq, {
        job: jobId ? jobs.get(jobId) ?? null : null,
        meds: pick(meds, medIds),
        people: pick(people, personIds),
      });
    } catch (err) {
      unapplied.push({ stream, seq, subject: entry.subject ?? event.type, reason: 'failed', error: describeFailure(err), attempts: 1 });
      continue;
    }
    if (result.job) jobs.set(result.job.job_id, result.job);
    for (const m of result.meds ?? []) meds.set(m.id, m);
    for (const p of result.people ?? []) people.set(p.id, p);
    for (const h of result.history ?? []) history.set(h.id, h);
    applied++;
  }
  return { jobs, meds, people, history, positions, unapplied, applied, dropped };
}

/** Moves the stream's position to `seq`; false when it was there or past it already. */
async function moveTo(em: EntityManager, stream: string, seq: number): Promise<boolean> {
  const pos = await em.findOne(ProjectionPositionSchema, { stream });
  if (pos && Number(pos.last_seq) >= seq) return false;
  if (pos) pos.last_seq = seq;
  else em.persist(em.create(ProjectionPositionSchema, { stream, last_seq: seq }));
  return true;
}

/** One event applied to the rows it touches, inside `em`'s transaction; the stream position is the caller's. */
async function applyIn(em: EntityManager, seq: number, event: OcrEvent | MedEvent): Promise<Applied> {
  const { jobId, medIds, personIds } = keysOf(event);
  const job = jobId ? await em.findOne(OcrJobSchema, { job_id: jobId }) : null;
  const meds = byId(medIds.length > 0 ? await em.find(MedSchema, { id: { $in: medIds } }) : [], 'id');
  const people = byId(personIds.length > 0 ? await em.find(PersonSchema, { id: { $in: personIds } }) : [], 'id');
  const applied = projectEvent(event, seq, { job, meds, people });
  if (applied.job) upsert(em, OcrJobSchema, job, applied.job);
  for (const med of applied.meds ?? []) upsert(em, MedSchema, meds.get(med.id) ?? null, med);
  for (const person of applied.people ?? []) upsert(em, PersonSchema, people.get(person.id) ?? null, person);
  for (const line of applied.history ?? []) upsert(em, MedHistorySchema, await em.findOne(MedHistorySchema, { id: line.id }), line);
  await em.flush();
  return applied;
}

/** The parked row for `what`, new or updated (a dropped one stays dropped). */
async function upsertParked(em: EntityManager, what: Unapplied, now: Date): Promise<ParkedEventRow> {
  const id = parkedId(what.stream, what.seq);
  const fields = { stream: what.stream, seq: what.seq, subject: escapeControlCharacters(what.subject).slice(0, 200), reason: what.reason, error: what.error, attempts: what.attempts };
  const existing = await em.findOne(ParkedEventSchema, { id });
  if (existing) em.assign(existing, fields);
  else em.persist(em.create(ParkedEventSchema, { id, ...fields, parked_at: now.toISOString(), dropped_at: null }));
  await em.flush();
  return existing ?? { id, ...fields, parked_at: now.toISOString(), dropped_at: null };
}

const pick = <T>(rows: Map<string, T>, ids: string[]): Map<string, T> => new Map(ids.flatMap((id) => (rows.has(id) ? [[id, rows.get(id)!] as const] : [])));

function upsert<T extends object>(em: EntityManager, schema: Projected, existing: T | null, row: T): void {
  if (existing) em.assign(existing as never, row as never);
  else em.persist(em.create(schema as never, row as never));
}

/** Rows in batches through the entity layer (so JSON columns are encoded as live), flushed per batch. */
async function insertAll(em: EntityManager, schema: Projected, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += REBUILD_BATCH) {
    for (const row of rows.slice(i, i + REBUILD_BATCH)) em.persist(em.create(schema as never, row as never));
    await em.flush();
    em.clear();
  }
}
