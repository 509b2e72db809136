import { describe, expect, it } from 'vitest';
import { emptyMedication, type MedEvent, type Medication, type OcrCompleted } from '@rxscan/contracts';
import { draftFromCompleted, evolveMeds, type MedicationEvent } from './med.projection.js';
import type { Med, MedHistory } from './table.schema.js';

const at = (m: number) => new Date(Date.UTC(2026, 10, 28, 10, m)).toISOString();
const reading = (jobId: string, fields: Partial<ReturnType<typeof emptyMedication>> = {}): OcrCompleted => ({
  job_id: jobId,
  attempt: 1,
  completed_at: at(0),
  ocr_text: '',
  medication: { ...emptyMedication(), name: 'Lisinopril', dosage: '10 mg', rx_number: '612345', pharmacy: 'CVS', ...fields },
  confidence: { name: 0.9 },
  needs_review: true,
  timings_ms: {},
});

/** Folds events over rows by id, as the repository does: each event sees the rows it names. */
function run(events: MedicationEvent[], start: Med[] = []): { meds: Map<string, Med>; history: MedHistory[] } {
  const meds = new Map(start.map((m) => [m.id, m]));
  const history: MedHistory[] = [];
  events.forEach((e, i) => {
    const change = evolveMeds(meds, e, 100 + i);
    for (const m of change.meds) meds.set(m.id, m);
    history.push(...change.history);
  });
  return { meds, history };
}

const draft = (jobId: string, fields = {}) => draftFromCompleted(null, reading(jobId, fields), 1).meds[0]!;
const confirm = (id: string, m: number, fields = {}, person_id: string | null = 'person-sarah'): MedicationEvent => ({
  type: 'med.confirmed',
  data: {
    med_id: id,
    source_job_id: id,
    medication: { ...emptyMedication(), name: 'Lisinopril', dosage: '10 mg', rx_number: '612345', pharmacy: 'CVS', ...fields },
    person_id,
    corrected: Object.keys(fields) as (keyof ReturnType<typeof emptyMedication>)[],
    confirmed_at: at(m),
  },
});

/** One row in, the row it becomes out (null: no change), as the projector sees a single medication. */
const draftOf = (current: Med | null, e: OcrCompleted, seq: number): Med | null => draftFromCompleted(current, e, seq).meds[0] ?? null;
const evolveMed = (current: Med | null, e: MedEvent, seq: number): Med | null =>
  evolveMeds(current ? new Map([[current.id, current]]) : new Map(), e as MedicationEvent, seq).meds.find((m) => m.id === (e as MedicationEvent).data.med_id) ?? null;

const JOB = 'job-med-0001';
/** main's cases of a single medication, as before people and refills. */
const mainReading: OcrCompleted = {
  job_id: JOB,
  attempt: 1,
  completed_at: '2026-11-28T10:00:02.000Z',
  ocr_text: 'LISINOPRIL 10 MG',
  medication: { ...emptyMedication(), name: 'Lisinopril', dosage: '10 mg', schedule: 'Once daily', quantity: 30 },
  confidence: { name: 0.97, dosage: 0.62, schedule: 0.9, quantity: 0.95 },
  needs_review: true,
  timings_ms: {},
};
const confirmed = (medication: Medication = mainReading.medication, at = '2026-11-28T10:05:00.000Z'): MedEvent => ({
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

describe('draftFromCompleted, one row at a time', () => {
  it('given a completed reading, when nothing is listed yet, then it becomes a draft to check, keyed by the job', () => {
    const draft = draftOf(null, mainReading, 3);
    expect(draft).toMatchObject({ id: JOB, name: 'Lisinopril', dosage: '10 mg', status: 'needs_review', source_job_id: JOB, last_seq: 3 });
    expect(draft?.confidence).toEqual(mainReading.confidence);
    expect(draft?.created_at).toBe(mainReading.completed_at);
  });

  it('given an unconfirmed draft, when a retry reads the label again, then the new reading replaces it but keeps when it was first listed', () => {
    const first = draftOf(null, mainReading, 3)!;
    const again = draftOf(first, { ...mainReading, attempt: 2, completed_at: '2026-11-28T11:00:00.000Z', medication: { ...mainReading.medication, dosage: '20 mg' } }, 8);
    expect(again).toMatchObject({ dosage: '20 mg', created_at: mainReading.completed_at, updated_at: '2026-11-28T11:00:00.000Z', last_seq: 8 });
  });

  it('given a medication a person confirmed, when a reading of the same job arrives, then nothing changes', () => {
    const mine = apply(draftOf(null, mainReading, 3), confirmed());
    expect(draftOf(mine, mainReading, 20)).toBeNull();
  });

  it('given a medication a person deleted, when a replayed reading arrives, then it does not come back', () => {
    const gone = apply(draftOf(null, mainReading, 3), deleted);
    expect(draftOf(gone, mainReading, 20)).toBeNull();
  });

  it('keeps only the contract fields of a reading', () => {
    const extra = { ...mainReading, medication: { ...mainReading.medication, colour: 'blue' } as typeof mainReading.medication };
    expect(draftOf(null, extra, 1)).not.toHaveProperty('colour');
  });
});

describe('evolveMeds, one row at a time', () => {
  it('given a draft, when a person confirms it with edits, then it is confirmed with their values and no confidence left', () => {
    const row = apply(draftOf(null, mainReading, 3), confirmed({ ...mainReading.medication, dosage: '20 mg' }));
    expect(row).toMatchObject({ status: 'confirmed', dosage: '20 mg', confidence: null, created_at: mainReading.completed_at, last_seq: 10 });
  });

  it('given nothing listed, when a person types a medication in, then it is listed as confirmed', () => {
    const typed: MedEvent = { type: 'med.confirmed', data: { med_id: 'typed-0001', source_job_id: null, medication: { ...emptyMedication(), name: 'Vitamin D' }, confirmed_at: '2026-11-28T12:00:00.000Z' } };
    expect(evolveMed(null, typed, 4)).toMatchObject({ id: 'typed-0001', name: 'Vitamin D', status: 'confirmed', source_job_id: null, created_at: '2026-11-28T12:00:00.000Z' });
  });

  it('given a draft, when a person edits a field, then that field changes and becomes certain, the others keep their doubt', () => {
    const row = apply(draftOf(null, mainReading, 3), updated({ dosage: '20 mg' }));
    expect(row).toMatchObject({ dosage: '20 mg', status: 'needs_review', updated_at: '2026-11-28T10:06:00.000Z' });
    expect(row?.confidence).toEqual({ ...mainReading.confidence, dosage: 1 });
  });

  it('given a reading other looks disagreed with, then the draft keeps what they read until a person settles each field', () => {
    const disputed: OcrCompleted = {
      ...mainReading,
      alternatives: { dosage: [{ value: '20 mg', source: 'second reader' }], quantity: [{ value: 90, source: 'photo 2' }] },
    };
    const draft = draftOf(null, disputed, 3);
    expect(draft?.alternatives).toEqual(disputed.alternatives);
    // Choosing a value for the dosage settles the dosage only; confirming settles everything.
    expect(apply(draft, updated({ dosage: '20 mg' }))?.alternatives).toEqual({ quantity: [{ value: 90, source: 'photo 2' }] });
    expect(apply(draft, updated({ dosage: '20 mg', quantity: 90 }))?.alternatives).toBeNull();
    expect(apply(draft, confirmed())?.alternatives).toBeNull();
    // An older reading without the field: nothing to show.
    expect(draftOf(null, mainReading, 3)?.alternatives).toBeNull();
  });

  it('given a confirmed medication, when a person edits it, then it stays confirmed without confidence', () => {
    const row = apply(draftOf(null, mainReading, 3), confirmed(), updated({ quantity: 90 }));
    expect(row).toMatchObject({ quantity: 90, status: 'confirmed', confidence: null });
  });

  it('given a medication, when a person deletes it, then it is marked deleted (kept, so a replay cannot bring it back)', () => {
    const row = apply(draftOf(null, mainReading, 3), deleted);
    expect(row).toMatchObject({ id: JOB, deleted_at: '2026-11-28T10:07:00.000Z', updated_at: '2026-11-28T10:07:00.000Z' });
  });

  it('changes nothing when an edit or a delete concerns a medication that is not there or already deleted', () => {
    expect(evolveMed(null, updated({ dosage: '1 mg' }), 5)).toBeNull();
    expect(evolveMed(null, deleted, 5)).toBeNull();
    const gone = apply(draftOf(null, mainReading, 3), deleted);
    expect(evolveMed(gone, updated({ dosage: '1 mg' }), 6)).toBeNull();
    expect(evolveMed(gone, deleted, 6)).toBeNull();
  });
});

describe('a scan becomes a draft', () => {
  it('given a first reading, the draft has every label field and one "scanned" line of history', () => {
    const change = draftFromCompleted(null, reading('job-a-0001', { patient: 'SMITH, SARAH', date_filled: '2026-11-20' }), 7);
    expect(change.meds[0]).toMatchObject({ id: 'job-a-0001', status: 'needs_review', patient: 'SMITH, SARAH', date_filled: '2026-11-20', discard_after: null, person_id: null });
    expect(change.history).toEqual([expect.objectContaining({ kind: 'scanned', med_id: 'job-a-0001', stream: 'OCR', seq: 7 })]);
  });

  it('a second reading of the same scan (a replay) changes the draft but adds no history line', () => {
    const first = draft('job-a-0001');
    const again = draftFromCompleted(first, reading('job-a-0001', { dosage: '20 mg' }), 9);
    expect(again.meds[0]).toMatchObject({ dosage: '20 mg', created_at: first.created_at });
    expect(again.history).toEqual([]);
  });

  it('a reading from before the record fields existed gives null for them, not undefined', () => {
    const old = reading('job-old-0001');
    for (const f of ['patient', 'date_filled', 'discard_after', 'pharmacy_phone', 'quantity_unit'] as const) delete old.medication[f];
    const med = draftFromCompleted(null, old, 1).meds[0]!;
    expect([med.patient, med.date_filled, med.discard_after, med.pharmacy_phone, med.quantity_unit]).toEqual([null, null, null, null, null]);
  });
});

describe('evolveMeds', () => {
  it('confirming a draft records the fields the person corrected, and whose it is', () => {
    const { meds, history } = run([confirm('job-a-0001', 1, { dosage: '20 mg' })], [draft('job-a-0001')]);
    expect(meds.get('job-a-0001')).toMatchObject({ status: 'confirmed', dosage: '20 mg', person_id: 'person-sarah', confidence: null });
    expect(history).toEqual([expect.objectContaining({ kind: 'confirmed', detail: { fields: ['dosage'], person_id: 'person-sarah' } })]);
  });

  it('an edit lists only the fields that really changed; an edit that changes nothing is no history', () => {
    const { meds, history } = run(
      [
        confirm('m-0000001', 1),
        { type: 'med.updated', data: { med_id: 'm-0000001', changes: { refills: 3, dosage: '10 mg' }, updated_at: at(2) } },
        { type: 'med.updated', data: { med_id: 'm-0000001', changes: { refills: 3 }, updated_at: at(3) } },
      ],
      [],
    );
    expect(meds.get('m-0000001')!.refills).toBe(3);
    expect(history.map((h) => [h.kind, h.detail?.fields])).toEqual([
      ['confirmed', []],
      ['edited', ['refills']],
    ]);
  });

  it('stop moves it to the past, take again brings it back; a second stop changes nothing', () => {
    const { meds, history } = run([
      confirm('m-0000001', 1),
      { type: 'med.stopped', data: { med_id: 'm-0000001', stopped_at: at(2) } },
      { type: 'med.stopped', data: { med_id: 'm-0000001', stopped_at: at(3) } },
    ]);
    expect(meds.get('m-0000001')!.stopped_at).toBe(at(2));
    expect(history.map((h) => h.kind)).toEqual(['confirmed', 'stopped']);
    const resumed = run([{ type: 'med.resumed', data: { med_id: 'm-0000001', resumed_at: at(4) } }], [...meds.values()]);
    expect(resumed.meds.get('m-0000001')!.stopped_at).toBeNull();
  });

  it('a delete can be undone; a deleted medication is not edited, stopped or assigned', () => {
    const { meds } = run([confirm('m-0000001', 1), { type: 'med.deleted', data: { med_id: 'm-0000001', deleted_at: at(2) } }]);
    expect(meds.get('m-0000001')!.deleted_at).toBe(at(2));
    for (const e of [
      { type: 'med.updated', data: { med_id: 'm-0000001', changes: { refills: 1 }, updated_at: at(3) } },
      { type: 'med.stopped', data: { med_id: 'm-0000001', stopped_at: at(3) } },
      { type: 'med.assigned', data: { med_id: 'm-0000001', person_id: null, assigned_at: at(3) } },
    ] as MedicationEvent[]) {
      expect(evolveMeds(meds, e, 200)).toEqual({ meds: [], history: [] });
    }
    const restored = run([{ type: 'med.restored', data: { med_id: 'm-0000001', restored_at: at(4) } }], [...meds.values()]);
    expect(restored.meds.get('m-0000001')).toMatchObject({ deleted_at: null, status: 'confirmed', person_id: 'person-sarah' });
    expect(restored.history.map((h) => h.kind)).toEqual(['restored']);
  });

  it('a refill gives the medication the new fill, keeps what the new label did not say, and uses up the draft for good', () => {
    const original = run([confirm('job-a-0001', 1, { date_filled: '2026-10-01', quantity: 30, refills: 3, quantity_unit: 'tablet' })], [draft('job-a-0001')]).meds.get('job-a-0001')!;
    const rescan = draft('job-b-0002', { date_filled: '2026-11-01', quantity: 30, refills: 2 });
    const refill: MedicationEvent = {
      type: 'med.refilled',
      data: {
        med_id: 'job-a-0001',
        draft_id: 'job-b-0002',
        source_job_id: 'job-b-0002',
        fill: { date_filled: '2026-11-01', discard_after: null, quantity: 30, quantity_unit: null, refills: 2 },
        refilled_at: at(5),
      },
    };
    const { meds, history } = run([refill], [original, rescan]);
    expect(meds.get('job-a-0001')).toMatchObject({ date_filled: '2026-11-01', refills: 2, quantity_unit: 'tablet', status: 'confirmed', deleted_at: null });
    expect(meds.get('job-b-0002')).toMatchObject({ deleted_at: at(5), replaced_by: 'job-a-0001' });
    expect(history).toEqual([expect.objectContaining({ med_id: 'job-a-0001', kind: 'refilled', detail: expect.objectContaining({ source_job_id: 'job-b-0002' }) })]);
    // The used-up draft is not a delete to undo, and a replay of its scan does not bring it back.
    expect(evolveMeds(meds, { type: 'med.restored', data: { med_id: 'job-b-0002', restored_at: at(6) } }, 300).meds).toEqual([]);
    expect(draftFromCompleted(meds.get('job-b-0002')!, reading('job-b-0002'), 301).meds).toEqual([]);
  });

  it('applied twice, each event changes nothing the second time', () => {
    const events: MedicationEvent[] = [
      confirm('m-0000001', 1) as MedicationEvent,
      { type: 'med.updated', data: { med_id: 'm-0000001', changes: { refills: 2 }, updated_at: at(2) } },
      { type: 'med.assigned', data: { med_id: 'm-0000001', person_id: 'person-tom', assigned_at: at(3) } },
      { type: 'med.stopped', data: { med_id: 'm-0000001', stopped_at: at(4) } },
      { type: 'med.resumed', data: { med_id: 'm-0000001', resumed_at: at(5) } },
      { type: 'med.deleted', data: { med_id: 'm-0000001', deleted_at: at(6) } },
      { type: 'med.restored', data: { med_id: 'm-0000001', restored_at: at(7) } },
    ];
    const meds = new Map<string, Med>();
    events.forEach((e, i) => {
      const once = evolveMeds(meds, e, i + 1);
      for (const m of once.meds) meds.set(m.id, m);
      const twice = evolveMeds(meds, e, i + 1);
      if (e.type === 'med.confirmed') expect(twice.meds).toEqual(once.meds);
      else expect(twice).toEqual({ meds: [], history: [] });
    });
  });
});
