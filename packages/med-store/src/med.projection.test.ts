import { describe, expect, it } from 'vitest';
import { emptyMedication, type MedEvent, type OcrCompleted } from '@rxscan/contracts';
import { draftFromCompleted, evolveMeds, type MedicationEvent } from './med.projection.js';
import type { Med, MedHistory } from './table.schemas.js';

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
const confirm = (id: string, m: number, fields = {}, person_id: string | null = 'person-sarah'): MedEvent => ({
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
