// 5. Push latency: from publishing ocr.completed (as a worker does) to the job's message arriving
// on a WebSocket listening at med-store's /meds/ws. Covers JetStream's ack, delivery to the
// projector, the SQLite transaction and the push.
import path from 'node:path';
import { publishEvent } from '@rxscan/bus';
import { benchJobId, completed, publishAll, requested, started } from './lib/events.mjs';
import { listenForJobs } from './lib/push-client.mjs';
import { openBus, projected, startNats, startStore } from './lib/services.mjs';
import { summarize } from './lib/stats.mjs';

export async function measurePush({ scope, plan, tmp, say }) {
  const nats = await startNats(scope, tmp);
  const bus = await openBus(scope, nats.url, 'bench-worker');
  const store = await startStore(scope, { natsUrl: nats.url, dir: path.join(tmp, 'med-store') });
  const warmup = 10;
  const ids = Array.from({ length: plan.pushMessages + warmup }, (_, i) => benchJobId('push', i));
  // Jobs already processing, as they are when a worker finishes one.
  await projected(store, await publishAll(bus, ids.flatMap((id) => [requested(id), started(id)])));
  const push = await listenForJobs(scope, store.url);

  say(`push: ${plan.pushMessages} completions, one at a time`);
  const latencies = [];
  for (const [i, id] of ids.entries()) {
    const arrived = push.next(id, 'completed');
    const t0 = performance.now();
    await publishEvent(bus.js, completed(id));
    const at = await arrived;
    if (i >= warmup) latencies.push(at - t0);
  }
  const s = summarize(latencies, 2);
  return {
    values: { push_p50_ms: s.p50, push_p99_ms: s.p99, push_max_ms: s.max, push_messages: s.n },
    rows: [['push publish→ws', `p50 ${s.p50} ms, p99 ${s.p99} ms`, `${s.n} completions, max ${s.max} ms`]],
  };
}
