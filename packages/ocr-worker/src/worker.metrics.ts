import { Counter, Histogram, type Registry } from 'prom-client';

export interface WorkerMetrics {
  jobs: Counter<'status'>;
  stage: Histogram<'stage'>;
  /** Second-reader calls by outcome (agreed, disagreed, unavailable, invalid, skipped). */
  secondReader: Counter<'outcome'>;
  secondReaderSeconds: Histogram<'outcome'>;
}

/**
 * What this worker process did: jobs by outcome and OCR time by stage. The shared
 * queue (the ocr-worker consumer) is exported once, by med-store, not by every worker.
 */
export function workerMetrics(registry: Registry): WorkerMetrics {
  return {
    jobs: new Counter({ name: 'rxscan_jobs_total', help: 'Jobs by outcome: completed, failed, retried, invalid', labelNames: ['status'], registers: [registry] }),
    stage: new Histogram({
      name: 'rxscan_ocr_duration_seconds',
      help: 'Extraction time per label, by stage',
      labelNames: ['stage'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
      registers: [registry],
    }),
    secondReader: new Counter({
      name: 'rxscan_second_reader_calls_total',
      help: 'Second-reader calls by outcome: agreed, disagreed, unavailable (timeout, error), invalid (discarded), skipped',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    secondReaderSeconds: new Histogram({
      name: 'rxscan_second_reader_duration_seconds',
      help: 'Time a label waited for the second reader, by outcome',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
  };
}
