import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ExtractAccepted, JobStatusView, MedicationView } from '@rxscan/contracts';
import { eventually, labelFixture, REPO_ROOT, startSystem, tempDir, type RunningSystem } from '@rxscan/test-utils';

const run = promisify(execFile);

describe('the whole system, started as npm start does', () => {
  let sys: RunningSystem;
  let auth: { authorization: string };
  beforeAll(async () => {
    sys = await startSystem();
    auth = (await sys.pair()).headers;
  });
  afterAll(async () => {
    if (!sys) return;
    const code = await sys.stop();
    expect(code).toBe(0);
    expect(sys.output.join('\n')).toMatch(/\[start\] stopped/);
  });

  it('serves the web page at the printed URL', async () => {
    const res = await fetch(sys.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('reads an uploaded label photo and adds the medication to the list', { timeout: 180_000 }, async () => {
    const label = labelFixture('dev-000-clean');
    const truth = JSON.parse(await readFile(label.truth, 'utf8')).truth;
    const form = new FormData();
    form.append('image', new Blob([await readFile(label.image)], { type: 'image/jpeg' }), 'label.jpg');

    const res = await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: form, headers: auth });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as ExtractAccepted;
    expect(accepted.poll_url).toBe(`/meds/extract/${accepted.job_id}/status`);

    // The photo is on disk, whole, before anyone said "received".
    const stored = await readdir(path.join(sys.dataDir, 'prescription_images'));
    expect(stored).toContain(`${accepted.job_id}.jpg`);

    const seen = new Set<string>();
    const done = await eventually(async () => {
      const r = await fetch(`${sys.url}${accepted.poll_url}`, { headers: auth });
      expect(r.status).toBe(200);
      const status = (await r.json()) as JobStatusView;
      seen.add(status.status);
      return status.status === 'completed' || status.status === 'failed' ? status : undefined;
    }, 120_000, 250);
    expect(done.status).toBe('completed');
    expect(done.result!.medication.name).toMatch(new RegExp(truth.name_base, 'i'));

    const meds = (await (await fetch(`${sys.url}/meds/medications`, { headers: auth })).json()) as MedicationView[];
    const med = meds.find((m) => m.source_job_id === accepted.job_id);
    expect(med).toBeDefined();
    expect(med!.name).toMatch(new RegExp(truth.name_base, 'i'));
    expect(med!.dosage?.replace(/\s+/g, '').toLowerCase()).toBe(truth.dosage.replace(/\s+/g, '').toLowerCase());
  });

  it('refuses a file that is not a photo with a JSON error through the single origin', async () => {
    const form = new FormData();
    form.append('image', new Blob(['<html>not a label</html>'], { type: 'image/jpeg' }), 'x.jpg');
    const res = await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: form, headers: auth });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_an_image');
  });

  it('restarts a service that dies, says so, and the ops commands find the system through DATA_DIR', { timeout: 120_000 }, async () => {
    const runtime = JSON.parse(await readFile(path.join(sys.dataDir, 'runtime.json'), 'utf8'));
    const before = runtime.pids.ingest as number;
    process.kill(before, 'SIGKILL');
    await eventually(() => (sys.output.some((l) => /\[start\] ingest exited \(SIGKILL\); restarting in/.test(l)) ? true : undefined), 10_000);
    const label = labelFixture('dev-001-clean');
    const accepted = await eventually(async () => {
      const form = new FormData();
      form.append('image', new Blob([await readFile(label.image)], { type: 'image/jpeg' }), 'label.jpg');
      const res = await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: form, headers: auth });
      return res.status === 202 ? res : undefined;
    }, 30_000, 250);
    expect(accepted.status).toBe(202);
    const after = JSON.parse(await readFile(path.join(sys.dataDir, 'runtime.json'), 'utf8'));
    expect(after.pids.ingest).not.toBe(before);

    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js'), 'status'], {
      env: { ...process.env, DATA_DIR: sys.dataDir, NATS_URL: '', DATABASE_URL: '' },
    });
    expect(stdout).toMatch(/^OCR\s+\d+/m);
    expect(stdout).toMatch(/jobs: pending \d+, processing \d+, completed [1-9]/);
  });
});

describe('npm start on a machine without nats-server', () => {
  it('says plainly what to install, and exits', async () => {
    const dir = await tempDir();
    const result = await run(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/start.js')], {
      env: { ...process.env, NATS_URL: '', NATS_SERVER_BIN: '/nonexistent/nats-server', PORT: '0', DATA_DIR: dir.path },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    await dir.remove();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nats-server was not found/);
    expect(result.stderr).toMatch(/apt-get install nats-server/);
  });
});
