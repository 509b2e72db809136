import { describe, expect, it } from 'vitest';
import { emptyMedication, type MedEvent, type Medication, type OcrCompleted } from '@rxscan/contracts';
import { draftFromCompleted, evolveMed } from './med.projection.js';
import type { Med } from './table.schema.js';

const JOB = 'job-med-0001';
const reading: OcrCompleted = {
  job_id: JOB,
  attempt: 1,
  completed_at: '2026-11-28T10:00:02.000Z',
  ocr_text: 'LISINOPRIL 10 MG',
  medication: { ...emptyMedication(), name: 'Lisinopril', dosage: '10 mg', schedule: 'Once daily', quantity: 30 },
  confidence: { name: 0.97, dosage: 0.62, schedule: 0.9, quantity: 0.95 },
  needs_review: true,
  timings_ms: {},
};
const confirmed = (medication = reading.medication, at = '2026-11-28T10:05:00.000Z'): MedEvent => ({
  type: 'med.confirmed',
  data: { med_id: JOB, source_job_id: JOB, medication, confirmed_at: at },
});
const updated = (changes: Partial<Medication>): MedEvent => ({
  type: 'med.updated',
  data: { med_id: JOB, changes, updated_at: '2026-11-28T10:06:00.000Z' },
});
const deleted: MedEvent = { type: 'med.deleted', data: { med_id: JOB, deleted_at: '2026-11-28T10:07:00.000Z' } };

/** Folds events into one row as the projector does: null means "no change". */
const apply = (row: Med | null, ...events: MedEvent[]): Med | null =>
  events.reduce<Med | null>((current, e, i) => evolveMed(current, e, 10 + i) ?? current, row);

describe('draftFromCompleted', () => {
  it('given a completed reading, when nothing is listed yet, then it becomes a draft to check, keyed by the job', () => {
    const draft = draftFromCompleted(null, reading, 3);
    expect(draft).toMatchObject({ id: JOB, name: 'Lisinopril', dosage: '10 mg', status: 'needs_review', source_job_id: JOB, last_seq: 3 });
    expect(draft?.confidence).toEqual(reading.confidence);
    expect(draft?.created_at).toBe(reading.completed_at);
  });

  it('given an unconfirmed draft, when a retry reads the label again, then the new reading replaces it but keeps when it was first listed', () => {
    const first = draftFromCompleted(null, reading, 3)!;
    const again = draftFromCompleted(first, { ...reading, attempt: 2, completed_at: '2026-11-28T11:00:00.000Z', medication: { ...reading.medication, dosage: '20 mg' } }, 8);
    expect(again).toMatchObject({ dosage: '20 mg', created_at: reading.completed_at, updated_at: '2026-11-28T11:00:00.000Z', last_seq: 8 });
  });

  it('given a medication a person confirmed, when a reading of the same job arrives, then nothing changes', () => {
    const mine = apply(draftFromCompleted(null, reading, 3), confirmed());
    expect(draftFromCompleted(mine, reading, 20)).toBeNull();
  });

  it('given a medication a person deleted, when a replayed reading arrives, then it does not come back', () => {
    const gone = apply(draftFromCompleted(null, reading, 3), deleted);
    expect(draftFromCompleted(gone, reading, 20)).toBeNull();
  });

  it('keeps only the contract fields of a reading', () => {
    const extra = { ...reading, medication: { ...reading.medication, colour: 'blue' } as typeof reading.medication };
    expect(draftFromCompleted(null, extra, 1)).not.toHaveProperty('colour');
  });
});

describe('evolveMed', () => {
  it('given a draft, when a person confirms it with edits, then it is confirmed with their values and no confidence left', () => {
    const row = apply(draftFromCompleted(null, reading, 3), confirmed({ ...reading.medication, dosage: '20 mg' }));
    expect(row).toMatchObject({ status: 'confirmed', dosage: '20 mg', confidence: null, created_at: reading.completed_at, last_seq: 10 });
  });

  it('given nothing listed, when a person types a medication in, then it is listed as confirmed', () => {
    const typed: MedEvent = { type: 'med.confirmed', data: { med_id: 'typed-0001', source_job_id: null, medication: { ...emptyMedication(), name: 'Vitamin D' }, confirmed_at: '2026-11-28T12:00:00.000Z' } };
    expect(evolveMed(null, typed, 4)).toMatchObject({ id: 'typed-0001', name: 'Vitamin D', status: 'confirmed', source_job_id: null, created_at: '2026-11-28T12:00:00.000Z' });
  });

  it('given a draft, when a person edits a field, then that field changes and becomes certain, the others keep their doubt', () => {
    const row = apply(draftFromCompleted(null, reading, 3), updated({ dosage: '20 mg' }));
    expect(row).toMatchObject({ dosage: '20 mg', status: 'needs_review', updated_at: '2026-11-28T10:06:00.000Z' });
    expect(row?.confidence).toEqual({ ...reading.confidence, dosage: 1 });
  });

  it('given a confirmed medication, when a person edits it, then it stays confirmed without confidence', () => {
    const row = apply(draftFromCompleted(null, reading, 3), confirmed(), updated({ quantity: 90 }));
    expect(row).toMatchObject({ quantity: 90, status: 'confirmed', confidence: null });
  });

  it('given a medication, when a person deletes it, then it is marked deleted (kept, so a replay cannot bring it back)', () => {
    const row = apply(draftFromCompleted(null, reading, 3), deleted);
    expect(row).toMatchObject({ id: JOB, deleted_at: '2026-11-28T10:07:00.000Z', updated_at: '2026-11-28T10:07:00.000Z' });
  });

  it('changes nothing when an edit or a delete concerns a medication that is not there or already deleted', () => {
    expect(evolveMed(null, updated({ dosage: '1 mg' }), 5)).toBeNull();
    expect(evolveMed(null, deleted, 5)).toBeNull();
    const gone = apply(draftFromCompleted(null, reading, 3), deleted);
    expect(evolveMed(gone, updated({ dosage: '1 mg' }), 6)).toBeNull();
    expect(evolveMed(gone, deleted, 6)).toBeNull();
  });
});
