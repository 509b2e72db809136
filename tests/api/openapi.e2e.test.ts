/**
 * The OpenAPI document against the running system: every /meds route is called through
 * the one origin, as a client generated from the document would, and each answer's
 * status must be one the document lists for that route and its JSON body must match
 * the schema given for it. Every documented HTTP operation is called at least once.
 */
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: its function is the module itself or its default, depending on the loader.
const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (ajv: Ajv2020) => void;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type ApiRoute, type ExtractAccepted, type MedicationView, type PersonView } from '@rxscan/contracts';
import { labelFixture, startSystem, uploadLabel, waitForJob, type RunningSystem } from '@rxscan/test-utils';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };

describe('the running system answers as its OpenAPI document says', () => {
  let sys: RunningSystem;
  let device: Record<string, string>;
  let admin: Record<string, string>;
  let doc: Doc;
  let ajv: Ajv2020;
  const called = new Set<string>();

  /** Calls `method template` with the path parameters filled in, and checks the answer against the document. */
  async function call(route: ApiRoute, params: Record<string, string>, init: { headers?: Record<string, string>; body?: RequestInit['body']; json?: unknown; query?: string } = {}) {
    const url = `${sys.url}${route.path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(params[k]!))}${init.query ?? ''}`;
    const headers = { ...init.headers, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) };
    const res = await fetch(url, { method: route.method.toUpperCase(), headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    const where = `${route.method.toUpperCase()} ${route.path} → ${res.status}`;
    const documented = doc.paths[route.path]?.[route.method]?.responses[String(res.status)];
    expect(documented, `${where} is not in the document`).toBeDefined();
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
    const text = res.status === 204 ? '' : await res.text();
    if (documented!.content) {
      expect(Object.keys(documented!.content), where).toContain(type);
      if (type === 'application/json') {
        const pointer = ['paths', route.path, route.method, 'responses', String(res.status), 'content', type, 'schema'].map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
        const validate = ajv.getSchema(`openapi.json#/${pointer}`)!;
        const body = JSON.parse(text) as unknown;
        expect(validate(body) ? [] : validate.errors, `${where}: ${text.slice(0, 300)}`).toEqual([]);
      }
    } else {
      expect(text, `${where} has no body in the document`).toBe('');
    }
    called.add(`${route.method} ${route.path}`);
    return { status: res.status, json: () => JSON.parse(text) as unknown };
  }

  beforeAll(async () => {
    sys = await startSystem();
    device = (await sys.pair('Contract tablet')).headers;
    admin = { authorization: `Bearer ${await sys.adminToken()}` };
    const res = await fetch(`${sys.url}/meds/openapi.json`, { headers: device });
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('serves the document to a paired device or the admin, not to a stranger', async () => {
    expect((await fetch(`${sys.url}/meds/openapi.json`)).status).toBe(401);
    await call(API_ROUTES.openApi, {}, { headers: admin });
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('a scan: upload, status, result, photo, retry, the list of scans', { timeout: 180_000 }, async () => {
    const form = new FormData();
    form.append('image', new Blob([await readFile(labelFixture('dev-000-clean').image)], { type: 'image/jpeg' }), 'label.jpg');
    const accepted = (await call(API_ROUTES.uploadPhoto, {}, { headers: device, body: form })).json() as ExtractAccepted;
    const junk = new FormData();
    junk.append('image', new Blob(['not a photo'], { type: 'image/jpeg' }), 'x.jpg');
    expect((await call(API_ROUTES.uploadPhoto, {}, { headers: device, body: junk })).status).toBe(400);
    const job = { job_id: accepted.job_id };
    await call(API_ROUTES.jobStatus, job, { headers: device, query: `?seq=${accepted.seq}` });
    // Still queued or being read: 202 for the result, 409 for a retry (whichever it is, the document must list it).
    await call(API_ROUTES.jobResult, job, { headers: device });
    await call(API_ROUTES.retryJob, job, { headers: device });
    expect((await waitForJob(sys.url, device, accepted)).status).toBe('completed');
    expect((await call(API_ROUTES.jobResult, job, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.jobImage, job, { headers: device })).status).toBe(200);
    // Each photo by its index in the status's `images`: this scan has one.
    expect((await call(API_ROUTES.jobImageAt, { ...job, index: '0' }, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.jobImageAt, { ...job, index: '1' }, { headers: device })).status).toBe(404);
    // Read again from its stored photo: the next attempt.
    expect((await call(API_ROUTES.retryJob, job, { headers: device })).status).toBe(202);
    expect((await waitForJob(sys.url, device, accepted)).status).toBe('completed');
    expect((await call(API_ROUTES.jobStatus, { job_id: 'no-such-job-0001' }, { headers: device })).status).toBe(404);
    expect((await call(API_ROUTES.listJobs, {}, { headers: device, query: '?status=completed' })).status).toBe(200);
    expect((await call(API_ROUTES.listJobs, {}, { headers: device, query: '?status=lost' })).status).toBe(400);
    expect((await call(API_ROUTES.listJobs, {}, {})).status).toBe(401);

  });

  it('the medication list: add, confirm, edit, delete', async () => {
    const list = (await call(API_ROUTES.listMedications, {}, { headers: device })).json() as MedicationView[];
    const draft = list.find((m) => m.status === 'needs_review' || m.source_job_id)!;
    expect((await call(API_ROUTES.confirmMedication, { id: draft.id }, { headers: device, json: { medication: { quantity: 30 } } })).status).toBe(200);
    const added = (await call(API_ROUTES.addMedication, {}, { headers: device, json: { name: 'Vitamin D', dosage: '1000 IU', as_needed: false } })).json() as MedicationView;
    expect((await call(API_ROUTES.addMedication, {}, { headers: device, json: { name: 'X', colour: 'blue' } })).status).toBe(400);
    expect((await call(API_ROUTES.editMedication, { id: added.id }, { headers: device, json: { dosage: '2000 IU' } })).status).toBe(200);
    expect((await call(API_ROUTES.editMedication, { id: 'no-such-med-0001' }, { headers: device, json: { dosage: '1 mg' } })).status).toBe(404);
    expect((await call(API_ROUTES.deleteMedication, { id: added.id }, { headers: device })).status).toBe(204);
  });

  it('the household record: people, refill, stop, undo, history, exports', { timeout: 180_000 }, async () => {
    // A second photo of the label read above (distinct bytes): a reading with the same Rx number and pharmacy.
    const rescan = await uploadLabel(sys.url, device);
    expect((await waitForJob(sys.url, device, rescan)).status).toBe('completed');
    const label = await readFile(labelFixture('dev-000-clean').image);
    const again = new FormData();
    again.append('image', new Blob([label], { type: 'image/jpeg' }), 'label.jpg');
    // The very photo uploaded first in this suite: answered with its job.
    expect((await call(API_ROUTES.uploadPhoto, {}, { headers: device, body: again })).status).toBe(200);

    const sarah = (await call(API_ROUTES.addPerson, {}, { headers: device, json: { name: 'Sarah Smith' } })).json() as PersonView;
    expect((await call(API_ROUTES.addPerson, {}, { headers: device, json: { name: 'SMITH, SARAH' } })).status).toBe(200);
    expect((await call(API_ROUTES.addPerson, {}, { headers: device, json: { name: ' ' } })).status).toBe(400);
    const tom = (await call(API_ROUTES.addPerson, {}, { headers: device, json: { name: 'Tom Brown' } })).json() as PersonView;
    expect((await call(API_ROUTES.listPeople, {}, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.renamePerson, { id: tom.id }, { headers: device, json: { name: 'Thomas Brown' } })).status).toBe(200);
    expect((await call(API_ROUTES.renamePerson, { id: 'no-such-person' }, { headers: device, json: { name: 'X Y' } })).status).toBe(404);
    expect((await call(API_ROUTES.mergePerson, { id: sarah.id }, { headers: device, json: { into: sarah.id } })).status).toBe(409);

    const list = (await call(API_ROUTES.listMedications, {}, { headers: device })).json() as MedicationView[];
    const confirmed = list.find((m) => m.status === 'confirmed' && m.source_job_id)!;
    const draft = list.find((m) => m.id === rescan.job_id)!;
    expect((await call(API_ROUTES.editMedication, { id: confirmed.id }, { headers: device, json: { person_id: tom.id } })).status).toBe(200);
    expect((await call(API_ROUTES.refillMedication, { id: draft.id }, { headers: device, json: { of: draft.id } })).status).toBe(409);
    expect((await call(API_ROUTES.refillMedication, { id: draft.id }, { headers: device, json: { of: confirmed.id, medication: { refills: 4 } } })).status).toBe(200);
    expect((await call(API_ROUTES.mergePerson, { id: tom.id }, { headers: device, json: { into: sarah.id } })).status).toBe(200);
    expect((await call(API_ROUTES.stopMedication, { id: confirmed.id }, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.resumeMedication, { id: confirmed.id }, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.deleteMedication, { id: confirmed.id }, { headers: device })).status).toBe(204);
    expect((await call(API_ROUTES.listDeletedMedications, {}, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.restoreMedication, { id: confirmed.id }, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.medicationHistory, { id: confirmed.id }, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.medicationHistory, { id: 'no-such-med-0001' }, { headers: device })).status).toBe(404);
    expect((await call(API_ROUTES.exportFhir, {}, { headers: device, query: `?person=${sarah.id}` })).status).toBe(200);
    expect((await call(API_ROUTES.exportFhir, {}, { headers: device, query: '?person=nobody-at-all' })).status).toBe(404);
    expect((await call(API_ROUTES.exportCsv, {}, { headers: device })).status).toBe(200);
    expect((await call(API_ROUTES.exportCsv, {}, { headers: device, query: '?person=a&person=b' })).status).toBe(400);
  });

  it('devices: session, pairing codes, pairing, the list, revoking', async () => {
    await call(API_ROUTES.getSession, {}, { headers: device });
    await call(API_ROUTES.getSession, {}, { headers: admin });
    expect((await call(API_ROUTES.makePairingCode, {}, { headers: device })).status).toBe(403);
    const { code } = (await call(API_ROUTES.makePairingCode, {}, { headers: admin })).json() as { code: string };
    expect((await call(API_ROUTES.pair, {}, { json: { code: 'WRONG-CODE' } })).status).toBe(400);
    const paired = (await call(API_ROUTES.pair, {}, { json: { code, name: 'Second tablet' } })).json() as { device: { id: string }; token: string };
    expect((await call(API_ROUTES.listDevices, {}, { headers: admin })).status).toBe(200);
    expect((await call(API_ROUTES.revokeDevice, { id: 'no-such-device' }, { headers: admin })).status).toBe(404);
    const third = (await call(API_ROUTES.makePairingCode, {}, { headers: admin })).json() as { code: string };
    const other = (await call(API_ROUTES.pair, {}, { json: { code: third.code } })).json() as { device: { id: string } };
    expect((await call(API_ROUTES.revokeDevice, { id: other.device.id }, { headers: admin })).status).toBe(204);
    expect((await call(API_ROUTES.forgetDevice, {}, { headers: { authorization: `Bearer ${paired.token}` } })).status).toBe(204);
  });

  it('called every documented HTTP operation (the push channel is a WebSocket)', () => {
    const all = (Object.values(API_ROUTES) as ApiRoute[]).filter((r) => r !== API_ROUTES.pushChannel).map((r) => `${r.method} ${r.path}`);
    expect(all.filter((r) => !called.has(r))).toEqual([]);
  });
});
