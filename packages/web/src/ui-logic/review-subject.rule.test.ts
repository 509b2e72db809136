import { describe, expect, it } from 'vitest';
import type { MedicationView } from '@rxscan/contracts';
import { draftOf } from './review.form.js';
import { manualSubject, saveAction, subjectOfMedication, subjectOfScan } from './review-subject.rule.js';
import { newScan, withStatus } from './scan-job.state.js';
import { JOB_ID, medication, medicationRow, view } from './test.fixtures.js';

const row = (over: Partial<MedicationView> = {}): MedicationView => medicationRow('m1', { source_job_id: 'j1', confidence: { dosage: 0.5 }, ...over });

describe('review subject', () => {
  it('a draft is confirmed (with its doubts); a confirmed medication is edited (no doubts)', () => {
    expect(subjectOfMedication(row())).toMatchObject({ mode: 'confirm', id: 'm1', confidence: { dosage: 0.5 }, needsReview: true });
    const edit = subjectOfMedication(row({ status: 'confirmed' }), [{ url: 'blob:photo', index: 0 }]);
    expect(edit).toMatchObject({ mode: 'edit', confidence: null, photos: [{ url: 'blob:photo', index: 0 }], heading: 'Edit Lisinopril 10 mg' });
    expect(Object.keys(edit.medication)).not.toContain('source_job_id');
  });

  it('a finished scan is reviewed from its row when the list has it, else from the reading', () => {
    const done = withStatus(newScan('k', 4, 'a.jpg', 0), view('completed'), 1000);
    expect(subjectOfScan(done, undefined)).toMatchObject({ mode: 'confirm', id: JOB_ID, heading: 'Check Scan 4' });
    expect(subjectOfScan(done, row({ dosage: '20 mg' }))!.medication.dosage).toBe('20 mg');
    expect(subjectOfScan(newScan('k', 1, 'a.jpg', 0), undefined)).toBeNull();
  });

  it('a reading carries where each field was read, a confirmed medication none', () => {
    const box = { image: 1, x: 0.1, y: 0.2, w: 0.3, h: 0.05 };
    const reading = view('completed');
    const withBoxes = { ...reading, result: { ...reading.result!, boxes: { dosage: box } } };
    const done = withStatus(newScan('k', 4, 'a.jpg', 0), withBoxes, 1000);
    expect(subjectOfScan(done, undefined)!.boxes).toEqual({ dosage: box });
    expect(subjectOfScan(done, row())!.boxes).toEqual({ dosage: box });
    expect(subjectOfMedication(row({ status: 'confirmed', boxes: { dosage: box } } as Partial<MedicationView>)).boxes).toBeUndefined();
    expect(subjectOfMedication(row({ boxes: { name: box } } as Partial<MedicationView>)).boxes).toEqual({ name: box });
  });

  it('confirms with only what the person changed', () => {
    const subject = subjectOfMedication(row());
    expect(saveAction(subject, { ...draftOf(subject.medication), dosage: '20 mg' })).toEqual({ kind: 'confirm', id: 'm1', changes: { dosage: '20 mg' } });
  });

  it('saves an edit only when something changed', () => {
    const subject = subjectOfMedication(row({ status: 'confirmed' }));
    expect(saveAction(subject, draftOf(subject.medication))).toEqual({ kind: 'none' });
    expect(saveAction(subject, { ...draftOf(subject.medication), refills: '0' })).toEqual({ kind: 'update', id: 'm1', changes: { refills: 0 } });
  });

  it('adds a typed-in medication with every filled field, replacing a nameless draft', () => {
    const subject = manualSubject(medication({ name: null, quantity: 30 }), 'draft-1');
    const action = saveAction(subject, { ...draftOf(subject.medication), name: 'Metformin' });
    expect(action).toMatchObject({ kind: 'add', replaces: 'draft-1', fields: { name: 'Metformin', quantity: 30, dosage: '10 mg' } });
  });

  it('refuses to save without a name, or with a number it cannot send', () => {
    const subject = manualSubject();
    const action = saveAction(subject, { ...draftOf(subject.medication), quantity: 'lots' });
    expect(action).toMatchObject({ kind: 'invalid', problems: { name: expect.any(String), quantity: expect.any(String) } });
  });

  it('a reading offered as a refill is saved as one, unless the person says it is a different medication', () => {
    const subject = subjectOfMedication(row());
    const draft = { ...draftOf(subject.medication), refills: '1' };
    expect(saveAction(subject, draft, { refillOf: 'older' })).toEqual({ kind: 'refill', id: 'm1', of: 'older', changes: { refills: 1 } });
    expect(saveAction(subject, draft, { refillOf: null, person: { kind: 'new', name: 'Ann Lee' } })).toEqual({
      kind: 'confirm',
      id: 'm1',
      changes: { refills: 1 },
      person: { new_person: 'Ann Lee' },
    });
  });

  it('moving a confirmed medication to someone else is a change, even with no field changed', () => {
    const subject = subjectOfMedication(row({ status: 'confirmed', person_id: 'sarah' }));
    const draft = draftOf(subject.medication);
    expect(saveAction(subject, draft, { person: { kind: 'existing', id: 'sarah' } })).toEqual({ kind: 'none' });
    expect(saveAction(subject, draft, { person: { kind: 'existing', id: 'tom' } })).toEqual({ kind: 'update', id: 'm1', changes: {}, person: { person_id: 'tom' } });
  });

  it('refuses a fill date that is not a day', () => {
    const subject = subjectOfMedication(row());
    expect(saveAction(subject, { ...draftOf(subject.medication), date_filled: '2026-02-31' })).toMatchObject({ kind: 'invalid', problems: { date_filled: expect.any(String) } });
  });
});
