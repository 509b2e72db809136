import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OcrEvent } from '@rxscan/contracts';
import { tempDir, type TempDir } from '@rxscan/test-utils';
import { openDatabase } from './database.connection.js';
import { ProjectionRepository, type StoredEvent } from './projection.repository.js';
import { OcrJobSchema } from './table.schema.js';

const requested = (seq: number): StoredEvent => ({
  stream: 'OCR',
  seq,
  event: {
    type: 'ocr.requested',
    data: {
      job_id: `job-${seq}`,
      image: { key: `job-${seq}.jpg`, sha256: 'e'.repeat(64), content_type: 'image/jpeg', bytes: 5, width: 5, height: 5 },
      submitted_at: new Date(Date.UTC(2026, 11, 2, 9, 0, seq)).toISOString(),
      attempt: 1,
      reason: 'new',
    },
  } as OcrEvent,
});

describe('a rebuild while med-store goes on projecting', () => {
  let dir: TempDir;
  let orm: MikroORM;
  beforeEach(async () => {
    dir = await tempDir();
    orm = await openDatabase({ url: path.join(dir.path, 'meds.sqlite') });
  });
  afterEach(async () => {
    await orm?.close();
    await dir?.remove();
  });

  const jobIds = async () => (await orm.em.fork().find(OcrJobSchema, {}, { orderBy: { job_id: 'asc' } })).map((j) => j.job_id);

  it('keeps an event the live projector applied after the rebuild had read the stream', async () => {
    const stream = [requested(1), requested(2)];
    const live = new ProjectionRepository(orm);
    for (const e of stream) await live.apply(e.stream, e.seq, e.event);
    let reads = 0;
    const readStream = async function* () {
      reads++;
      const upTo = stream.length;
      for (const e of stream.slice(0, upTo)) yield e;
      if (reads === 1) {
        // A scan arrives while the rebuild folds: published, then projected and acknowledged live.
        stream.push(requested(3));
        await live.apply('OCR', 3, stream[2]!.event);
      }
    };
    const result = await new ProjectionRepository(orm).rebuild(readStream);
    expect(await jobIds()).toEqual(['job-1', 'job-2', 'job-3']);
    expect(result.applied).toBe(3);
    expect(reads).toBe(2);
  });

  it('replaces tables made from another NATS store, whose positions the streams never reach', async () => {
    const live = new ProjectionRepository(orm);
    for (const seq of [1, 2, 3, 4]) await live.apply('OCR', seq, requested(seq).event);
    const result = await new ProjectionRepository(orm).rebuild(async function* () {
      yield requested(1);
    });
    expect(await jobIds()).toEqual(['job-1']);
    expect(result.applied).toBe(1);
  });
});
