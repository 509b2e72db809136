import { describe, expect, it } from 'vitest';
import { emptyMedication, type OcrEvent } from '@rxscan/contracts';
import { evolveJob } from './job.projection.js';
import { jobView } from './api.views.js';
import type { OcrJob } from './table.schema.js';

const JOB = 'job-proj-0001';
const requested = (attempt: number): OcrEvent => ({
  type: 'ocr.requested',
  data: {
    job_id: JOB,
    image: { key: `${JOB}.jpg`, sha256: 'c'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 },
    submitted_at: '2026-11-28T10:00:00.000Z',
    attempt,
    reason: attempt === 1 ? 'new' : 'replay',
  },
});
const started = (attempt: number): OcrEvent => ({ type: 'ocr.started', data: { job_id: JOB, attempt, worker: 'w', started_at: '2026-11-28T10:00:01.000Z' } });
const completed = (attempt: number): OcrEvent => ({
  type: 'ocr.completed',
  data: { job_id: JOB, attempt, completed_at: '2026-11-28T10:00:02.000Z', ocr_text: 't', medication: emptyMedication(), confidence: {}, needs_review: true, timings_ms: {} },
});
const failed = (attempt: number): OcrEvent => ({
  type: 'ocr.failed',
  data: { job_id: JOB, attempt, failed_at: '2026-11-28T10:00:02.000Z', error: { code: 'ocr_error', message: 'm' }, retryable: true },
});

const run = (events: OcrEvent[]) =>
  events.reduce<OcrJob | null>((job, e, i) => evolveJob(job, e, i + 1) ?? job, null);

describe('evolveJob', () => {
  it('given a request, started and completed, the job is completed with its reading', () => {
    const job = run([requested(1), started(1), completed(1)]);
    expect(job).toMatchObject({ status: 'completed', attempt: 1, medication_id: JOB, ocr_text: 't', last_seq: 3 });
  });

  it('keeps what the second reader made of the label on the job, and its status view shows it', () => {
    const withReader: OcrEvent = { ...completed(1), data: { ...(completed(1).data as object), second_reader: 'disagreed' } } as OcrEvent;
    const job = run([requested(1), started(1), withReader]);
    expect(job?.result_data?.second_reader).toBe('disagreed');
    expect(jobView(job!).result?.second_reader).toBe('disagreed');
    // A reading without a second reader says nothing about one.
    expect(jobView(run([requested(1), completed(1)])!).result).not.toHaveProperty('second_reader');
  });

  it('ignores a second completion of the same attempt', () => {
    const job = run([requested(1), started(1), completed(1)]);
    expect(evolveJob(job, completed(1), 9)).toBeNull();
  });

  it('ignores a failure that arrives after the attempt completed', () => {
    const job = run([requested(1), completed(1)]);
    expect(evolveJob(job, failed(1), 9)).toBeNull();
  });

  it('a replay starts a new attempt, keeps created_at, clears the error', () => {
    const first = run([requested(1), started(1), failed(1)]);
    expect(first).toMatchObject({ status: 'failed', error_code: 'ocr_error' });
    const again = evolveJob(first, requested(2), 10)!;
    expect(again).toMatchObject({ status: 'pending', attempt: 2, error_code: null, created_at: first!.created_at });
  });

  it('ignores steps of an older attempt once a newer one is requested', () => {
    const job = run([requested(1), started(1), requested(2)]);
    expect(evolveJob(job, completed(1), 9)).toBeNull();
    expect(evolveJob(job, requested(1), 9)).toBeNull();
  });

  it('ignores steps of a job it never saw requested', () => {
    expect(evolveJob(null, started(1), 1)).toBeNull();
  });
});
