import { Counter, Gauge, type Registry } from 'prom-client';
import { STREAMS } from '@rxscan/contracts';
import type { Applied } from './projection.repository.js';
import type { Projector } from './projection.service.js';

/** Projection lag per stream, push clients, and jobs by the way they ended. */
export function medStoreMetrics(registry: Registry, projector: Projector, pushClients: () => number) {
  new Gauge({
    name: 'rxscan_projection_lag',
    help: 'Stream sequences published but not yet in the tables',
    labelNames: ['stream'],
    registers: [registry],
    async collect() {
      for (const s of Object.keys(STREAMS) as (keyof typeof STREAMS)[]) {
        const head = await projector.streamHead(s).catch(() => projector.positionOf(s));
        this.set({ stream: s }, Math.max(0, head - projector.positionOf(s)));
      }
    },
  });
  new Gauge({
    name: 'rxscan_websocket_clients',
    help: 'Tablets listening for pushed changes',
    registers: [registry],
    collect() {
      this.set(pushClients());
    },
  });
  new Gauge({
    name: 'rxscan_invalid_events',
    help: 'Events refused by their schema since start, by subject',
    labelNames: ['subject'],
    registers: [registry],
    collect() {
      for (const [subject, n] of projector.poisoned) this.set({ subject }, n);
    },
  });
  const finished = new Counter({ name: 'rxscan_jobs_finished_total', help: 'Jobs that reached a final status, by status', labelNames: ['status'], registers: [registry] });
  return {
    onApplied(applied: Applied) {
      const status = applied.job?.status;
      if (status === 'completed' || status === 'failed') finished.inc({ status });
    },
  };
}
