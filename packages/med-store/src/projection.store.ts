import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { MedEvent, OcrEvent } from '@rxscan/bus-contracts';
import { MedSchema, OcrJobSchema, ProjectionPositionSchema, type Med, type OcrJob } from './entities.js';
import { evolveJob } from './job.projection.js';
import { draftFromCompleted, evolveMed } from './med.projection.js';

/** An event as read back from its stream. */
export interface StoredEvent {
  stream: string;
  seq: number;
  event: OcrEvent | MedEvent;
}

/** What applying one event changed, for the push channel. */
export interface Applied {
  job?: OcrJob;
  med?: Med;
}

async function upsert<T extends object>(em: EntityManager, schema: typeof OcrJobSchema | typeof MedSchema, existing: T | null, row: T) {
  if (existing) em.assign(existing as never, row as never);
  else em.persist(em.create(schema as never, row as never));
}

/**
 * Applies events to the tables, each in one transaction with the stream position,
 * so an event seen twice (redelivery, replay of the consumer) changes nothing.
 */
export class ProjectionStore {
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
    return this.orm.em.fork().transactional((em) => this.applyIn(em, stream, seq, event));
  }

  /**
   * Empties the tables and applies every event `events` yields, in one transaction:
   * readers see the old tables until the new ones are complete. The live projector
   * then skips what the rebuild already applied and goes on from there.
   */
  rebuild(events: AsyncIterable<StoredEvent>): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      await this.fence(em);
      for (const schema of [ProjectionPositionSchema, MedSchema, OcrJobSchema]) await em.nativeDelete(schema as never, {});
      let applied = 0;
      for await (const { stream, seq, event } of events) {
        await this.applyIn(em, stream, seq, event);
        applied++;
        // Keep the identity map small on long streams; the rows are written, not committed.
        if (applied % 500 === 0) em.clear();
      }
      return applied;
    });
  }

  private async applyIn(em: EntityManager, stream: string, seq: number, event: OcrEvent | MedEvent): Promise<Applied | null> {
    await this.fence(em);
    const pos = await em.findOne(ProjectionPositionSchema, { stream });
    if (pos && Number(pos.last_seq) >= seq) return null;
    if (pos) pos.last_seq = seq;
    else em.persist(em.create(ProjectionPositionSchema, { stream, last_seq: seq }));
    const applied = event.type.startsWith('ocr.')
      ? await this.applyOcr(em, event as OcrEvent, seq)
      : await this.applyMed(em, event as MedEvent, seq);
    await em.flush();
    return applied;
  }

  private async applyOcr(em: EntityManager, event: OcrEvent, seq: number): Promise<Applied> {
    const current = await em.findOne(OcrJobSchema, { job_id: event.data.job_id });
    const next = evolveJob(current, event, seq);
    if (!next) return {};
    await upsert(em, OcrJobSchema, current, next);
    if (event.type !== 'ocr.completed') return { job: next };
    const med = await em.findOne(MedSchema, { id: event.data.job_id });
    const draft = draftFromCompleted(med, event.data, seq);
    if (draft) await upsert(em, MedSchema, med, draft);
    return { job: next, med: draft ?? undefined };
  }

  private async applyMed(em: EntityManager, event: MedEvent, seq: number): Promise<Applied> {
    const current = await em.findOne(MedSchema, { id: event.data.med_id });
    const next = evolveMed(current, event, seq);
    if (!next) return {};
    await upsert(em, MedSchema, current, next);
    return { med: next };
  }
}
