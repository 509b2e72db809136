import { describe, expect, it } from 'vitest';
import { emptyMedication, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import { keysOf, projectEvent, type Applied } from './event.projection.js';
import type { Med, MedHistory, OcrJob, Person } from './table.schema.js';

const JOB = 'job-event-0001';
const requested: OcrEvent = {
  type: 'ocr.requested',
  data: {
    job_id: JOB,
    image: { key: `${JOB}.jpg`, sha256: 'd'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 },
    submitted_at: '2026-11-28T10:00:00.000Z',
    attempt: 1,
    reason: 'new',
  },
};
const completed: OcrEvent = {
  type: 'ocr.completed',
  data: {
    job_id: JOB,
    attempt: 1,
    completed_at: '2026-11-28T10:00:02.000Z',
    ocr_text: 'AMOXICILLIN 500 MG',
    medication: { ...emptyMedication(), name: 'Amoxicillin', dosage: '500 mg' },
    confidence: { name: 0.9 },
    needs_review: true,
    timings_ms: {},
  },
};
const failed: OcrEvent = {
  type: 'ocr.failed',
  data: { job_id: JOB, attempt: 1, failed_at: '2026-11-28T10:00:02.000Z', error: { code: 'unreadable', message: 'no text' }, retryable: true },
};
const confirmed: MedEvent = {
  type: 'med.confirmed',
  data: { med_id: JOB, source_job_id: JOB, medication: { ...emptyMedication(), name: 'Amoxicillin' }, confirmed_at: '2026-11-28T10:05:00.000Z' },
};

/** The in-memory tables a rebuild keeps: each event sees the rows keysOf names, as the live projector does. */
function project(events: (OcrEvent | MedEvent)[]): { jobs: Map<string, OcrJob>; meds: Map<string, Med>; applied: Applied[] } {
  const jobs = new Map<string, OcrJob>();
  const meds = new Map<string, Med>();
  const applied: Applied[] = [];
  events.forEach((event, i) => {
    const { jobId, medIds } = keysOf(event);
    const touched = new Map(medIds.filter((id) => meds.has(id)).map((id) => [id, meds.get(id)!]));
    const result = projectEvent(event, i + 1, { job: jobId ? jobs.get(jobId) ?? null : null, meds: touched, people: new Map() });
    if (result.job) jobs.set(result.job.job_id, result.job);
    for (const m of result.meds ?? []) meds.set(m.id, m);
    applied.push(result);
  });
  return { jobs, meds, applied };
}

describe('keysOf', () => {
  it('names the job of an OCR event, and its medication only for a completed reading', () => {
    expect(keysOf(requested)).toEqual({ jobId: JOB, medIds: [], personIds: [] });
    expect(keysOf(completed)).toEqual({ jobId: JOB, medIds: [JOB], personIds: [] });
    expect(keysOf(failed)).toEqual({ jobId: JOB, medIds: [], personIds: [] });
  });

  it('names only the medication of a person’s change; a refill names the draft it uses up too; a merge both people', () => {
    expect(keysOf(confirmed)).toEqual({ jobId: null, medIds: [JOB], personIds: [] });
    const fill = { date_filled: null, discard_after: null, quantity: null, quantity_unit: null, refills: null };
    expect(keysOf({ type: 'med.refilled', data: { med_id: JOB, draft_id: 'draft-0001', source_job_id: 'draft-0001', fill, refilled_at: confirmed.data.confirmed_at } })).toEqual({
      jobId: null,
      medIds: [JOB, 'draft-0001'],
      personIds: [],
    });
    expect(keysOf({ type: 'med.person.merged', data: { person_id: 'person-a', into_person_id: 'person-b', merged_at: confirmed.data.confirmed_at } })).toEqual({
      jobId: null,
      medIds: [],
      personIds: ['person-a', 'person-b'],
    });
  });
});

describe('projectEvent', () => {
  it('given a requested job, when its reading completes, then the job is completed and a draft medication appears', () => {
    const { jobs, meds, applied } = project([requested, completed]);
    expect(applied[1]).toEqual({
      job: expect.objectContaining({ status: 'completed' }),
      meds: [expect.objectContaining({ id: JOB, status: 'needs_review' })],
      history: [expect.objectContaining({ kind: 'scanned', med_id: JOB })],
    });
    expect(jobs.get(JOB)).toMatchObject({ status: 'completed', medication_id: JOB });
    expect(meds.get(JOB)).toMatchObject({ name: 'Amoxicillin', dosage: '500 mg' });
  });

  it('given a requested job, when it fails, then only the job changes', () => {
    const { jobs, meds, applied } = project([requested, failed]);
    expect(applied[1]).toEqual({ job: expect.objectContaining({ status: 'failed', error_code: 'unreadable' }) });
    expect(jobs.get(JOB)?.status).toBe('failed');
    expect(meds.size).toBe(0);
  });

  it('given a confirmed medication, when the same reading completes again (a replay), then the job is updated and the medication is not', () => {
    const { meds, applied } = project([requested, completed, confirmed, { ...requested, data: { ...requested.data, attempt: 2, reason: 'replay' } }, { ...completed, data: { ...completed.data, attempt: 2 } }]);
    expect(applied[4]).toEqual({ job: expect.objectContaining({ attempt: 2, status: 'completed' }) });
    expect(meds.get(JOB)).toMatchObject({ status: 'confirmed' });
  });

  it('given a completed job, when its request and reading arrive again (a redelivery), then the job does not change', () => {
    const once = project([requested, completed, confirmed]);
    const twice = project([requested, completed, confirmed, requested, completed, confirmed]);
    expect(twice.applied.slice(3).filter((a) => a.job)).toEqual([]);
    expect(twice.jobs.get(JOB)).toEqual(once.jobs.get(JOB));
  });
});

const at = (m: number) => new Date(Date.UTC(2026, 10, 28, 10, m)).toISOString();
type Stored = { stream: 'OCR' | 'MEDS'; seq: number; event: OcrEvent | MedEvent };

/** Folds events in the given order, each stream's sequence as stored: what the tables end up holding. */
function fold(events: Stored[]) {
  const jobs = new Map<string, OcrJob>();
  const meds = new Map<string, Med>();
  const people = new Map<string, Person>();
  const history = new Map<string, MedHistory>();
  for (const { seq, event } of events) {
    const k = keysOf(event);
    const pick = <T>(rows: Map<string, T>, ids: string[]) => new Map(ids.filter((id) => rows.has(id)).map((id) => [id, rows.get(id)!]));
    const r = projectEvent(event, seq, { job: k.jobId ? jobs.get(k.jobId) ?? null : null, meds: pick(meds, k.medIds), people: pick(people, k.personIds) });
    if (r.job) jobs.set(r.job.job_id, r.job);
    for (const m of r.meds ?? []) meds.set(m.id, m);
    for (const p of r.people ?? []) people.set(p.id, p);
    for (const h of r.history ?? []) history.set(h.id, h);
  }
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  return { jobs: sorted(jobs), meds: sorted(meds), people: sorted(people), history: sorted(history) };
}

const scan = (jobId: string, m: number, fields: object): OcrEvent[] => [
  {
    type: 'ocr.requested',
    data: { job_id: jobId, image: { key: `${jobId}.jpg`, sha256: 'a'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 }, submitted_at: at(m), attempt: 1, reason: 'new' },
  },
  {
    type: 'ocr.completed',
    data: { job_id: jobId, attempt: 1, completed_at: at(m), ocr_text: '', medication: { ...emptyMedication(), ...fields }, confidence: {}, needs_review: true, timings_ms: {} },
  },
];

describe('live and rebuilt projections agree', () => {
  it('gives the same rows and history whether the streams are applied interleaved (live) or OCR first (ops rebuild)', () => {
    const label = { name: 'Lisinopril', dosage: '10 mg', rx_number: '612345', pharmacy: 'CVS', patient: 'SMITH, SARAH' };
    // As it happened: scan, add Sarah and confirm, rescan, record it as a refill, stop, delete, undo.
    const live: Stored[] = [];
    const seq = { OCR: 0, MEDS: 0 };
    const put = (stream: 'OCR' | 'MEDS', event: OcrEvent | MedEvent) => live.push({ stream, seq: ++seq[stream], event });
    for (const e of scan('job-first-01', 0, label)) put('OCR', e);
    put('MEDS', { type: 'med.person.added', data: { person_id: 'person-sarah', name: 'Sarah Smith', added_at: at(1) } });
    put('MEDS', { type: 'med.confirmed', data: { med_id: 'job-first-01', source_job_id: 'job-first-01', medication: { ...emptyMedication(), ...label }, person_id: 'person-sarah', corrected: [], confirmed_at: at(1) } });
    for (const e of scan('job-again-02', 5, { ...label, date_filled: '2026-11-20' })) put('OCR', e);
    put('MEDS', {
      type: 'med.refilled',
      data: { med_id: 'job-first-01', draft_id: 'job-again-02', source_job_id: 'job-again-02', fill: { date_filled: '2026-11-20', discard_after: null, quantity: 30, quantity_unit: null, refills: 1 }, refilled_at: at(6) },
    });
    put('MEDS', { type: 'med.stopped', data: { med_id: 'job-first-01', stopped_at: at(7) } });
    put('MEDS', { type: 'med.deleted', data: { med_id: 'job-first-01', deleted_at: at(8) } });
    put('MEDS', { type: 'med.restored', data: { med_id: 'job-first-01', restored_at: at(9) } });
    // A replay of the first scan after all of it.
    put('OCR', { ...scan('job-first-01', 10, { ...label, name: 'Misread' })[0]!, data: { ...(scan('job-first-01', 10, label)[0]!.data as object), attempt: 2, reason: 'replay' } } as OcrEvent);
    put('OCR', { type: 'ocr.completed', data: { ...(scan('job-first-01', 10, { ...label, name: 'Misread' })[1]!.data as object), attempt: 2 } } as OcrEvent);

    const rebuilt = [...live.filter((e) => e.stream === 'OCR'), ...live.filter((e) => e.stream === 'MEDS')];
    const a = fold(live);
    const b = fold(rebuilt);
    expect(b).toEqual(a);
    const med = new Map(a.meds).get('job-first-01')!;
    expect(med).toMatchObject({ name: 'Lisinopril', status: 'confirmed', date_filled: '2026-11-20', stopped_at: at(7), deleted_at: null, person_id: 'person-sarah' });
    expect(new Map(a.meds).get('job-again-02')).toMatchObject({ replaced_by: 'job-first-01' });
    expect(a.history.filter(([, h]) => h.med_id === 'job-first-01').map(([, h]) => h.kind).sort()).toEqual(['confirmed', 'deleted', 'refilled', 'restored', 'scanned', 'stopped']);
  });
});
