// 2. Status reads: GET /meds/extract/:id/status at 200 connections against a real med-store
// (SQLite in a temp dir) holding jobs in every state the tablet polls.
import path from 'node:path';
import { benchJobId, completed, publishAll, requested, started } from './lib/events.mjs';
import { loadTest } from './lib/load.mjs';
import { openBus, projected, startNats, startStore } from './lib/services.mjs';

export async function measureStatus({ scope, plan, tmp, say }) {
  const nats = await startNats(scope, tmp);
  const bus = await openBus(scope, nats.url, 'bench-publisher');
  const store = await startStore(scope, { natsUrl: nats.url, dir: path.join(tmp, 'med-store') });

  // A third of the jobs pending, a third processing, a third completed (the largest rows).
  const ids = Array.from({ length: plan.statusJobs }, (_, i) => benchJobId('status', i));
  const events = ids.flatMap((id, i) => [requested(id), ...(i % 3 >= 1 ? [started(id)] : []), ...(i % 3 === 2 ? [completed(id)] : [])]);
  await projected(store, await publishAll(bus, events));

  say(`status: ${plan.statusRequests} reads at ${plan.statusConnections} connections`);
  const paths = ids.map((id) => `/meds/extract/${id}/status`);
  const warm = await loadTest({ url: store.url, connections: 20, amount: 200, paths, tmp });
  if (warm.errors > 0) throw new Error(`status reads failed during warm-up: ${JSON.stringify(warm.statuses)}`);
  const r = await loadTest({ url: store.url, connections: plan.statusConnections, amount: plan.statusRequests, paths, tmp });
  return {
    values: {
      status_p50_ms: r.p50_ms,
      status_p99_ms: r.p99_ms,
      status_rps: r.rps,
      status_later_p50_ms: r.later_p50_ms,
      status_later_p99_ms: r.later_p99_ms,
      status_first_p50_ms: r.first_p50_ms,
      status_first_max_ms: r.first_max_ms,
      status_ramp_ms: r.ramp_ms,
      status_errors: r.errors,
      status_connections: plan.statusConnections,
    },
    rows: [
      [`status c=${plan.statusConnections}`, `p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`, `${r.rps} req/s, ${r.errors} errors of ${r.requests}`],
      [
        '  first on a connection',
        `p50 ${r.first_p50_ms} ms, max ${r.first_max_ms} ms`,
        `later requests p50 ${r.later_p50_ms} ms, p99 ${r.later_p99_ms} ms; all ${plan.statusConnections} answered after ${r.ramp_ms} ms`,
      ],
    ],
  };
}
