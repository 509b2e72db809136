/**
 * `ops backup` of a running system whose projection lags behind its streams, then
 * `ops restore` into an empty DATA_DIR: every medication, job and photo is back, the
 * events the tables had not projected yet are projected after the restore, paired
 * tablets keep working, and `ops rebuild` from the restored streams agrees.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { JobStatusView, MedicationView } from '@rxscan/contracts';
import { publishEvent } from '@rxscan/bus';
import { REPO_ROOT, eventually, startSystem, tempDir, uploadLabel, waitForJob, type RunningSystem, type TempDir } from '@rxscan/test-utils';

const run = promisify(execFile);
const ops = (dataDir: string, ...args: string[]) =>
  run(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js'), ...args], { env: { ...process.env, DATA_DIR: dataDir, NATS_URL: '', DATABASE_URL: '' } });

describe('backup of a running system, restore into an empty DATA_DIR', () => {
  let original: TempDir;
  let restored: TempDir;
  let backups: TempDir;
  let sys: RunningSystem | null = null;
  let headers: Record<string, string>;
  const get = async <T>(base: string, route: string): Promise<T> => {
    const res = await fetch(`${base}${route}`, { headers });
    expect(res.status, route).toBe(200);
    return (await res.json()) as T;
  };
  const snapshot = async (base: string) => ({
    meds: (await get<MedicationView[]>(base, '/meds/medications')).sort((a, b) => a.id.localeCompare(b.id)),
    jobs: (await get<JobStatusView[]>(base, '/meds/jobs?limit=200')).sort((a, b) => a.job_id.localeCompare(b.job_id)),
  });
  let before: Awaited<ReturnType<typeof snapshot>>;
  let handMed: MedicationView;

  beforeAll(async () => {
    [original, restored, backups] = await Promise.all([tempDir('rxscan-backup-a-'), tempDir('rxscan-backup-b-'), tempDir('rxscan-backups-')]);
  });
  afterAll(async () => {
    await sys?.stop();
    await Promise.all([original, restored, backups].map((d) => d?.remove()));
  });

  it('backs up a running system whose tables lag behind its streams', { timeout: 300_000 }, async () => {
    sys = await startSystem({ dataDir: original.path });
    headers = (await sys.pair('Kitchen tablet')).headers;
    const jobs = await Promise.all(['dev-000-clean', 'dev-001-clean'].map((n) => uploadLabel(sys!.url, headers, n)));
    const done = await Promise.all(jobs.map((j) => waitForJob(sys!.url, headers, j)));
    expect(done.map((d) => d.status)).toEqual(['completed', 'completed']);
    // A reading confirmed, a medication typed in by hand.
    const confirm = await fetch(`${sys.url}/meds/medications/${done[0]!.result!.medication_id}/confirm`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
    expect(confirm.status).toBe(200);
    const added = await fetch(`${sys.url}/meds/medications`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Vitamin D', dosage: '1000 IU' }) });
    expect(added.status).toBe(201);
    handMed = (await added.json()) as MedicationView;

    // med-store paused: a change stored by the bus but not yet in the tables when the backup copies them.
    const runtime = JSON.parse(await readFile(path.join(original.path, 'runtime.json'), 'utf8'));
    const creds = JSON.parse(await readFile(path.join(original.path, 'nats-auth.json'), 'utf8'));
    const medStorePid = runtime.pids['med-store'] as number;
    process.kill(medStorePid, 'SIGSTOP');
    try {
      const nc = await connect({ servers: runtime.nats_url, user: creds.ops.user, pass: creds.ops.password });
      await publishEvent(jetstream(nc), { type: 'med.updated', data: { med_id: handMed.id, changes: { dosage: '2000 IU' }, updated_at: new Date().toISOString() } });
      await nc.close();
      const { stdout } = await ops(original.path, 'backup', path.join(backups.path, 'one'));
      expect(stdout).toMatch(/backing up .* through the running system's NATS/);
      expect(stdout).toMatch(/stream MEDS: 3 events/);
      expect(stdout).toMatch(/database \(sqlite\): projected .*MEDS to 2/);
      expect(stdout).toMatch(/photos: 2/);
    } finally {
      process.kill(medStorePid, 'SIGCONT');
    }
    before = await eventually(async () => {
      const s = await snapshot(sys!.url);
      return s.meds.find((m) => m.id === handMed.id)?.dosage === '2000 IU' ? s : undefined;
    });
    expect(before.meds).toHaveLength(3);
    expect(before.jobs).toHaveLength(2);
    expect(await sys.stop()).toBe(0);
    sys = null;
  });

  it('refuses to restore into a DATA_DIR that has data, and over a running system', async () => {
    await expect(ops(original.path, 'restore', path.join(backups.path, 'one'))).rejects.toThrow(/already holds|exists/);
    await expect(ops(restored.path, 'restore', path.join(backups.path, 'nothing-here'))).rejects.toThrow(/not an RxScan backup/);
  });

  it('restores into an empty DATA_DIR: every medication, job and photo, and the change the tables had not seen', { timeout: 300_000 }, async () => {
    const { stdout } = await ops(restored.path, 'restore', path.join(backups.path, 'one'));
    expect(stdout).toMatch(/stream OCR restored: \d+ events/);
    expect(stdout).toMatch(/photos restored: 2/);
    expect((await readdir(path.join(restored.path, 'prescription_images'))).sort()).toEqual(before.jobs.map((j) => expect.stringMatching(new RegExp(`^${j.job_id}\\.`))));

    sys = await startSystem({ dataDir: restored.path });
    // The tablet paired before the backup is still paired: its token works as it did.
    const after = await eventually(async () => {
      const s = await snapshot(sys!.url);
      return s.meds.find((m) => m.id === handMed.id)?.dosage === '2000 IU' ? s : undefined;
    });
    expect(after).toEqual(before);
    for (const job of after.jobs) {
      const photo = await fetch(`${sys.url}/meds/extract/${job.job_id}/image`, { headers });
      expect(photo.status, job.job_id).toBe(200);
      expect(photo.headers.get('content-type')).toBe('image/jpeg');
    }
    await expect(ops(restored.path, 'restore', path.join(backups.path, 'one'))).rejects.toThrow(/RxScan is running/);

    // Rebuilt from the restored streams alone, the tables are the same.
    const { stdout: rebuilt } = await ops(restored.path, 'rebuild');
    expect(rebuilt).toMatch(/rebuilt from \d+ events/);
    expect(await snapshot(sys.url)).toEqual(before);

    // And the restored system goes on working.
    const next = await uploadLabel(sys.url, headers, 'dev-001-clean');
    expect((await waitForJob(sys.url, headers, next)).status).toBe('completed');
  });
});
