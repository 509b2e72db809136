import { Counter, Histogram, type Registry } from 'prom-client';

export interface WorkerMetrics {
  jobs: Counter<'status'>;
  stage: Histogram<'stage'>;
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
  };
}
