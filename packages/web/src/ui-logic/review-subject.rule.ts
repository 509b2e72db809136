import type { FieldAlternatives, Medication, MedicationView } from '@rxscan/contracts';
import { titleOf } from './medication-list.rule.js';
import { EMPTY_MEDICATION, REVIEW_FIELDS, changesFrom, nameProblem, type MedicationDraft, type MedicationField } from './review.form.js';
import { jobIdOf, type ScanJob } from './scan-job.state.js';
import type { PersonFields } from './api.client.js';
import { personFields, type PersonChoice } from './person-choice.rule.js';
import { boxesOf, type FieldBoxes, type ReviewPhoto } from './scan-photos.rule.js';

/** confirm: a draft from a scan; edit: a confirmed medication; new: typed in by hand. */
export type ReviewMode = 'confirm' | 'edit' | 'new';

/** What the review dialog shows and saves. */
export interface ReviewSubject {
  mode: ReviewMode;
  /** The medication row; null for one typed in by hand. */
  id: string | null;
  medication: Medication;
  /** Per-field confidence of the reading; null once a person confirmed it, or typed it. */
  confidence: Record<string, number> | null;
  /** Other values other looks gave (another photo, the second reader); none once confirmed. */
  alternatives?: FieldAlternatives | null;
  needsReview: boolean;
  heading: string;
  /** The photos of the scan, in the order taken: those taken on this tablet (object URLs) or the server's copies. */
  photos?: ReviewPhoto[];
  /** Where each field was read on those photos (a reading, or a draft not yet confirmed). */
  boxes?: FieldBoxes;
  /** A nameless draft that the typed-in medication replaces: deleted once it is added. */
  replaces?: string;
  /** Whose it is now (a row of the list); absent for a reading or a new one. */
  personId?: string | null;
  /** The same photo was uploaded before: this is that upload's scan (when, ISO). */
  duplicateOf?: string;
}

/** Just the medication fields of a row or a reading, without the row's bookkeeping. */
export const fieldsOf = (row: Medication): Medication =>
  Object.fromEntries(REVIEW_FIELDS.map(({ key }) => [key, row[key] ?? null])) as Medication;

const withPhotos = (photos: ReviewPhoto[] | undefined) => (photos && photos.length > 0 ? { photos } : {});
const withBoxes = (boxes: FieldBoxes) => (Object.keys(boxes).length > 0 ? { boxes } : {});

export function subjectOfMedication(med: MedicationView, photos?: ReviewPhoto[]): ReviewSubject {
  const { id, status, confidence } = med;
  const medication = fieldsOf(med);
  return {
    mode: status === 'confirmed' ? 'edit' : 'confirm',
    id,
    medication,
    confidence: status === 'confirmed' ? null : confidence,
    alternatives: status === 'confirmed' ? null : med.alternatives,
    needsReview: status === 'needs_review',
    heading: status === 'confirmed' ? `Edit ${titleOf(med)}` : `Check ${titleOf(med)}`,
    personId: med.person_id,
    ...withPhotos(photos),
    ...(status !== 'confirmed' && withBoxes(boxesOf(med))),
  };
}

/** The review of a finished scan: its row in the list when there is one (it may have been edited), else the reading. */
export function subjectOfScan(job: ScanJob, med: MedicationView | undefined, photos?: ReviewPhoto[]): ReviewSubject | null {
  const result = job.phase === 'completed' ? job.view?.result : undefined;
  if (!result) return null;
  const duplicate = job.accepted?.duplicate?.submitted_at;
  const readAt = boxesOf(result);
  if (med) {
    const subject = subjectOfMedication(med, photos);
    // The draft's own boxes when the server keeps them there; else the reading's.
    const boxes = subject.mode === 'confirm' && !subject.boxes ? withBoxes(readAt) : {};
    return { ...subject, ...boxes, heading: `Check Scan ${job.number}`, ...(duplicate && { duplicateOf: duplicate }) };
  }
  return {
    ...(duplicate && { duplicateOf: duplicate }),
    mode: 'confirm',
    id: result.medication_id ?? jobIdOf(job) ?? null,
    medication: result.medication,
    confidence: result.confidence,
    alternatives: result.alternatives ?? null,
    needsReview: true,
    heading: `Check Scan ${job.number}`,
    ...withPhotos(photos),
    ...withBoxes(readAt),
  };
}

/** A medication typed in by hand, started from what a scan could read when there is one. */
export function manualSubject(prefill: Medication = EMPTY_MEDICATION, replaces?: string, photos?: ReviewPhoto[]): ReviewSubject {
  return {
    mode: 'new',
    id: null,
    medication: prefill,
    confidence: null,
    needsReview: false,
    heading: 'Add a medication',
    ...(replaces && { replaces }),
    ...withPhotos(photos),
  };
}

/** The request a press on the dialog's main button makes, or why it cannot. */
export type SaveAction =
  | { kind: 'confirm'; id: string; changes: Partial<Medication>; person?: PersonFields }
  | { kind: 'update'; id: string; changes: Partial<Medication>; person?: Pick<PersonFields, 'person_id'> }
  | { kind: 'add'; fields: Partial<Medication>; replaces?: string; person?: PersonFields }
  /** The reading is a new fill of `of`, a medication on the list: no second row. */
  | { kind: 'refill'; id: string; of: string; changes: Partial<Medication> }
  | { kind: 'none' }
  | { kind: 'invalid'; problems: Partial<Record<MedicationField, string>> };

/** What the person chose beside the fields: whose it is, and whether a reading is a refill of a medication on the list. */
export interface ReviewChoices {
  person?: PersonChoice;
  /** The medication this reading is a refill of; null or absent: a medication of its own. */
  refillOf?: string | null;
}

export function saveAction(subject: ReviewSubject, draft: MedicationDraft, choices: ReviewChoices = {}): SaveAction {
  // Typed in: every filled field is sent, so compare with an empty medication.
  const base = subject.mode === 'new' ? EMPTY_MEDICATION : subject.medication;
  const { changes, problems } = changesFrom(base, draft);
  const noName = nameProblem(draft);
  if (noName) problems.name = noName;
  if (Object.keys(problems).length > 0) return { kind: 'invalid', problems };
  const person = choices.person ? personFields(choices.person) : {};
  const withPerson = Object.keys(person).length > 0 ? { person } : {};
  if (subject.mode === 'new') return { kind: 'add', fields: changes, ...(subject.replaces && { replaces: subject.replaces }), ...withPerson };
  if (!subject.id) return { kind: 'invalid', problems: { name: 'This reading has no medication to save. Scan the label again.' } };
  if (subject.mode === 'confirm') {
    if (choices.refillOf) return { kind: 'refill', id: subject.id, of: choices.refillOf, changes };
    return { kind: 'confirm', id: subject.id, changes, ...withPerson };
  }
  // Editing: only a move to someone else (on the list, or nobody) is a change of person.
  const moved = choices.person?.kind === 'existing' ? choices.person.id : choices.person?.kind === 'none' ? null : undefined;
  const personChange = moved !== undefined && moved !== (subject.personId ?? null) ? { person: { person_id: moved } } : {};
  return Object.keys(changes).length > 0 || 'person' in personChange ? { kind: 'update', id: subject.id, changes, ...personChange } : { kind: 'none' };
}
