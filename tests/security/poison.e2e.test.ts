/**
 * Issue 14's attack on the whole system as `npm start` runs it: a paired device sends a NUL in a
 * medication's name. The API refuses it now; the same event published straight to MEDS (past
 * the API, as a producer with bus credentials could) is parked, and the list stays writable.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { SUBJECTS, type MedicationView } from '@rxscan/contracts';
import { credentialsFile, readRuntime, type NatsCredentials } from '@rxscan/ops';
import { startSystem, type RunningSystem } from '@rxscan/test-utils';

describe('a NUL in a medication never stops changes to the list', () => {
  let sys: RunningSystem;
  let headers: Record<string, string>;
  let medId: string;
  let nc: NatsConnection;
  let seq: number;
  const meds = (path: string, init: RequestInit = {}) =>
    fetch(`${sys.url}/meds${path}`, { ...init, headers: { ...headers, 'content-type': 'application/json', ...(init.headers as object) } });
  /** `ops …` as an operator types it; a command that exits 1 still has its output read. */
  const ops = (...args: string[]) => sys.ops(...args).catch((err: { stdout?: string; code?: number }) => `exit ${err.code}\n${err.stdout ?? ''}`);

  beforeAll(async () => {
    sys = await startSystem();
    headers = (await sys.pair('Kitchen tablet')).headers;
    const added = await meds('/medications', { method: 'POST', body: JSON.stringify({ name: 'Aspirin', dosage: '81 mg' }) });
    expect(added.status).toBe(201);
    medId = ((await added.json()) as MedicationView).id;
    const runtime = (await readRuntime(sys.dataDir))!;
    const { ops: op } = JSON.parse(await readFile(credentialsFile(sys.dataDir), 'utf8')) as NatsCredentials;
    nc = await connect({ servers: runtime.nats_url, user: op.user, pass: op.password });
  });
  afterAll(async () => {
    await nc?.close();
    await sys?.stop();
  });

  it('refuses {"name": "a\\u0000b"} with a 400 naming the field, and a NUL in a path id with a 404', async () => {
    const res = await meds(`/medications/${medId}`, { method: 'PATCH', body: '{"name": "a\\u0000b"}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_medication', message: 'name: must not contain control characters' } });
    const bad = await meds('/medications/a%00b', { method: 'PATCH', body: '{"name": "x"}' });
    expect(bad.status).toBe(404);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toMatch(/not_found$/);
    expect((await meds(`/medications/${medId}%00/history`)).status).toBe(404);
  });

  it('parks the same event published straight to MEDS, and the next PATCH is applied at once', async () => {
    const raw = { med_id: medId, changes: { name: 'a\u0000b' }, updated_at: new Date().toISOString() };
    seq = (await jetstream(nc).publish(SUBJECTS.medUpdated, JSON.stringify(raw))).seq;

    const res = await meds(`/medications/${medId}`, { method: 'PATCH', body: JSON.stringify({ name: 'Aspirin EC' }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as MedicationView).name).toBe('Aspirin EC');
    const list = (await (await meds('/medications')).json()) as MedicationView[];
    expect(list.map((m) => m.name)).toEqual(['Aspirin EC']);
    // And again, with a restart of nothing: every later change goes through too.
    expect((await meds(`/medications/${medId}`, { method: 'PATCH', body: JSON.stringify({ dosage: '325 mg' }) })).status).toBe(200);
  });

  it('shows the parked event to the operator: ops status, ops parked, /readyz', async () => {
    const id = `MEDS-${seq}`;
    const status = await ops('status');
    expect(status).toMatch(/parked events \(the projection went on without them\): 1/);
    expect(status).toContain(id);
    expect(await ops('parked')).toMatch(new RegExp(`^${id}\\s+med\\.updated\\s+invalid\\s+1x`, 'm'));
    const shown = await ops('parked', 'show', id);
    expect(shown).toMatch(/changes\.name: must not contain control characters/);
    // The NUL as the stream holds it, escaped: nothing reaches the terminal raw.
    expect(shown).toContain('"name": "a\\u0000b"');
    expect(shown).not.toContain('\u0000');
    const runtime = (await readRuntime(sys.dataDir))!;
    const ready = (await (await fetch(`${runtime.urls.med_store}/readyz`)).json()) as { parked: number; projection: string };
    expect(ready).toMatchObject({ parked: 1, projection: 'moving' });
  });

  it('a rebuild reports it instead of failing; a retry fails again; dropped, it is left out for good', async () => {
    const id = `MEDS-${seq}`;
    const rebuilt = await ops('rebuild');
    expect(rebuilt).toMatch(/rebuilt from \d+ events in \d+ ms; 1 could not be applied \(1 invalid, 0 failed\)/);
    expect(rebuilt).toContain(id);
    const retried = await ops('parked', 'retry', id);
    expect(retried).toMatch(/^exit 1/);
    expect(retried).toMatch(/still cannot be applied, and stays parked/);
    expect(await ops('parked', 'drop', id)).toMatch(/^dropped/);
    expect(await ops('status')).toMatch(/parked events \(the projection went on without them\): 0/);
    expect(await ops('rebuild')).toMatch(/rebuilt from \d+ events in \d+ ms \(1 dropped before left out\)$/m);
    expect(await ops('parked', 'list', '--all')).toMatch(/0 parked, 1 dropped/);
    const list = (await (await meds('/medications')).json()) as MedicationView[];
    expect(list.map((m) => [m.name, m.dosage])).toEqual([['Aspirin EC', '325 mg']]);
    expect((await meds(`/medications/${medId}`, { method: 'PATCH', body: JSON.stringify({ form: 'tablet' }) })).status).toBe(200);
  });
});
