// 2. Status reads: GET /meds/extract/:id/status from 200 pollers (and, for the ceiling, 200
// connections back to back) against a real med-store
// (SQLite in a temp dir) holding jobs in every state the tablet polls.
import path from 'node:path';
import { benchJobId, completed, publishAll, requested, started } from './lib/events.mjs';
import { loadTest, pollTest } from './lib/load.mjs';
import { openBus, projected, startNats, startStore } from './lib/services.mjs';

export async function measureStatus({ scope, plan, tmp, say }) {
  const nats = await startNats(scope, tmp);
  const bus = await openBus(scope, nats.url, 'bench-publisher');
  const store = await startStore(scope, { natsUrl: nats.url, dir: path.join(tmp, 'med-store') });

  // A third of the jobs pending, a third processing, a third completed (the largest rows).
  const ids = Array.from({ length: plan.statusJobs }, (_, i) => benchJobId('status', i));
  const events = ids.flatMap((id, i) => [requested(id), ...(i % 3 >= 1 ? [started(id)] : []), ...(i % 3 === 2 ? [completed(id)] : [])]);
  await projected(store, await publishAll(bus, events));

  const paths = ids.map((id) => `/meds/extract/${id}/status`);
  const warm = await loadTest({ url: store.url, connections: 20, amount: 200, paths, tmp });
  if (warm.errors > 0) throw new Error(`status reads failed during warm-up: ${JSON.stringify(warm.statuses)}`);

  // What the tablets do: each poller asks once a second (the tablet asks every 3 s; this is 3x that).
  say(`status: ${plan.statusConnections} pollers, one request a second each, ${plan.statusPollSeconds} s`);
  const polled = await pollTest({ url: store.url, pollers: plan.statusConnections, intervalMs: 1000, rounds: plan.statusPollSeconds, paths });
  // And how far it goes: the same connections asking as fast as they are answered.
  say(`status: ${plan.statusRequests} reads at ${plan.statusConnections} connections, back to back`);
  const r = await loadTest({ url: store.url, connections: plan.statusConnections, amount: plan.statusRequests, paths, tmp });
  return {
    values: {
      status_p50_ms: polled.p50_ms,
      status_p99_ms: polled.p99_ms,
      status_poll_rps: polled.rps,
      status_poll_errors: polled.errors,
      status_saturated_p50_ms: r.p50_ms,
      status_saturated_p99_ms: r.p99_ms,
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
      [`status, ${plan.statusConnections} pollers at 1/s`, `p50 ${polled.p50_ms} ms, p99 ${polled.p99_ms} ms`, `${polled.rps} req/s, ${polled.errors} errors of ${polled.requests}`],
      [`status c=${plan.statusConnections} back to back`, `p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`, `${r.rps} req/s (the ceiling), ${r.errors} errors of ${r.requests}`],
      [
        '  first on a connection',
        `p50 ${r.first_p50_ms} ms, max ${r.first_max_ms} ms`,
        `later requests p50 ${r.later_p50_ms} ms, p99 ${r.later_p99_ms} ms; all ${plan.statusConnections} answered after ${r.ramp_ms} ms`,
      ],
    ],
  };
}
