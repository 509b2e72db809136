import { MEDICATION_FIELDS, type FieldAlternatives, type FieldBoxes, type HistoryKind, type Medication, type MedEvent, type OcrCompleted, type PersonEvent } from '@rxscan/contracts';
import type { HistoryDetail, Med, MedHistory } from './table.schema.js';

/** The MEDS events about one medication (or, for a refill, the medication and the draft it uses up). */
export type MedicationEvent = Exclude<MedEvent, PersonEvent>;

/** What one event did to the medications: the rows as they are now, and the lines added to their histories. */
export interface MedChange {
  meds: Med[];
  history: MedHistory[];
}

const NOTHING: MedChange = { meds: [], history: [] };

/** Every label field, null where the reading (or an event from before the field existed) has none. */
export const pickMedication = (m: Medication): Required<Medication> =>
  Object.fromEntries(MEDICATION_FIELDS.map((f) => [f, m[f] ?? null])) as Required<Medication>;

/** One line of a medication's history. */
export const historyEntry = (medId: string, stream: string, seq: number, kind: HistoryKind, at: string, detail: HistoryDetail | null = null): MedHistory => ({
  id: `${medId}:${stream}:${seq}`,
  med_id: medId,
  stream,
  seq,
  kind,
  at,
  detail,
});

/**
 * A completed scan becomes a draft in the household's list (id = job id), for a
 * person to confirm. A reading never overwrites what a person confirmed, and never
 * brings back what a person deleted. Only the first reading of a scan is a "scanned"
 * line in the history, so a rebuild (all scans first) writes the history the live
 * projection wrote.
 */
export function draftFromCompleted(current: Med | null, e: OcrCompleted, seq: number): MedChange {
  if (current && (current.status === 'confirmed' || current.deleted_at)) return NOTHING;
  const med: Med = {
    id: e.job_id,
    ...pickMedication(e.medication),
    status: 'needs_review',
    confidence: e.confidence,
    alternatives: e.alternatives ?? null,
    boxes: e.boxes ?? null,
    source_job_id: e.job_id,
    created_at: current?.created_at ?? e.completed_at,
    updated_at: e.completed_at,
    deleted_at: null,
    person_id: current?.person_id ?? null,
    stopped_at: null,
    replaced_by: null,
    last_seq: seq,
  };
  const history = current ? [] : [historyEntry(med.id, 'OCR', seq, 'scanned', e.completed_at, { source_job_id: e.job_id })];
  return { meds: [med], history };
}

function withoutFields<T extends FieldAlternatives | FieldBoxes>(alternatives: T | null | undefined, fields: readonly (keyof Medication)[]): T | null {
  if (!alternatives) return null;
  const left = Object.fromEntries(Object.entries(alternatives).filter(([f]) => !fields.includes(f as keyof Medication)));
  return Object.keys(left).length > 0 ? (left as T) : null;
}

/**
 * How a person's change alters the medications it names. Pure: `meds` holds the rows the
 * event names (keysOf), absent when there is none yet. An event that changes nothing (a
 * repeat, a change to a deleted medication) gives no rows and no history.
 */
export function evolveMeds(meds: ReadonlyMap<string, Med>, event: MedicationEvent, seq: number): MedChange {
  const current = meds.get(event.data.med_id) ?? null;
  const live = current && !current.deleted_at ? current : null;
  const line = (kind: HistoryKind, at: string, detail: HistoryDetail | null = null) => historyEntry(event.data.med_id, 'MEDS', seq, kind, at, detail);
  switch (event.type) {
    case 'med.confirmed': {
      const e = event.data;
      const medication = pickMedication(e.medication);
      const med: Med = {
        id: e.med_id,
        ...medication,
        status: 'confirmed',
        // Every field was seen and accepted by a person.
        confidence: null,
        alternatives: null,
        boxes: null,
        source_job_id: e.source_job_id,
        created_at: current?.created_at ?? e.confirmed_at,
        updated_at: e.confirmed_at,
        deleted_at: null,
        person_id: e.person_id !== undefined ? e.person_id : (current?.person_id ?? null),
        stopped_at: current?.stopped_at ?? null,
        replaced_by: null,
        last_seq: seq,
      };
      // What the person corrected, as the request saw it: the draft here may hold a later reading of the scan (a rebuild applies every scan first).
      return { meds: [med], history: [line('confirmed', e.confirmed_at, { fields: e.corrected ?? [], person_id: med.person_id })] };
    }
    case 'med.updated': {
      if (!live) return NOTHING;
      const e = event.data;
      const changed = (Object.keys(e.changes) as (keyof Medication)[]).filter((f) => e.changes[f] !== undefined && e.changes[f] !== live[f]);
      if (changed.length === 0) return NOTHING;
      const confidence = live.confidence ? { ...live.confidence } : null;
      // A field a person typed in is certain.
      if (confidence) for (const f of changed) confidence[f] = 1;
      // ... and settles what other looks said of it.
      const alternatives = withoutFields(live.alternatives, changed);
      // Where a typed-in value was read no longer holds.
      const boxes = withoutFields(live.boxes, changed);
      const med = { ...live, ...Object.fromEntries(changed.map((f) => [f, e.changes[f] ?? null])), confidence, alternatives, boxes, updated_at: e.updated_at, last_seq: seq };
      return { meds: [med], history: [line('edited', e.updated_at, { fields: changed })] };
    }
    case 'med.deleted': {
      if (!live) return NOTHING;
      const at = event.data.deleted_at;
      return { meds: [{ ...live, deleted_at: at, updated_at: at, last_seq: seq }], history: [line('deleted', at)] };
    }
    case 'med.restored': {
      // A draft used up by a refill is not a delete a person made: it stays gone.
      if (!current || !current.deleted_at || current.replaced_by) return NOTHING;
      const at = event.data.restored_at;
      return { meds: [{ ...current, deleted_at: null, updated_at: at, last_seq: seq }], history: [line('restored', at)] };
    }
    case 'med.stopped': {
      if (!live || live.stopped_at) return NOTHING;
      const at = event.data.stopped_at;
      return { meds: [{ ...live, stopped_at: at, updated_at: at, last_seq: seq }], history: [line('stopped', at)] };
    }
    case 'med.resumed': {
      if (!live || !live.stopped_at) return NOTHING;
      const at = event.data.resumed_at;
      return { meds: [{ ...live, stopped_at: null, updated_at: at, last_seq: seq }], history: [line('resumed', at)] };
    }
    case 'med.assigned': {
      const e = event.data;
      if (!live || live.person_id === e.person_id) return NOTHING;
      return { meds: [{ ...live, person_id: e.person_id, updated_at: e.assigned_at, last_seq: seq }], history: [line('assigned', e.assigned_at, { person_id: e.person_id })] };
    }
    case 'med.refilled': {
      const e = event.data;
      if (!live) return NOTHING;
      // Only what the new label says replaces what the list had: an unread field keeps its value.
      const fill = Object.fromEntries(Object.entries(e.fill).filter(([, v]) => v !== null));
      // A new supply of a medication stopped before means it is taken again.
      const med: Med = { ...live, ...fill, stopped_at: null, updated_at: e.refilled_at, last_seq: seq };
      const draft = meds.get(e.draft_id);
      const usedUp: Med[] = draft && !draft.deleted_at && draft.id !== live.id ? [{ ...draft, deleted_at: e.refilled_at, replaced_by: live.id, updated_at: e.refilled_at, last_seq: seq }] : [];
      return { meds: [med, ...usedUp], history: [line('refilled', e.refilled_at, { fill: e.fill, source_job_id: e.source_job_id })] };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled med event ${(unhandled as MedEvent).type}`);
    }
  }
}
