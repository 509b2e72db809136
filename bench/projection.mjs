// 6. Projection rate over a stream that already holds N events (whole job lives: requested,
// started, completed): rebuilding the tables from the streams (`ops rebuild`, the figure issue 8
// asks for), and a fresh live med-store catching up event by event, on SQLite and, when
// DATABASE_URL names one, on PostgreSQL in a schema of its own.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { OcrJobSchema, openDatabase, ProjectionRepository, readAllStreams } from '@rxscan/med-store';
import { benchJobId, jobLife, publishAll } from './lib/events.mjs';
import { openBus, projected, startNats, startStore } from './lib/services.mjs';
import { round } from './lib/stats.mjs';
import { withScope } from './lib/scope.mjs';

/** Time from starting med-store until its projection reaches the head; the rows are checked after. */
/** @param {{ natsUrl: string, dir: string, database?: import('@rxscan/med-store').DatabaseConfig, head: number, jobs: number, events: number }} options */
async function catchUp({ natsUrl, dir, database, head, jobs, events }) {
  return withScope('projection-store', async (scope) => {
    const t0 = performance.now();
    const store = await startStore(scope, { natsUrl, dir, database });
    const started = performance.now();
    // Registered now so the schema goes even when catching up fails (runs before the store stops).
    if (database?.schema) scope.defer(() => store.orm.em.getConnection().execute(`drop schema if exists "${database.schema}" cascade`));
    await projected(store, head, 600_000);
    const ms = performance.now() - t0;
    const done = await store.orm.em.fork().count(OcrJobSchema, { status: 'completed' });
    if (done !== jobs) throw new Error(`projected ${done} completed jobs, expected ${jobs}`);
    return { events_per_s: round(events / (ms / 1000), 0), ms: round(ms, 0), startup_ms: round(started - t0, 0) };
  });
}

/** `ops rebuild`: both streams read by an ordered consumer and applied in one transaction. */
async function rebuildRate({ bus, dir, events, jobs }) {
  return withScope('projection-rebuild', async (scope) => {
    const orm = await openDatabase({ url: path.join(dir, 'rebuild.sqlite') });
    scope.defer(() => orm.close());
    const t0 = performance.now();
    const { applied } = await new ProjectionRepository(orm).rebuild(() => readAllStreams(bus));
    const ms = performance.now() - t0;
    const done = await orm.em.fork().count(OcrJobSchema, { status: 'completed' });
    if (applied !== events || done !== jobs) throw new Error(`rebuild applied ${applied} events, ${done} completed jobs; expected ${events}, ${jobs}`);
    return { events_per_s: round(events / (ms / 1000), 0), ms: round(ms, 0) };
  });
}

export async function measureProjection({ scope, plan, tmp, say }) {
  const nats = await startNats(scope, tmp);
  const bus = await openBus(scope, nats.url, 'bench-publisher');
  const jobs = Math.ceil(plan.projectionEvents / 3);
  const events = Array.from({ length: jobs }, (_, i) => jobLife(benchJobId('proj', i))).flat();
  say(`projection: publishing ${events.length} events`);
  const p0 = performance.now();
  const head = await publishAll(bus, events);
  const publishPerS = round(events.length / ((performance.now() - p0) / 1000), 0);

  say(`projection: a fresh med-store on SQLite catching up`);
  const sqlite = await catchUp({ natsUrl: nats.url, dir: path.join(tmp, 'sqlite'), head, jobs, events: events.length });
  say(`projection: rebuilding SQLite tables from the streams`);
  const rebuilt = await rebuildRate({ bus, dir: path.join(tmp, 'sqlite'), events: events.length, jobs });
  const values = {
    projection_events_per_s: rebuilt.events_per_s,
    projection_rebuild_ms: rebuilt.ms,
    projection_live_events_per_s: sqlite.events_per_s,
    projection_events: events.length,
    projection_ms: sqlite.ms,
    projection_startup_ms: sqlite.startup_ms,
    publish_events_per_s: publishPerS,
    projection_events_per_s_pg: null,
  };
  const rows = [
    [`rebuild ${events.length} events`, `${rebuilt.events_per_s} events/s (SQLite)`, `${rebuilt.ms} ms: ops rebuild, one transaction`],
    [`live ${events.length} events`, `${sqlite.events_per_s} events/s (SQLite)`, `${sqlite.ms} ms incl. ${sqlite.startup_ms} ms start-up; published at ${publishPerS}/s`]];

  const url = process.env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    // The durable consumer remembers what the SQLite run acked: remove it so PostgreSQL starts from the first event.
    for (const stream of ['OCR', 'MEDS']) await bus.jsm.consumers.delete(stream, 'med-store').catch(() => {});
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    say(`projection: a fresh med-store on PostgreSQL (schema ${schema}) catching up`);
    const pg = await catchUp({ natsUrl: nats.url, dir: path.join(tmp, 'pg'), database: { url, schema }, head, jobs, events: events.length });
    values.projection_events_per_s_pg = pg.events_per_s;
    rows.push([`projection ${events.length} events`, `${pg.events_per_s} events/s (PostgreSQL)`, `${pg.ms} ms incl. ${pg.startup_ms} ms start-up`]);
  }
  return { values, rows };
}
