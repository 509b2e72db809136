/**
 * deploy/nats.conf (compose; k3s's nats.conf has the same users, checked by the deploy
 * checks) run by a real nats-server: each service's user gets in with its password
 * from the environment and may do what its role needs and nothing more.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { emptyMedication, STREAMS } from '@rxscan/contracts';
import { BUS_PERMISSIONS, connectBus, publishEvent, type Bus, type BusRole } from '@rxscan/bus';
import { passwordVariable } from '@rxscan/ops';
import { findNatsServer } from '@rxscan/service-kit';
import { freePort, REPO_ROOT, startNatsServer, tempDir, type TempDir } from '@rxscan/test-utils';

describe('deploy/nats.conf on a real nats-server', () => {
  let dir: TempDir;
  let server: Awaited<ReturnType<typeof startNatsServer>>;
  const passwords = Object.fromEntries((Object.keys(BUS_PERMISSIONS) as BusRole[]).map((r) => [r, `rx${randomBytes(12).toString('hex')}`])) as Record<BusRole, string>;
  const buses: Bus[] = [];
  const as = async (role: BusRole, manageStreams = false) => {
    const bus = await connectBus({ servers: [server.url], name: role, user: role, pass: passwords[role], replicas: 1, manageStreams });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    dir = await tempDir();
    // nats-server reads the $NATS_PASSWORD_… of the file from its environment, as in the container.
    for (const role of Object.keys(passwords) as BusRole[]) process.env[passwordVariable(role)] = passwords[role];
    // The file as shipped, but its store in a temporary folder (nats-server refuses -sd beside store_dir).
    const conf = (await readFile(path.join(REPO_ROOT, 'deploy/nats.conf'), 'utf8')).replace(/^jetstream \{[^}]*\}$/m, '');
    expect(conf).not.toMatch(/store_dir/);
    await writeFile(path.join(dir.path, 'nats.conf'), conf);
    server = await startNatsServer({ storeDir: path.join(dir.path, 'js'), args: ['-m', String(await freePort()), '-c', path.join(dir.path, 'nats.conf')] });
    await as('med-store', true);
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    await server?.stop();
    await dir?.remove();
    for (const role of Object.keys(passwords) as BusRole[]) delete process.env[passwordVariable(role)];
  });

  it('lets each service in with its own password only', async () => {
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: server.url, user: 'ingest', pass: passwords['med-store'], reconnect: false })).rejects.toThrow(/authorization/i);
    for (const role of Object.keys(passwords) as BusRole[]) {
      const nc = await connect({ servers: server.url, user: role, pass: passwords[role], reconnect: false });
      await nc.close();
    }
  });

  it('gives ingest, the worker and med-store only what their role needs', async () => {
    const requested = {
      job_id: 'deploy-job-0001',
      image: { key: 'deploy-job-0001.jpg', sha256: 'a'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 },
      submitted_at: new Date().toISOString(),
      attempt: 1,
      reason: 'new' as const,
    };
    const ingest = await as('ingest');
    await publishEvent(ingest.js, { type: 'ocr.requested', data: requested });
    await expect(publishEvent(ingest.js, { type: 'ocr.failed', data: { job_id: requested.job_id, attempt: 1, failed_at: new Date().toISOString(), error: { code: 'x', message: 'x' }, retryable: false } }, { timeout: 2000 })).rejects.toThrow();
    const worker = await as('ocr-worker');
    await publishEvent(worker.js, { type: 'ocr.started', data: { job_id: requested.job_id, attempt: 1, worker: 'w', started_at: new Date().toISOString() } });
    await expect(publishEvent(worker.js, { type: 'med.confirmed', data: { med_id: 'deploy-med-0001', source_job_id: null, medication: emptyMedication(), confirmed_at: new Date().toISOString() } }, { timeout: 2000 })).rejects.toThrow();
    await expect(worker.jsm.streams.delete(STREAMS.OCR)).rejects.toThrow();
    const ops = await as('ops');
    expect((await ops.jsm.streams.info(STREAMS.OCR)).state.messages).toBe(2);
  });

  it('k3s’s nats.conf (cluster, same users) is one nats-server accepts', async () => {
    const docs = parseAllDocuments(await readFile(path.join(REPO_ROOT, 'deploy/k8s/nats.yaml'), 'utf8')).map((d) => d.toJS() as { kind?: string; data?: Record<string, string> });
    const conf = docs.find((d) => d.kind === 'ConfigMap')!.data!['nats.conf']!;
    await writeFile(path.join(dir.path, 'k8s-nats.conf'), conf);
    const { stdout, stderr } = await promisify(execFile)(findNatsServer(), ['-t', '-c', path.join(dir.path, 'k8s-nats.conf')], { env: { ...process.env, SERVER_NAME: 'nats-0' } });
    expect(`${stdout}${stderr}`).toMatch(/configuration file .* is valid/);
  });
});
