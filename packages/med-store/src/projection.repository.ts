import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { MedEvent, OcrEvent } from '@rxscan/contracts';
import { MedHistorySchema, MedSchema, OcrJobSchema, PersonSchema, ProjectionPositionSchema, type Med, type MedHistory, type OcrJob, type Person } from './table.schema.js';
import { keysOf, projectEvent, type Applied } from './event.projection.js';

export type { Applied } from './event.projection.js';

/** An event as read back from its stream. */
export interface StoredEvent {
  stream: string;
  seq: number;
  event: OcrEvent | MedEvent;
}

const REBUILD_BATCH = 500;
/** The projected tables, in the order a rebuild empties them. */
const PROJECTED = [ProjectionPositionSchema, MedHistorySchema, PersonSchema, MedSchema, OcrJobSchema];
type Projected = (typeof PROJECTED)[number];

const byId = <T, K extends keyof T>(rows: T[], key: K) => new Map(rows.map((r) => [r[key] as string, r]));

/**
 * Applies events to the tables, each in one transaction with the stream position,
 * so an event seen twice (redelivery, replay of the consumer) changes nothing.
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
      const pos = await em.findOne(ProjectionPositionSchema, { stream });
      if (pos && Number(pos.last_seq) >= seq) return null;
      if (pos) pos.last_seq = seq;
      else em.persist(em.create(ProjectionPositionSchema, { stream, last_seq: seq }));
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
    });
  }

  /**
   * Recreates the tables from every event `events` yields. The events are folded in
   * memory through the same projection as live, then the tables are replaced in one
   * transaction: readers see the old tables until the new ones are complete, and the
   * live projector then skips what the rebuild applied and goes on from there.
   */
  async rebuild(events: AsyncIterable<StoredEvent>): Promise<number> {
    const jobs = new Map<string, OcrJob>();
    const meds = new Map<string, Med>();
    const people = new Map<string, Person>();
    const history = new Map<string, MedHistory>();
    const positions = new Map<string, number>();
    let applied = 0;
    for await (const { stream, seq, event } of events) {
      if ((positions.get(stream) ?? 0) >= seq) continue;
      positions.set(stream, seq);
      const { jobId, medIds, personIds } = keysOf(event);
      const result = projectEvent(event, seq, {
        job: jobId ? jobs.get(jobId) ?? null : null,
        meds: pick(meds, medIds),
        people: pick(people, personIds),
      });
      if (result.job) jobs.set(result.job.job_id, result.job);
      for (const m of result.meds ?? []) meds.set(m.id, m);
      for (const p of result.people ?? []) people.set(p.id, p);
      for (const h of result.history ?? []) history.set(h.id, h);
      applied++;
    }
    await this.orm.em.fork().transactional(async (em) => {
      await this.fence(em);
      for (const schema of PROJECTED) await em.nativeDelete(schema as never, {});
      await insertAll(em, OcrJobSchema, [...jobs.values()]);
      await insertAll(em, MedSchema, [...meds.values()]);
      await insertAll(em, PersonSchema, [...people.values()]);
      await insertAll(em, MedHistorySchema, [...history.values()]);
      await insertAll(em, ProjectionPositionSchema, [...positions].map(([stream, last_seq]) => ({ stream, last_seq })));
    });
    return applied;
  }
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
