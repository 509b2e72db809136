import {
  MEDICATION_FIELDS,
  UNDO_DELETE_DAYS,
  imagesOf,
  type DeletedMedicationView,
  type HistoryEntryView,
  type JobImageView,
  type JobStatusView,
  type Medication,
  type MedicationView,
  type PersonView,
} from '@rxscan/contracts';
import type { Med, MedHistory, OcrJob, Person } from './table.schema.js';

/** Every photo of a job as the status lists it: where to fetch it, and its upright size. */
export const jobImagesOf = (job: Pick<OcrJob, 'job_id' | 'image' | 'images'>): JobImageView[] =>
  imagesOf({ image: job.image, images: job.images ?? undefined }).map((ref, index) => {
    const turned = (ref.orientation ?? 1) >= 5;
    return { index, url: `/meds/extract/${job.job_id}/image/${index}`, width: turned ? ref.height : ref.width, height: turned ? ref.width : ref.height };
  });

export function jobView(job: OcrJob): JobStatusView {
  const view: JobStatusView = { job_id: job.job_id, status: job.status, attempt: job.attempt, created_at: job.created_at, images: jobImagesOf(job) };
  if (job.started_at) view.started_at = job.started_at;
  if (job.completed_at) view.completed_at = job.completed_at;
  if (job.status === 'completed' && job.result_data) {
    view.result = {
      medication_id: job.medication_id,
      medication: job.result_data.medication,
      confidence: job.result_data.confidence,
      needs_review: job.result_data.needs_review,
      ...(job.result_data.alternatives && { alternatives: job.result_data.alternatives }),
      ...(job.result_data.second_reader && { second_reader: job.result_data.second_reader }),
      ...(job.result_data.boxes && { boxes: job.result_data.boxes }),
    };
    view.ocr_text = job.ocr_text ?? '';
  }
  if (job.status === 'failed') {
    view.error = { code: job.error_code ?? 'unknown', message: job.error_message ?? '', retryable: job.error_retryable ?? false };
  }
  return view;
}

export const medicationOf = (med: Partial<Med>): Required<Medication> =>
  Object.fromEntries(MEDICATION_FIELDS.map((f) => [f, med[f] ?? null])) as Required<Medication>;

/** Who a person id stands for now: a merged person is read as whom they were merged into. */
export type PersonResolver = (personId: string | null) => string | null;

/** Follows merges (A into B, then B into C: A is C); an id that is no person stays as it is. */
export function personResolver(people: readonly Person[]): PersonResolver {
  const byId = new Map(people.map((p) => [p.id, p]));
  return (personId) => {
    let id = personId;
    for (let hops = 0; id && hops < people.length; hops++) {
      const next = byId.get(id)?.merged_into;
      if (!next) break;
      id = next;
    }
    return id;
  };
}

export function medView(med: Med, resolve: PersonResolver = (id) => id): MedicationView {
  return {
    id: med.id,
    ...medicationOf(med),
    quantity: med.quantity === null ? null : Number(med.quantity),
    status: med.status,
    source_job_id: med.source_job_id,
    confidence: med.confidence,
    alternatives: med.alternatives ?? null,
    boxes: med.boxes ?? null,
    created_at: med.created_at,
    updated_at: med.updated_at,
    person_id: resolve(med.person_id),
    stopped_at: med.stopped_at,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Until when a delete made at `deletedAt` can be undone. */
export const undoUntil = (deletedAt: string): string => new Date(Date.parse(deletedAt) + UNDO_DELETE_DAYS * DAY_MS).toISOString();

export const deletedView = (med: Med & { deleted_at: string }, resolve: PersonResolver): DeletedMedicationView => ({
  ...medView(med, resolve),
  deleted_at: med.deleted_at,
  undo_until: undoUntil(med.deleted_at),
});

export const personView = (p: Person): PersonView => ({ id: p.id, name: p.name, created_at: p.created_at, updated_at: p.updated_at });

export function historyView(h: MedHistory, resolve: PersonResolver): HistoryEntryView {
  const view: HistoryEntryView = { kind: h.kind, at: h.at };
  const d = h.detail ?? {};
  if (d.fields) view.fields = d.fields;
  if (d.fill) view.fill = d.fill;
  if (d.person_id !== undefined) view.person_id = resolve(d.person_id);
  if (d.source_job_id !== undefined) view.source_job_id = d.source_job_id;
  return view;
}
