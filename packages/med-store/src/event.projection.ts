import type { MedEvent, OcrEvent, PersonEvent } from '@rxscan/contracts';
import type { Med, MedHistory, OcrJob, Person } from './table.schema.js';
import { evolveJob } from './job.projection.js';
import { draftFromCompleted, evolveMeds, type MedicationEvent } from './med.projection.js';
import { evolvePeople } from './person.projection.js';

/** The rows one event may change, by id (those that exist). */
export interface Touched {
  job: OcrJob | null;
  meds: ReadonlyMap<string, Med>;
  people: ReadonlyMap<string, Person>;
}

/** What applying one event changed (new rows, new history lines), for the tables and the push channel. */
export interface Applied {
  job?: OcrJob;
  meds?: Med[];
  people?: Person[];
  history?: MedHistory[];
}

/** The rows an event needs to see: its job, the medications it drafts or changes, the people it names. */
export interface EventKeys {
  jobId: string | null;
  medIds: string[];
  personIds: string[];
}

const isPersonEvent = (e: MedEvent): e is PersonEvent => e.type.startsWith('med.person.');

export function keysOf(event: OcrEvent | MedEvent): EventKeys {
  if (!event.type.startsWith('med.')) {
    const jobId = (event as OcrEvent).data.job_id;
    return { jobId, medIds: event.type === 'ocr.completed' ? [jobId] : [], personIds: [] };
  }
  const med = event as MedEvent;
  if (isPersonEvent(med)) {
    return { jobId: null, medIds: [], personIds: med.type === 'med.person.merged' ? [med.data.person_id, med.data.into_person_id] : [med.data.person_id] };
  }
  return { jobId: null, medIds: med.type === 'med.refilled' ? [med.data.med_id, med.data.draft_id] : [med.data.med_id], personIds: [] };
}

const nonEmpty = <K extends string, T>(key: K, rows: T[]): Partial<Record<K, T[]>> => (rows.length > 0 ? ({ [key]: rows } as Record<K, T[]>) : {});

/**
 * One event applied to the rows it touches, purely: the live projector and a rebuild
 * both go through here, so they cannot disagree.
 */
export function projectEvent(event: OcrEvent | MedEvent, seq: number, touched: Touched): Applied {
  if (event.type.startsWith('med.')) {
    const med = event as MedEvent;
    if (isPersonEvent(med)) return nonEmpty('people', evolvePeople(touched.people, med, seq));
    const change = evolveMeds(touched.meds, med as MedicationEvent, seq);
    return { ...nonEmpty('meds', change.meds), ...nonEmpty('history', change.history) };
  }
  const ocr = event as OcrEvent;
  const job = evolveJob(touched.job, ocr, seq);
  if (!job) return {};
  if (ocr.type !== 'ocr.completed') return { job };
  const draft = draftFromCompleted(touched.meds.get(ocr.data.job_id) ?? null, ocr.data, seq);
  return { job, ...nonEmpty('meds', draft.meds), ...nonEmpty('history', draft.history) };
}
