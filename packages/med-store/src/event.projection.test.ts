import { describe, expect, it } from 'vitest';
import { emptyMedication, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import { keysOf, projectEvent, type Applied } from './event.projection.js';
import type { Med, OcrJob } from './table.schema.js';

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
    const { jobId, medId } = keysOf(event);
    const result = projectEvent(event, i + 1, { job: jobId ? jobs.get(jobId) ?? null : null, med: medId ? meds.get(medId) ?? null : null });
    if (result.job) jobs.set(result.job.job_id, result.job);
    if (result.med) meds.set(result.med.id, result.med);
    applied.push(result);
  });
  return { jobs, meds, applied };
}

describe('keysOf', () => {
  it('names the job of an OCR event, and its medication only for a completed reading', () => {
    expect(keysOf(requested)).toEqual({ jobId: JOB, medId: null });
    expect(keysOf(completed)).toEqual({ jobId: JOB, medId: JOB });
    expect(keysOf(failed)).toEqual({ jobId: JOB, medId: null });
  });

  it('names only the medication of a person’s change', () => {
    expect(keysOf(confirmed)).toEqual({ jobId: null, medId: JOB });
  });
});

describe('projectEvent', () => {
  it('given a requested job, when its reading completes, then the job is completed and a draft medication appears', () => {
    const { jobs, meds, applied } = project([requested, completed]);
    expect(applied[1]).toEqual({ job: expect.objectContaining({ status: 'completed' }), med: expect.objectContaining({ id: JOB, status: 'needs_review' }) });
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
