import type { MedEvent, OcrEvent } from '@rxscan/contracts';
import type { Med, OcrJob } from './table.schema.js';
import { evolveJob } from './job.projection.js';
import { draftFromCompleted, evolveMed } from './med.projection.js';

/** The rows one event may change. */
export interface Touched {
  job: OcrJob | null;
  med: Med | null;
}

/** What applying one event changed (new rows), for the tables and the push channel. */
export interface Applied {
  job?: OcrJob;
  med?: Med;
}

/** Which rows an event needs to see: its job, and the medication it drafts or changes. */
export function keysOf(event: OcrEvent | MedEvent): { jobId: string | null; medId: string | null } {
  if (event.type.startsWith('med.')) return { jobId: null, medId: (event as MedEvent).data.med_id };
  const jobId = (event as OcrEvent).data.job_id;
  return { jobId, medId: event.type === 'ocr.completed' ? jobId : null };
}

/**
 * One event applied to the rows it touches, purely: the live projector and a rebuild
 * both go through here, so they cannot disagree.
 */
export function projectEvent(event: OcrEvent | MedEvent, seq: number, touched: Touched): Applied {
  if (event.type.startsWith('med.')) {
    const med = evolveMed(touched.med, event as MedEvent, seq);
    return med ? { med } : {};
  }
  const ocr = event as OcrEvent;
  const job = evolveJob(touched.job, ocr, seq);
  if (!job) return {};
  if (ocr.type !== 'ocr.completed') return { job };
  const med = draftFromCompleted(touched.med, ocr.data, seq);
  return med ? { job, med } : { job };
}
