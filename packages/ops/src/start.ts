import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BusRole } from '@rxscan/bus';
import { envInt, envOptional, envString, freePort, freePorts, NatsServerMissingError, type NatsServerProcess, startNatsServer } from '@rxscan/service-kit';
import { loadOrCreateCredentials, writeNatsConfig, type NatsCredentials } from './nats-auth.storage.js';
import { refreshNatsContexts } from './nats-context.storage.js';
import { loadOrCreateAdminToken } from '@rxscan/med-store';
import { removeRuntime, writeRuntime } from './runtime.storage.js';
import { SupervisedProcess, type ServiceSpec } from './process.supervisor.js';

/**
 * `npm start`: one machine, every part as its own process — nats-server with
 * JetStream (unless NATS_URL names one), med-store, ingest, the OCR worker(s)
 * and the web server — supervised and stopped together on Ctrl-C.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const say = (line: string) => process.stdout.write(`[start] ${line}\n`);
const quiet = process.env.START_QUIET === '1';
const output = (name: string, line: string) => {
  if (!quiet) process.stdout.write(`[${name}] ${line}\n`);
};

function fail(message: string): never {
  process.stderr.write(`[start] ${message}\n`);
  process.exit(1);
}

async function portFree(port: number, host: string): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

async function waitHealthy(url: string, timeoutMs: number, probe = '/healthz'): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}${probe}`)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const env = process.env;
let dataDir: string, host: string, port: number, workers: number;
try {
  dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  host = envString(env, 'HOST', '127.0.0.1');
  port = envInt(env, 'PORT', 8080, 0, 65535);
  workers = envInt(env, 'OCR_WORKERS', 1, 1, 32);
} catch (err) {
  fail((err as Error).message);
}
await mkdir(dataDir, { recursive: true });
if (port !== 0 && !(await portFree(port, host))) fail(`port ${port} on ${host} is in use; set PORT to another port`);
if (port === 0) port = await freePort(host);
// Ports for nats-server, ingest, med-store, each worker's and web's metrics: distinct, and not the web port (free, not yet bound).
const ports = (await freePorts(5 + workers, host)).filter((p) => p !== port);
const [natsPort, freeA, freeB, webMetricsPort] = ports as [number, number, number, number];
const workerPorts = ports.slice(4);

let nats: NatsServerProcess | null = null;
let natsUrl = envOptional(env, 'NATS_URL');
// Our own server gets a user per service with only the rights its role needs.
let creds: NatsCredentials | null = null;
if (!natsUrl) {
  creds = await loadOrCreateCredentials(dataDir);
  const conf = await writeNatsConfig(dataDir, creds);
  try {
    nats = await startNatsServer({ storeDir: path.join(dataDir, 'nats'), port: natsPort, args: ['-c', conf], onLog: (l) => output('nats', l) });
  } catch (err) {
    fail(err instanceof NatsServerMissingError ? err.message : `nats-server did not start: ${(err as Error).message}`);
  }
  natsUrl = nats.url;
  say(`nats-server with JetStream at ${natsUrl} (store ${path.join(dataDir, 'nats')})`);
  // Contexts written by `ops nats-context` follow the server to its new port.
  for (const file of await refreshNatsContexts(dataDir, natsUrl, creds.ops)) say(`nats CLI context ${file} now points at ${natsUrl}`);
} else {
  say(`using the NATS server(s) at ${natsUrl}`);
}

// The admin secret: MEDS_ADMIN_TOKEN, or the one kept in DATA_DIR/admin-token, made and shown once here.
let adminNotice: string | null = null;
if (!envOptional(env, 'MEDS_ADMIN_TOKEN')) {
  const admin = await loadOrCreateAdminToken(dataDir);
  if (admin.created) adminNotice = `admin secret (shown only this once; kept in ${admin.file}, mode 0600):\n\n    ${admin.token}\n`;
}

const ingestPort = envInt(env, 'INGEST_PORT', 0) || freeA;
const medStorePort = envInt(env, 'MED_STORE_PORT', 0) || freeB;
// Only web faces the network: it checks every request's token. ingest and med-store
// listen on loopback whatever HOST says, so nobody can walk around the check.
const internal = '127.0.0.1';
const urls = { web: `http://${host}:${port}`, ingest: `http://${internal}:${ingestPort}`, med_store: `http://${internal}:${medStorePort}` };
const workerName = (i: number) => (workers > 1 ? `ocr-worker-${i + 1}` : 'ocr-worker');
// Every service's scrape address, for `ops status` and a Prometheus pointed at runtime.json; all on loopback.
const metrics: Record<string, string> = {
  'med-store': `${urls.med_store}/metrics`,
  ingest: `${urls.ingest}/metrics`,
  ...Object.fromEntries(workerPorts.slice(0, workers).map((p, i) => [workerName(i), `http://${internal}:${p}/metrics`])),
  web: `http://${internal}:${webMetricsPort}/metrics`,
};
const common = { DATA_DIR: dataDir, NATS_URL: natsUrl, HOST: internal };
const as = (role: BusRole): Record<string, string> => (creds ? { NATS_USER: creds[role].user, NATS_PASSWORD: creds[role].password } : {});
const script = (pkg: string) => path.join(root, 'packages', pkg, 'dist', 'main.js');
const specs: ServiceSpec[] = [
  { name: 'med-store', script: script('med-store'), env: { ...common, ...as('med-store'), MED_STORE_PORT: String(medStorePort) } },
  { name: 'ingest', script: script('ingest'), env: { ...common, ...as('ingest'), INGEST_PORT: String(ingestPort) } },
  ...Array.from({ length: workers }, (_, i) => ({
    name: workerName(i),
    script: script('ocr-worker'),
    env: { ...common, ...as('ocr-worker'), WORKER_PORT: String(workerPorts[i]) },
  })),
  { name: 'web', script: script('web'), env: { ...common, HOST: host, PORT: String(port), INGEST_URL: urls.ingest, MED_STORE_URL: urls.med_store, WEB_METRICS_PORT: String(webMetricsPort), WEB_METRICS_HOST: internal } },
];
const pids: Record<string, number | undefined> = {};
const runtime = () => ({
  pid: process.pid,
  started_at: new Date().toISOString(),
  nats_url: natsUrl,
  database_url: envOptional(env, 'DATABASE_URL') ?? path.join(dataDir, 'meds.sqlite'),
  urls,
  metrics,
  pids: { 'nats-server': nats?.child.pid, ...pids },
});
let runtimeWrite = Promise.resolve();
const services = specs.map(
  (s) =>
    new SupervisedProcess(s, say, output, (pid) => {
      pids[s.name] = pid;
      // Serialised, so an older write never lands after a newer one.
      runtimeWrite = runtimeWrite.then(() => writeRuntime(dataDir, runtime())).catch(() => {});
    }),
);

let stopping = false;
async function stopAll(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping`);
  // Front door first, so nothing new arrives while the rest finish their work.
  for (const name of ['web', 'ingest']) await services.find((s) => s.spec.name === name)?.stop();
  await Promise.all(services.map((s) => s.stop()));
  await nats?.stop();
  await removeRuntime(dataDir);
  say('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stopAll('SIGINT'));
process.on('SIGTERM', () => void stopAll('SIGTERM'));
nats?.child.once('exit', (code, sig) => {
  if (!stopping) say(`nats-server exited (${sig ?? `code ${code}`}); services keep retrying their connection`);
});

for (const s of services) s.start();
await runtimeWrite;
if (await waitHealthy(urls.web, 60_000)) {
  // Ready, not just alive: the URL is printed once an upload would be accepted.
  const healthy = await Promise.all([urls.ingest, urls.med_store].map((u) => waitHealthy(u, 60_000, '/readyz')));
  if (healthy.every(Boolean)) {
    if (adminNotice) say(adminNotice);
    say(`pair a tablet: npm run -s ops -- pair   (then open ${urls.web} on it and type the code)`);
    say(`RxScan is running at ${urls.web}  (Ctrl-C to stop)`);
  }
  else say('some services are not answering yet; see their output above');
} else {
  say(`the web server did not come up at ${urls.web}; see its output above`);
}
