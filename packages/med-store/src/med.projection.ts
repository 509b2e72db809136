import { MEDICATION_FIELDS, type Medication, type MedEvent, type OcrCompleted } from '@rxscan/contracts';
import type { Med } from './table.schema.js';

const pickMedication = (m: Medication): Medication =>
  Object.fromEntries(MEDICATION_FIELDS.map((f) => [f, m[f] ?? null])) as Medication;

/**
 * A completed scan becomes a draft in the household's list (id = job id), for a
 * person to confirm. A reading never overwrites what a person confirmed, and never
 * brings back what a person deleted.
 */
export function draftFromCompleted(current: Med | null, e: OcrCompleted, seq: number): Med | null {
  if (current && (current.status === 'confirmed' || current.deleted_at)) return null;
  return {
    id: e.job_id,
    ...pickMedication(e.medication),
    status: 'needs_review',
    confidence: e.confidence,
    source_job_id: e.job_id,
    created_at: current?.created_at ?? e.completed_at,
    updated_at: e.completed_at,
    deleted_at: null,
    last_seq: seq,
  };
}

/** How a person's change alters a medication; null when it changes nothing. */
export function evolveMed(current: Med | null, event: MedEvent, seq: number): Med | null {
  switch (event.type) {
    case 'med.confirmed': {
      const e = event.data;
      return {
        id: e.med_id,
        ...pickMedication(e.medication),
        status: 'confirmed',
        // Every field was seen and accepted by a person.
        confidence: null,
        source_job_id: e.source_job_id,
        created_at: current?.created_at ?? e.confirmed_at,
        updated_at: e.confirmed_at,
        deleted_at: null,
        last_seq: seq,
      };
    }
    case 'med.updated': {
      if (!current || current.deleted_at) return null;
      const e = event.data;
      const changed = Object.keys(e.changes) as (keyof Medication)[];
      const confidence = current.confidence ? { ...current.confidence } : null;
      // A field a person typed in is certain.
      if (confidence) for (const f of changed) confidence[f] = 1;
      return { ...current, ...e.changes, confidence, updated_at: e.updated_at, last_seq: seq };
    }
    case 'med.deleted':
      if (!current || current.deleted_at) return null;
      return { ...current, deleted_at: event.data.deleted_at, updated_at: event.data.deleted_at, last_seq: seq };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled med event ${(unhandled as MedEvent).type}`);
    }
  }
}
