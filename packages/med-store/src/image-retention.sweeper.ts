import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { imagesOf, type OcrPurged } from '@rxscan/contracts';
import type { ImageStorage } from '@rxscan/service-kit';
import { OcrJobSchema } from './table.schema.js';

export interface RetentionDeps {
  orm: MikroORM;
  store: ImageStorage;
  /** Display copies, removed with their original. */
  display?: { remove(originalKey: string): Promise<void> } | null;
  publishPurged(event: OcrPurged): Promise<void>;
  log: Logger;
  now(): Date;
}

/**
 * Deletes the photos of completed jobs older than `days`, and records each on the
 * bus (`ocr.purged`), so the job shows it and a rebuild keeps it. Photos of failed or
 * unfinished jobs are kept: they may be replayed. The file goes first: a crash in
 * between leaves a job that the next run purges again, never a record of a photo
 * that still exists.
 */
export async function purgeExpiredImages(deps: RetentionDeps, days: number, batch = 500): Promise<number> {
  const cutoff = new Date(deps.now().getTime() - days * 86_400_000).toISOString();
  const jobs = await deps.orm.em.fork().find(
    OcrJobSchema,
    { status: 'completed', completed_at: { $lt: cutoff }, image_purged_at: null },
    { orderBy: { completed_at: 'asc' }, limit: batch },
  );
  for (const job of jobs) {
    // Every photo of the scan; the event names the first, as before several photos.
    for (const { key } of imagesOf({ image: job.image, images: job.images ?? undefined })) {
      await deps.store.remove(key);
      // After the original: a view in between can then no longer make a new copy.
      await deps.display?.remove(key);
    }
    await deps.publishPurged({ job_id: job.job_id, image_key: job.image_key, purged_at: deps.now().toISOString() });
    deps.log.info({ job_id: job.job_id }, 'photo deleted by retention');
  }
  return jobs.length;
}
