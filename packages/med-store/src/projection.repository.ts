import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { MedEvent, OcrEvent } from '@rxscan/contracts';
import { MedSchema, OcrJobSchema, ProjectionPositionSchema, type Med, type OcrJob } from './table.schema.js';
import { keysOf, projectEvent, type Applied } from './event.projection.js';

export type { Applied } from './event.projection.js';

/** An event as read back from its stream. */
export interface StoredEvent {
  stream: string;
  seq: number;
  event: OcrEvent | MedEvent;
}

const REBUILD_BATCH = 500;

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
      const { jobId, medId } = keysOf(event);
      const job = jobId ? await em.findOne(OcrJobSchema, { job_id: jobId }) : null;
      const med = medId ? await em.findOne(MedSchema, { id: medId }) : null;
      const applied = projectEvent(event, seq, { job, med });
      if (applied.job) upsert(em, OcrJobSchema, job, applied.job);
      if (applied.med) upsert(em, MedSchema, med, applied.med);
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
    const positions = new Map<string, number>();
    let applied = 0;
    for await (const { stream, seq, event } of events) {
      if ((positions.get(stream) ?? 0) >= seq) continue;
      positions.set(stream, seq);
      const { jobId, medId } = keysOf(event);
      const result = projectEvent(event, seq, { job: jobId ? jobs.get(jobId) ?? null : null, med: medId ? meds.get(medId) ?? null : null });
      if (result.job) jobs.set(result.job.job_id, result.job);
      if (result.med) meds.set(result.med.id, result.med);
      applied++;
    }
    await this.orm.em.fork().transactional(async (em) => {
      await this.fence(em);
      for (const schema of [ProjectionPositionSchema, MedSchema, OcrJobSchema]) await em.nativeDelete(schema as never, {});
      await insertAll(em, OcrJobSchema, [...jobs.values()]);
      await insertAll(em, MedSchema, [...meds.values()]);
      await insertAll(em, ProjectionPositionSchema, [...positions].map(([stream, last_seq]) => ({ stream, last_seq })));
    });
    return applied;
  }
}

function upsert<T extends object>(em: EntityManager, schema: typeof OcrJobSchema | typeof MedSchema, existing: T | null, row: T): void {
  if (existing) em.assign(existing as never, row as never);
  else em.persist(em.create(schema as never, row as never));
}

/** Rows in batches through the entity layer (so JSON columns are encoded as live), flushed per batch. */
async function insertAll(em: EntityManager, schema: typeof OcrJobSchema | typeof MedSchema | typeof ProjectionPositionSchema, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += REBUILD_BATCH) {
    for (const row of rows.slice(i, i + REBUILD_BATCH)) em.persist(em.create(schema as never, row as never));
    await em.flush();
    em.clear();
  }
}
