import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { CONSUMERS, STREAMS } from '@rxscan/contracts';
import type { Bus } from '@rxscan/bus';

export interface WorkerMetrics {
  jobs: Counter<'status'>;
  stage: Histogram<'stage'>;
}

/**
 * Jobs by outcome, OCR time by stage, and the queue as the consumer reports it
 * (read at scrape time, so every worker shows the same shared queue).
 */
export function workerMetrics(registry: Registry, bus: Bus): WorkerMetrics {
  const consumerInfo = () => bus.jsm.consumers.info(STREAMS.OCR, CONSUMERS.ocrWorker);
  new Gauge({
    name: 'rxscan_queue_pending',
    help: 'Requests not yet delivered to any worker',
    registers: [registry],
    async collect() {
      this.set((await consumerInfo()).num_pending);
    },
  });
  new Gauge({
    name: 'rxscan_queue_ack_pending',
    help: 'Requests delivered and not yet acknowledged',
    registers: [registry],
    async collect() {
      this.set((await consumerInfo()).num_ack_pending);
    },
  });
  new Gauge({
    name: 'rxscan_queue_redelivered',
    help: 'Requests delivered more than once (a worker died or handed them back)',
    registers: [registry],
    async collect() {
      this.set((await consumerInfo()).num_redelivered);
    },
  });
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
