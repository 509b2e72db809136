import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { publishEvent, type Bus } from '@rxscan/bus';
import type { ImageStorage } from '@rxscan/service-kit';
import { OcrJobSchema } from './table.schema.js';
import { purgeExpiredImages } from './image-retention.sweeper.js';

export interface HousekeepingOptions {
  orm: MikroORM;
  bus: Bus;
  log: Logger;
  images: ImageStorage | null;
  display?: { remove(originalKey: string): Promise<void> } | null;
  retentionDays: number;
  stuckAfterMs: number;
  everyMs?: number;
}

/** Periodic chores: image retention, and a warning in the log for each job that got stuck. */
export function startHousekeeping(opts: HousekeepingOptions): { stop(): void } {
  const { orm, log } = opts;
  const warned = new Set<string>();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const cutoff = new Date(Date.now() - opts.stuckAfterMs).toISOString();
      const stuck = await orm.em.fork().find(OcrJobSchema, { status: { $in: ['pending', 'processing'] }, requested_at: { $lt: cutoff } }, { limit: 100 });
      for (const job of stuck) {
        if (warned.has(`${job.job_id}.${job.attempt}`)) continue;
        warned.add(`${job.job_id}.${job.attempt}`);
        log.warn({ job_id: job.job_id, attempt: job.attempt, status: job.status, requested_at: job.requested_at }, 'job stuck: no result yet');
      }
      if (opts.images && opts.retentionDays > 0) {
        await purgeExpiredImages(
          {
            orm,
            store: opts.images,
            display: opts.display,
            publishPurged: async (data) => void (await publishEvent(opts.bus.js, { type: 'ocr.purged', data })),
            log,
            now: () => new Date(),
          },
          opts.retentionDays,
        );
      }
    } catch (err) {
      log.warn({ err }, 'housekeeping failed; will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.everyMs ?? 60_000);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
