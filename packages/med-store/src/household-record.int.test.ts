import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMedication, type BusEvent, type HistoryEntryView, type Medication, type MedicationView, type PersonView } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { eventually, fhirR4Problems, testDatabases } from '@rxscan/test-utils';
import { type MedStoreService } from './med-store.service.js';
import { startMedStoreWorld, type MedStoreWorld } from './med-store.fixture.js';
import { ProjectionRepository } from './projection.repository.js';
import { readAllStreams } from './stream.reader.js';
import { CSV_COLUMNS } from './csv-export.views.js';

/** SQLite and PostgreSQL, each a database of the suite's own (PostgreSQL: TEST_DATABASE_URL, or a throwaway server). */
const DATABASES = testDatabases('rxscan_record');

let jobs = 0;
/** A scan published as the worker would: requested, then completed with this reading. */
async function scan(bus: Bus, label: Partial<Medication>): Promise<string> {
  const jobId = `record-job-${String(++jobs).padStart(4, '0')}-${Date.now()}`;
  const events: BusEvent[] = [
    {
      type: 'ocr.requested',
      data: { job_id: jobId, image: { key: `${jobId}.jpg`, sha256: 'e'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 }, submitted_at: new Date().toISOString(), attempt: 1, reason: 'new' },
    },
    {
      type: 'ocr.completed',
      data: { job_id: jobId, attempt: 1, completed_at: new Date().toISOString(), ocr_text: '', medication: { ...emptyMedication(), ...label }, confidence: { name: 0.9 }, needs_review: true, timings_ms: {} },
    },
  ];
  for (const e of events) await publishEvent(bus.js, e);
  return jobId;
}

const SARAH_LISINOPRIL = { name: 'Lisinopril', dosage: '10 mg', form: 'tablet', sig: 'TAKE 1 TABLET BY MOUTH ONCE DAILY', schedule: 'Once daily' as const, as_needed: false, quantity: 30, quantity_unit: 'tablet', refills: 3, prescriber: 'Dr. Ana Lee', rx_number: '612345', pharmacy: 'CVS Pharmacy #1234', pharmacy_phone: '(555) 010-2000', patient: 'SMITH, SARAH', date_filled: '2026-10-01', discard_after: '2027-10-01' };
const TOM_INHALER = { name: 'Albuterol', dosage: '90 mcg', form: 'inhaler', sig: 'INHALE 2 PUFFS EVERY 4 HOURS AS NEEDED, "for wheezing"', schedule: 'Every 4 hours' as const, as_needed: true, quantity: 1, refills: 1, rx_number: '77001', pharmacy: 'Corner Drug', patient: 'THOMAS BROWN' };

describe.each(DATABASES)('the household record on a real nats-server and $kind', (db) => {
  let world: MedStoreWorld;
  let svc: MedStoreService;
  let bus: Bus;
  const api = () => request(svc.url);
  const list = async () => (await api().get('/meds/medications')).body as MedicationView[];
  const people = async () => (await api().get('/meds/people')).body as PersonView[];
  const draftOf = async (jobId: string) => eventually(async () => (await list()).find((m) => m.id === jobId));

  beforeAll(async () => {
    world = await startMedStoreWorld({ db });
    ({ bus, svc } = world);
  });
  afterAll(async () => {
    await world?.stop();
  });

  let sarah: PersonView;
  let lisinopril: string;
  let inhaler: string;

  it('puts two people’s labels under two people, and takes the same name printed another way for the same person', async () => {
    lisinopril = await scan(bus, SARAH_LISINOPRIL);
    expect(await draftOf(lisinopril)).toMatchObject({ patient: 'SMITH, SARAH', date_filled: '2026-10-01', person_id: null, status: 'needs_review' });
    const confirmed = await api().post(`/meds/medications/${lisinopril}/confirm`).send({ new_person: 'Sarah Smith' });
    expect(confirmed.status).toBe(200);
    sarah = (await people())[0]!;
    expect(sarah).toMatchObject({ name: 'Sarah Smith' });
    expect(confirmed.body).toMatchObject({ person_id: sarah.id, status: 'confirmed', pharmacy_phone: '(555) 010-2000' });

    inhaler = await scan(bus, TOM_INHALER);
    await draftOf(inhaler);
    expect((await api().post(`/meds/medications/${inhaler}/confirm`).send({ new_person: 'Thomas Brown' })).status).toBe(200);
    // A third label for "SMITH, SARAH" typed as a new person is still Sarah: no second Sarah.
    const third = await api().post('/meds/medications').send({ name: 'Vitamin D', new_person: 'SMITH, SARAH' });
    expect(third.status).toBe(201);
    expect(third.body.person_id).toBe(sarah.id);
    expect((await people()).map((p) => p.name)).toEqual(['Sarah Smith', 'Thomas Brown']);

    const bad = await api().post(`/meds/medications/${inhaler}/confirm`).send({ person_id: 'nobody-at-all' });
    expect(bad.status).toBe(404);
    expect(bad.body.error.code).toBe('person_not_found');
    expect((await api().post('/meds/people').send({ name: 'Eve\u001b[2J' })).body.error.code).toBe('invalid_person');
  });

  it('records a rescan as a refill of the medication: new fill date, quantity and refills left, and no second row', async () => {
    const before = (await list()).length;
    const rescan = await scan(bus, { ...SARAH_LISINOPRIL, pharmacy: 'CVS/PHARMACY', date_filled: '2026-11-01', discard_after: '2027-11-01', refills: 2 });
    await draftOf(rescan);
    const refilled = await api().post(`/meds/medications/${rescan}/refill`).send({ of: lisinopril });
    expect(refilled.status).toBe(200);
    expect(refilled.body).toMatchObject({ id: lisinopril, date_filled: '2026-11-01', discard_after: '2027-11-01', refills: 2, quantity: 30, pharmacy: 'CVS Pharmacy #1234' });
    const after = await list();
    expect(after.length).toBe(before);
    expect(after.map((m) => m.id)).not.toContain(rescan);
    // The used-up reading is not in "recently deleted", and cannot be confirmed or refilled again.
    expect(((await api().get('/meds/medications/deleted')).body as MedicationView[]).map((m) => m.id)).not.toContain(rescan);
    expect((await api().post(`/meds/medications/${rescan}/refill`).send({ of: lisinopril })).status).toBe(404);
    expect((await api().post(`/meds/medications/${inhaler}/refill`).send({ of: lisinopril })).body.error.code).toBe('not_a_reading');
  });

  it('stops a medication, undoes a delete, and tells its history: scanned, confirmed, refilled, edited, stopped, deleted, restored', async () => {
    expect((await api().patch(`/meds/medications/${lisinopril}`).send({ prescriber: 'Dr. Ana Lee-Park', refills: 1 })).body.prescriber).toBe('Dr. Ana Lee-Park');
    const stopped = await api().post(`/meds/medications/${lisinopril}/stop`);
    expect(stopped.body.stopped_at).toEqual(expect.any(String));
    expect((await list()).find((m) => m.id === lisinopril)?.stopped_at).toEqual(stopped.body.stopped_at);

    expect((await api().delete(`/meds/medications/${lisinopril}`)).status).toBe(204);
    expect((await list()).map((m) => m.id)).not.toContain(lisinopril);
    const deleted = (await api().get('/meds/medications/deleted')).body as (MedicationView & { undo_until: string })[];
    expect(deleted.find((m) => m.id === lisinopril)).toMatchObject({ name: 'Lisinopril', undo_until: expect.any(String) });
    const restored = await api().post(`/meds/medications/${lisinopril}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: lisinopril, stopped_at: stopped.body.stopped_at, person_id: sarah.id });

    const history = (await api().get(`/meds/medications/${lisinopril}/history`)).body as HistoryEntryView[];
    expect(history.map((h) => h.kind)).toEqual(['scanned', 'confirmed', 'refilled', 'edited', 'stopped', 'deleted', 'restored']);
    expect(history.find((h) => h.kind === 'edited')?.fields?.sort()).toEqual(['prescriber', 'refills']);
    expect(history.find((h) => h.kind === 'refilled')?.fill).toMatchObject({ date_filled: '2026-11-01', refills: 2 });
    expect((await api().post(`/meds/medications/${lisinopril}/resume`)).body.stopped_at).toBeNull();
  });

  it('renames a person and merges two entries for one person: the medications follow', async () => {
    const tom = (await people()).find((p) => p.name === 'Thomas Brown')!;
    expect((await api().patch(`/meds/people/${tom.id}`).send({ name: 'Tom Brown' })).body.name).toBe('Tom Brown');
    const merged = await api().post(`/meds/people/${tom.id}/merge`).send({ into: sarah.id });
    expect(merged.status).toBe(200);
    expect((await people()).map((p) => p.name)).toEqual(['Sarah Smith']);
    expect((await list()).find((m) => m.id === inhaler)?.person_id).toBe(sarah.id);
    expect((await api().post(`/meds/people/${sarah.id}/merge`).send({ into: sarah.id })).status).toBe(409);
  });

  it('exports a FHIR R4 Bundle that the R4 JSON schema accepts, one MedicationStatement per confirmed medication', { timeout: 60_000 }, async () => {
    const res = await api().get('/meds/export/fhir');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    const bundle = JSON.parse(res.text);
    expect(fhirR4Problems(bundle)).toEqual([]);
    const statements = bundle.entry.map((e: { resource: unknown }) => e.resource).filter((r: { resourceType: string }) => r.resourceType === 'MedicationStatement');
    expect(statements).toHaveLength((await list()).filter((m) => m.status === 'confirmed').length);
    const albuterol = statements.find((s: { medicationCodeableConcept: { text: string } }) => /Albuterol/.test(s.medicationCodeableConcept.text));
    expect(albuterol).toMatchObject({
      status: 'active',
      subject: { display: 'Sarah Smith' },
      dosage: [{ text: TOM_INHALER.sig, asNeededBoolean: true, timing: { repeat: { frequency: 1, period: 4, periodUnit: 'h' }, code: { coding: [{ code: 'Q4H' }] } } }],
    });
    // A statement that breaks R4 is caught: the check is not a formality.
    expect(fhirR4Problems({ ...bundle, entry: [{ resource: { ...albuterol, subject: undefined } }] })).not.toEqual([]);
  });

  it('exports CSV (RFC 4180) that parses back to the same rows, quotes and commas included', async () => {
    const res = await api().get('/meds/export/csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text).toMatch(/\r\n/);
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    const meds = await list();
    expect(rows).toHaveLength(meds.length);
    const header = CSV_COLUMNS.map(([, h]) => h);
    expect(Object.keys(rows[0]!)).toEqual(header);
    const inhalerRow = rows.find((r) => r.Medication === 'Albuterol')!;
    expect(inhalerRow).toMatchObject({ Person: 'Sarah Smith', 'Directions (as printed)': TOM_INHALER.sig, 'As needed': 'yes', Quantity: '1', State: 'taking' });
    for (const m of meds) expect(rows.some((r) => r.Medication === (m.name ?? '') && r.Strength === (m.dosage ?? ''))).toBe(true);
  });

  it('gives the same people, list and history after `ops rebuild` recreates the tables from the streams', async () => {
    const snapshot = async () => ({
      meds: await list(),
      people: await people(),
      deleted: (await api().get('/meds/medications/deleted')).body,
      history: (await api().get(`/meds/medications/${lisinopril}/history`)).body,
    });
    const before = await snapshot();
    await new ProjectionRepository(svc.orm).rebuild(() => readAllStreams(svc.bus));
    expect(await snapshot()).toEqual(before);
  });
});
