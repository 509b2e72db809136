import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { CONSUMERS, STREAMS, type MedEvent, type OcrEvent } from '@rxscan/contracts';
import type { Bus } from '@rxscan/bus';
import type { Applied } from './projection.repository.js';
import type { Projector } from './projection.service.js';

/** The durable consumers, each read once per scrape. */
const CONSUMER_LIST = [
  [STREAMS.OCR, CONSUMERS.ocrWorker],
  [STREAMS.OCR, CONSUMERS.ocrWorkerBulk],
  [STREAMS.OCR, CONSUMERS.medStore],
  [STREAMS.MEDS, CONSUMERS.medStore],
] as const;

/** Seconds from upload to result: a warm label takes about one, a burst of 48 on one worker up to a minute. */
const JOB_BUCKETS = [0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 900];

/**
 * What med-store knows and nobody else does: projection lag, push clients, events
 * refused, jobs by how they ended and how long they took, and the consumers' queues.
 * Anything that describes a shared thing (a stream, a consumer) is exported only by
 * the replica that holds the projector lease, so `sum()` over replicas never doubles it.
 */
export function medStoreMetrics(
  registry: Registry,
  projector: Projector,
  bus: Bus,
  pushClients: () => number,
  /** Parked events nobody has dropped or retried yet, by stream. */
  parkedOpen: () => Promise<Map<string, number>> = async () => new Map(),
) {
  new Gauge({
    name: 'rxscan_projection_lag',
    help: 'Stream sequences published but not yet in the tables',
    labelNames: ['stream'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!projector.active) return;
      for (const s of Object.keys(STREAMS) as (keyof typeof STREAMS)[]) {
        const head = await projector.streamHead(s).catch(() => projector.positionOf(s));
        this.set({ stream: s }, Math.max(0, head - projector.positionOf(s)));
      }
    },
  });
  const consumerGauge = (name: string, help: string, pick: (i: { num_pending: number; num_ack_pending: number; num_redelivered: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stream', 'consumer'],
      registers: [registry],
      async collect() {
        this.reset();
        if (!projector.active) return;
        for (const [stream, consumer] of CONSUMER_LIST) {
          const info = await bus.jsm.consumers.info(stream, consumer).catch(() => null);
          if (info) this.set({ stream, consumer }, pick(info));
        }
      },
    });
  consumerGauge('rxscan_consumer_pending', 'Messages not yet delivered to the consumer (for ocr-worker: the OCR queue)', (i) => i.num_pending);
  consumerGauge('rxscan_consumer_ack_pending', 'Messages delivered and not yet acknowledged', (i) => i.num_ack_pending);
  consumerGauge('rxscan_consumer_redelivered', 'Messages delivered more than once (a worker died or handed them back)', (i) => i.num_redelivered);
  new Gauge({
    name: 'rxscan_websocket_clients',
    help: 'Tablets listening for pushed changes',
    registers: [registry],
    collect() {
      this.set(pushClients());
    },
  });
  new Counter({
    name: 'rxscan_invalid_events_total',
    help: 'Events refused by their schema since start, by subject',
    labelNames: ['subject'],
    registers: [registry],
    collect() {
      // The projector keeps the counts; a counter only ever shows them growing.
      this.reset();
      for (const [subject, n] of projector.poisoned) this.inc({ subject }, n);
    },
  });
  new Counter({
    name: 'rxscan_events_parked_total',
    help: 'Events this process parked (the projection went on without them) since start, by stream and reason (invalid: refused by their schema; failed: applying them failed the same way every try)',
    labelNames: ['stream', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { stream, reason, count } of projector.parked.values()) this.inc({ stream, reason }, count);
    },
  });
  new Gauge({
    name: 'rxscan_parked_events',
    help: 'Parked events nobody has dropped or retried yet (ops parked), by stream',
    labelNames: ['stream'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!projector.active) return;
      const open = await parkedOpen().catch(() => null);
      for (const s of Object.keys(STREAMS)) this.set({ stream: s }, open?.get(s) ?? 0);
    },
  });
  new Gauge({
    name: 'rxscan_projection_retrying_seconds',
    help: 'How long the projection of a stream has been retrying one event (the database busy, full or away); 0 while it moves',
    labelNames: ['stream'],
    registers: [registry],
    collect() {
      this.reset();
      if (!projector.active) return;
      for (const s of Object.keys(STREAMS) as (keyof typeof STREAMS)[]) this.set({ stream: s }, projector.failingSeconds(s));
    },
  });
  const finished = new Counter({ name: 'rxscan_jobs_finished_total', help: 'Jobs that reached a final status, by status', labelNames: ['status'], registers: [registry] });
  const duration = new Histogram({
    name: 'rxscan_job_duration_seconds',
    help: 'From the upload (or retry) being accepted to the job completed or failed, by status',
    labelNames: ['status'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  return {
    /** Called for each event the live projector applied (a rebuild does not come here). */
    onApplied(applied: Applied, event: OcrEvent | MedEvent) {
      const job = applied.job;
      if (!job || (event.type !== 'ocr.completed' && event.type !== 'ocr.failed')) return;
      finished.inc({ status: job.status });
      // Both ends from the events themselves: right however late the projection runs.
      const seconds = (Date.parse(job.completed_at ?? '') - Date.parse(job.requested_at)) / 1000;
      if (Number.isFinite(seconds)) duration.observe({ status: job.status }, Math.max(0, seconds));
    },
  };
}
