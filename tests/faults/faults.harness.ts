import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'vitest';
import type { JobStatusView } from '@rxscan/contracts';
import { distinctPhoto, eventually, freePorts, REPO_ROOT, startNatsServer, tempDir, type TempDir } from '@rxscan/test-utils';
import { internalHeaders } from '@rxscan/service-kit';

/** The secret web would share with ingest and med-store: the tests sign their direct requests as web does. */
export const INTERNAL_SECRET = 'fault-tests-internal-secret-0123456789';
const signed = (method: string, url: string) => internalHeaders(INTERNAL_SECRET, method, new URL(url).pathname + new URL(url).search);

type ServiceName = 'ingest' | 'med-store' | 'ocr-worker';

/**
 * The services as separate processes on free ports around one nats-server whose
 * store survives a restart, so a test can kill any of them and bring it back.
 */
export class FaultSystem {
  private readonly natsProcs: (Awaited<ReturnType<typeof startNatsServer>> | null)[] = [];
  private readonly procs = new Map<string, ChildProcess>();
  readonly logs: string[] = [];
  natsPorts: number[] = [];
  clusterPorts: number[] = [];
  ingestPort = 0;
  medStorePort = 0;

  private constructor(
    readonly dir: TempDir,
    private readonly extraEnv: Record<string, string>,
  ) {}

  /** `servers` nats-servers: one alone, or a JetStream cluster of three with routes between them. */
  static async create(extraEnv: Record<string, string> = {}, servers = 1): Promise<FaultSystem> {
    const sys = new FaultSystem(await tempDir('rxscan-faults-'), { ...(servers > 1 ? { STREAM_REPLICAS: String(servers) } : {}), ...extraEnv });
    const ports = await freePorts(2 + servers * (servers > 1 ? 2 : 1));
    [sys.ingestPort, sys.medStorePort] = ports.splice(0, 2) as [number, number];
    sys.natsPorts = ports.splice(0, servers);
    sys.clusterPorts = servers > 1 ? ports.splice(0, servers) : [];
    await Promise.all(sys.natsPorts.map((_, i) => sys.startNats(i)));
    return sys;
  }

  /** The usual three: med-store first (it creates the streams), then ingest and one worker. */
  static async running(extraEnv: Record<string, string> = {}): Promise<FaultSystem> {
    const sys = await FaultSystem.create(extraEnv);
    await sys.start('med-store');
    await sys.start('ingest');
    await sys.start('ocr-worker', 'worker');
    return sys;
  }

  get natsUrl(): string {
    return this.natsPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  }
  get ingestUrl(): string {
    return `http://127.0.0.1:${this.ingestPort}`;
  }
  get medStoreUrl(): string {
    return `http://127.0.0.1:${this.medStorePort}`;
  }
  get dataDir(): string {
    return path.join(this.dir.path, 'data');
  }

  async startNats(i = 0): Promise<void> {
    const cluster =
      this.clusterPorts.length > 1
        ? [
            '--server_name', `n${i}`,
            '--cluster_name', 'rxscan-test',
            '--cluster', `nats://127.0.0.1:${this.clusterPorts[i]}`,
            '--routes', this.clusterPorts.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`).join(','),
          ]
        : [];
    this.natsProcs[i] = await startNatsServer({ storeDir: path.join(this.dir.path, `nats-${i}`), port: this.natsPorts[i], args: cluster });
  }

  /** The pid of nats-server `i`, to signal it directly (SIGSTOP to freeze it). */
  natsPid(i = 0): number {
    return this.natsProcs[i]!.child.pid!;
  }

  async stopNats(signal: NodeJS.Signals = 'SIGKILL', i = 0): Promise<void> {
    await this.natsProcs[i]?.stop(signal);
    this.natsProcs[i] = null;
  }

  /** Starts a service process; resolves once it is ready (HTTP health, or the worker's first pull). */
  async start(name: ServiceName, id: string = name, env: Record<string, string> = {}): Promise<ChildProcess> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'packages', name, 'dist', 'main.js')], {
      env: {
        ...process.env,
        DATA_DIR: this.dataDir,
        NATS_URL: this.natsUrl,
        INGEST_PORT: String(this.ingestPort),
        MED_STORE_PORT: String(this.medStorePort),
        OCR_ACK_WAIT_MS: '3000',
        WORKER_PORT: '0',
        LOG_LEVEL: 'info',
        INTERNAL_SECRET,
        ...this.extraEnv,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.procs.set(id, child);
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        for (const line of chunk.toString().split('\n')) if (line) this.logs.push(`[${id}] ${line}`);
        if (/worker pulling ocr.requested|listening/.test(out)) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${id} exited with ${code} before it was ready:\n${out.slice(-2000)}`)));
    });
    await ready;
    // Ready, not just listening: ingest answers 503 until its bus connection is up.
    if (name === 'ingest') await waitReady(this.ingestUrl);
    if (name === 'med-store') await waitReady(this.medStoreUrl);
    return child;
  }

  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  async kill(id: string, signal: NodeJS.Signals): Promise<number | null> {
    const child = this.procs.get(id);
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    const code = await exited;
    this.procs.delete(id);
    return code;
  }

  /** Polls a job's status until it has ended (completed or failed); the status must never be a 404. */
  jobEnded(jobId: string, timeoutMs = 180_000): Promise<JobStatusView> {
    return eventually(async () => {
      const { status, body } = await getJson<JobStatusView>(`${this.medStoreUrl}/meds/extract/${jobId}/status`);
      expect(status).toBe(200);
      return body.status === 'completed' || body.status === 'failed' ? body : undefined;
    }, timeoutMs, 250);
  }

  /** A plain NATS connection, for watching subjects live. */
  connect(): Promise<NatsConnection> {
    return connect({ servers: this.natsUrl.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  }

  async dispose(): Promise<void> {
    for (const id of [...this.procs.keys()]) await this.kill(id, 'SIGKILL');
    for (let i = 0; i < this.natsPorts.length; i++) await this.stopNats('SIGTERM', i);
    await this.dir.remove();
  }
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/**
 * Uploads a photo to ingest as a new photo of the label (distinct bytes, so ingest does not
 * answer it as a repeat of an earlier upload); returns the HTTP status and body.
 */
export async function upload(url: string, image: Buffer, name = 'label.jpg'): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('image', new Blob([distinctPhoto(image)], { type: 'image/jpeg' }), name);
  const res = await fetch(`${url}/meds/extract`, { method: 'POST', body: form, headers: signed('POST', `${url}/meds/extract`) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: signed('GET', url) });
  return { status: res.status, body: (await res.json()) as T };
}

/**
 * An upload whose body arrives in two halves, with `between` run after the first (a
 * signal sent while it is in flight); a connection that fails resolves with status 0.
 */
export function slowUpload(url: string, image: Buffer, between: () => Promise<void>, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const boundary = 'rxscan-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="l.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const body = Buffer.concat([head, distinctPhoto(image), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return new Promise((resolve) => {
    const req = http.request(`${url}/meds/extract`, {
      method: 'POST',
      headers: { ...signed('POST', `${url}/meds/extract`), ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (err) => resolve({ status: 0, body: err.message }));
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    void between().then(() => req.end(body.subarray(half)));
  });
}
