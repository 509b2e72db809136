import type { Subscription } from '@nats-io/transport-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMedication, SUBJECTS, type MedicationView, type ParkedAdvisory } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { eventually, metricValue, parseMetrics, testDatabases, type TestDatabase } from '@rxscan/test-utils';
import { type MedStoreService } from './med-store.service.js';
import { startMedStoreWorld, type MedStoreWorld } from './med-store.fixture.js';
import { ParkedEventRepository } from './parked-event.repository.js';
import { ProjectionRepository } from './projection.repository.js';
import { readAllStreams } from './stream.reader.js';

const DATABASES = testDatabases('rxscan_parked');
const at = () => new Date().toISOString();

/** Makes the database refuse any medication named "Poison pill", as a constraint would: the same failure on every try. */
async function refusePoisonPills(svc: MedStoreService, kind: string, schema?: string): Promise<() => Promise<void>> {
  const conn = svc.orm.em.getConnection();
  if (kind === 'SQLite') {
    for (const op of ['insert', 'update']) {
      await conn.execute(`create trigger poison_${op} before ${op} on med when new.name = 'Poison pill' begin select raise(abort, 'refused by a test trigger'); end`);
    }
    return async () => {
      for (const op of ['insert', 'update']) await conn.execute(`drop trigger poison_${op}`);
    };
  }
  const med = `"${schema}".med`;
  await conn.execute(`create function "${schema}".poison_guard() returns trigger as $$ begin if new.name = 'Poison pill' then raise exception 'refused by a test trigger'; end if; return new; end $$ language plpgsql`);
  await conn.execute(`create trigger poison_guard before insert or update on ${med} for each row execute function "${schema}".poison_guard()`);
  return async () => void (await conn.execute(`drop trigger poison_guard on ${med}`));
}

describe.each(DATABASES)('a poisoned event on $kind never wedges the projection', (db) => {
  let world: MedStoreWorld;
  let bus: Bus;
  let database: TestDatabase;
  let svc: MedStoreService;
  let advisories: ParkedAdvisory[];
  let sub: Subscription;
  let medId: string;
  const api = () => request(svc.url);
  const parked = () => new ParkedEventRepository(svc.orm);

  beforeAll(async () => {
    world = await startMedStoreWorld({ db });
    ({ bus, database, svc } = world);
    advisories = [];
    sub = bus.nc.subscribe(SUBJECTS.medStoreParked, { callback: (_err, msg) => void advisories.push(msg.json<ParkedAdvisory>()) });
    // Ready first: until its first write probe is stored, med-store answers writes 503 (bus_unavailable).
    await eventually(async () => ((await api().get('/readyz')).status === 200 ? true : undefined), 10_000, 100);
    const first = await api().post('/meds/medications').send({ name: 'Aspirin', dosage: '81 mg' });
    expect(first.status, first.text).toBe(201);
    medId = (first.body as MedicationView).id;
  });
  afterAll(async () => {
    sub?.unsubscribe();
    await world?.stop();
  });

  it('answers 400 naming the field for text with control characters, and 404 for a path id that is not an id', async () => {
    const nul = await api().patch(`/meds/medications/${medId}`).send({ name: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toEqual({ code: 'invalid_medication', message: 'name: must not contain control characters' });
    const escape = await api().post('/meds/medications').send({ name: 'Ibuprofen', sig: 'TAKE 1\u001b[2J' });
    expect(escape.status).toBe(400);
    expect(escape.body.error.message).toMatch(/^sig: must not contain control characters/);
    const bidi = await api().post('/meds/people').send({ name: 'Sarah\u202Etxt' });
    expect(bidi.status).toBe(400);
    expect(bidi.body.error).toEqual({ code: 'invalid_person', message: 'name: must not contain control characters' });
    const newline = await api().post('/meds/medications').send({ name: 'Two\nlines', new_person: 'Tom\u0000' });
    expect(newline.status).toBe(400);
    expect(newline.body.error.message).toMatch(/name: must not contain line breaks.*new_person: must not contain control characters/);

    for (const [method, path] of [
      ['patch', '/meds/medications/a%00b'],
      ['patch', `/meds/medications/${medId}%00`],
      ['delete', "/meds/medications/'%3B%20drop%20table%20med%3B--"],
      ['get', '/meds/medications/%E0%A4%A/history'],
      ['get', '/meds/extract/%00/status'],
      ['post', `/meds/people/${'x'.repeat(500)}/merge`],
    ] as const) {
      const res = await api()[method](path).send({ name: 'x' });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toMatch(/not_found$/);
    }
    expect((await api().get('/meds/export/csv?person=a%00b')).status).toBe(404);
    // Nothing of it reached the bus, nothing is parked, the list is as it was.
    expect(await parked().open()).toBe(0);
    expect((await api().get('/meds/medications')).body.map((m: MedicationView) => m.name)).toEqual(['Aspirin']);
  });

  it('parks a NUL published straight to MEDS (past the API), says so, and the next PATCH is applied', async () => {
    const raw = { med_id: medId, changes: { name: 'a\u0000b' }, updated_at: at() };
    const { seq } = await bus.js.publish(SUBJECTS.medUpdated, JSON.stringify(raw));

    const patched = await api().patch(`/meds/medications/${medId}`).send({ name: 'Aspirin EC' });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Aspirin EC');
    expect((await api().get('/meds/medications')).body.map((m: MedicationView) => m.name)).toEqual(['Aspirin EC']);

    const rows = await parked().list();
    expect(rows).toEqual([expect.objectContaining({ id: `MEDS-${seq}`, subject: 'med.updated', reason: 'invalid', dropped_at: null })]);
    expect(rows[0]!.error).toMatch(/changes\.name: must not contain control characters/);
    await eventually(async () => (advisories.some((a) => a.id === `MEDS-${seq}`) ? true : undefined), 5000);
    expect(advisories.find((a) => a.id === `MEDS-${seq}`)).toMatchObject({ stream: 'MEDS', seq, reason: 'invalid', attempts: 1 });

    const ready = await api().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ok: true, projection: 'moving', parked: 1 });
    const metrics = parseMetrics((await api().get('/metrics')).text);
    expect(metricValue(metrics, 'rxscan_events_parked_total', { stream: 'MEDS', reason: 'invalid' })).toBe(1);
    expect(metricValue(metrics, 'rxscan_parked_events', { stream: 'MEDS' })).toBe(1);
  });

  it('parks an event the database refuses on every try, goes on, and applies it on retry once the cause is gone', async () => {
    const allow = await refusePoisonPills(svc, db.kind, database.schema);
    const poisonId = 'poison-med-0001';
    const { seq } = await publishEvent(bus.js, {
      type: 'med.confirmed',
      data: { med_id: poisonId, source_job_id: null, medication: { ...emptyMedication(), name: 'Poison pill' }, person_id: null, confirmed_at: at() },
    });
    // The next change goes through once the poison is parked (three tries, well inside the wait).
    const patched = await api().patch(`/meds/medications/${medId}`).send({ dosage: '325 mg' });
    expect(patched.status).toBe(200);
    expect(patched.body.dosage).toBe('325 mg');

    const row = await parked().get(`meds-${seq}`);
    expect(row).toMatchObject({ id: `MEDS-${seq}`, reason: 'failed', attempts: 3 });
    expect(row!.error).toMatch(/refused by a test trigger/);
    expect(row!.error).not.toMatch(/insert into/i);
    expect((await api().get('/readyz')).body).toMatchObject({ ok: true, parked: 2 });

    // A person's own change that the database refuses is never answered as made.
    const refused = await api().patch(`/meds/medications/${medId}`).send({ name: 'Poison pill' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('not_applied');
    expect(refused.body.error.message).toMatch(/ops parked: MEDS-\d+/);
    expect((await api().get('/meds/medications')).body.map((m: MedicationView) => m.name)).toEqual(['Aspirin EC']);
    const refusedId = /MEDS-\d+/.exec(refused.body.error.message)![0];
    expect(await parked().drop(refusedId)).toBe(true);

    // Retrying while the cause is there changes nothing but the count of tries.
    const read = async (stream: string, s: number) => {
      const m = await bus.jsm.streams.getMessage(stream, { seq: s });
      return m ? { subject: m.subject, data: m.data } : null;
    };
    expect(await parked().retry(row!, read)).toMatchObject({ applied: false, error: expect.stringMatching(/refused by a test trigger/) });
    expect((await parked().get(row!.id))!.attempts).toBe(4);

    await allow();
    expect(await parked().retry((await parked().get(row!.id))!, read)).toMatchObject({ applied: true });
    expect(await parked().get(row!.id)).toBeNull();
    expect((await api().get('/meds/medications')).body.map((m: MedicationView) => m.name).sort()).toEqual(['Aspirin EC', 'Poison pill']);
  });

  it('a rebuild reports what it cannot apply instead of failing, and keeps what an operator dropped dropped', async () => {
    const [nulRow] = await parked().list();
    expect(await parked().drop(nulRow!.id)).toBe(true);
    const before = (await api().get('/meds/medications')).body as MedicationView[];
    const droppedBefore = (await parked().list({ dropped: true })).map((r) => r.id).sort();
    // One more that is parked and not dropped: the rebuild reports it and parks it again.
    const { seq } = await bus.js.publish(SUBJECTS.medUpdated, JSON.stringify({ med_id: medId, changes: { dosage: 'x\u0007' }, updated_at: at() }));
    await eventually(async () => ((await parked().open()) === 1 ? true : undefined), 5000);
    const result = await new ProjectionRepository(svc.orm).rebuild(() => readAllStreams(bus));
    expect(result.unapplied).toEqual([expect.objectContaining({ stream: 'MEDS', seq, reason: 'invalid' })]);
    // Dropped ones are left out, even the one that would apply now (the trigger is gone): as live left them out.
    expect(result.dropped).toBe(droppedBefore.length);
    expect(result.applied).toBeGreaterThan(3);
    expect((await api().get('/meds/medications')).body).toEqual(before);
    expect((await parked().list()).map((r) => r.id)).toEqual([`MEDS-${seq}`]);
    expect((await parked().list({ dropped: true })).filter((r) => r.dropped_at).map((r) => r.id).sort()).toEqual(droppedBefore);
    expect((await api().patch(`/meds/medications/${medId}`).send({ form: 'tablet' })).body.form).toBe('tablet');
  });
});

describe('a full disk is not a poisoned event (SQLite)', () => {
  let world: MedStoreWorld;
  let bus: Bus;
  let svc: MedStoreService;

  beforeAll(async () => {
    // Ready first (its write probe stored): a 503 below is then the full disk's, not a start still under way.
    world = await startMedStoreWorld({ ready: true, options: { projectionStuckAfterMs: 500 } });
    ({ bus, svc } = world);
  });
  afterAll(() => world?.stop());

  it('retries the same "database or disk is full" for as long as it lasts, says stuck, and applies the event once there is room', async () => {
    const conn = svc.orm.em.getConnection();
    const [{ page_count }] = (await conn.execute('pragma page_count')) as [{ page_count: number }];
    // The database may not grow by a single page: as a full disk, every write that needs room fails alike.
    await conn.execute(`pragma max_page_count = ${page_count}`);
    const sig = 'TAKE ONE TABLET BY MOUTH DAILY\n'.repeat(2000);
    await publishEvent(bus.js, { type: 'med.confirmed', data: { med_id: 'big-med-0001', source_job_id: null, medication: { ...emptyMedication(), name: 'Long label', sig }, person_id: null, confirmed_at: at() } });

    const stuck = await eventually(async () => {
      const res = await request(svc.url).get('/readyz');
      return res.status === 503 ? res.body : undefined;
    }, 10_000, 100);
    expect(stuck).toMatchObject({ ok: false, db: true, nats: true, projection: 'stuck', parked: 0 });
    expect(stuck.projection_problem).toMatch(/stream MEDS has been stuck at event \d+ .*database or disk is full/);
    // Well past the tries that park an event of its own: still not parked.
    await eventually(async () => (svc.projector.failingSeconds('MEDS') > 2 ? true : undefined), 10_000, 100);
    expect(await new ParkedEventRepository(svc.orm).open()).toBe(0);

    await conn.execute('pragma max_page_count = 1073741823');
    await eventually(async () => ((await request(svc.url).get('/meds/medications')).body.length === 1 ? true : undefined), 15_000, 100);
    const ready = await request(svc.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ projection: 'moving', parked: 0 });
  });
});
