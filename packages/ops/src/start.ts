import { randomBytes } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BusRole } from '@rxscan/bus';
import {
  checkInternalSecret,
  envInt,
  envOptional,
  envString,
  findNatsServer,
  freePort,
  freePorts,
  jetstreamStoreLimit,
  keepFilesPrivate,
  loadOrCreateSecret,
  natsServerArgs,
  waitForPort,
} from '@rxscan/service-kit';
import { loadOrCreateCredentials, writeNatsConfig, type NatsCredentials } from './nats-auth.storage.js';
import { refreshNatsContexts } from './nats-context.storage.js';
import { loadOrCreateAdminToken } from '@rxscan/med-store';
import { readRuntime, removeRuntime, runningAs, writeRuntime } from './runtime.storage.js';
import { nodeService, stopInOrder, SupervisedProcess, type ServiceSpec } from './process.supervisor.js';
import { folderBytes, freeBytes } from './data-disk.storage.js';
import { watchNatsLiveness } from './nats-liveness.watcher.js';

/**
 * `npm start`: one machine, every part as its own supervised process — nats-server
 * with JetStream (unless NATS_URL names one), med-store, ingest, the OCR worker(s)
 * and the web server. A part that dies is restarted; nats-server is also restarted
 * when it runs but stores nothing. Ctrl-C stops them in order: web, ingest, the
 * workers, med-store, nats-server.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
// Everything made under DATA_DIR, by this launcher and the processes it starts (they inherit it), is the owner's alone.
keepFilesPrivate();
// Once whatever reads the launcher's output is gone (EPIPE), nothing more is written; the launcher stops everything.
let outputGone = false;
const say = (line: string) => {
  if (!outputGone) process.stdout.write(`[start] ${line}\n`);
};
const quiet = process.env.START_QUIET === '1';
const output = (name: string, line: string) => {
  if (!quiet && !outputGone) process.stdout.write(`[${name}] ${line}\n`);
};
const MB = 1024 * 1024;

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
let dataDir: string, host: string, port: number, workers: number, reserveBytes: number;
try {
  dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  host = envString(env, 'HOST', '127.0.0.1');
  port = envInt(env, 'PORT', 8080, 0, 65535);
  workers = envInt(env, 'OCR_WORKERS', 1, 1, 32);
  reserveBytes = envInt(env, 'MIN_FREE_DISK_MB', 512, 0, 1_000_000) * MB;
} catch (err) {
  fail((err as Error).message);
}
await mkdir(dataDir, { recursive: true, mode: 0o700 });
// Also a DATA_DIR made earlier, or by hand, with the usual 0755: nobody else may look inside.
await chmod(dataDir, 0o700);

// One launcher per DATA_DIR. One that died without stopping (SIGKILL) may have left its nats-server holding the store.
const previous = await readRuntime(dataDir);
if (previous && previous.pid !== process.pid && runningAs(previous.pid, 'start.js')) {
  fail(`RxScan is already running from ${dataDir} (launcher pid ${previous.pid}); stop it first, or set DATA_DIR`);
}
const leftover = previous?.pids['nats-server'];
if (leftover && runningAs(leftover, 'nats-server')) {
  say(`ending the nats-server (pid ${leftover}) left running by a launcher that did not stop cleanly`);
  process.kill(leftover, 'SIGKILL');
}

if (port !== 0 && !(await portFree(port, host))) fail(`port ${port} on ${host} is in use; set PORT to another port`);
if (port === 0) port = await freePort(host);
// Ports for nats-server, ingest, med-store, each worker's and web's metrics: distinct, and not the web port (free, not yet bound).
const ports = (await freePorts(5 + workers, host)).filter((p) => p !== port);
const [natsPort, freeA, freeB, webMetricsPort] = ports as [number, number, number, number];
const workerPorts = ports.slice(4);
// Only web faces the network: it checks every request's token. nats-server, ingest and
// med-store listen on loopback whatever HOST says, so nobody can walk around the check.
const internal = '127.0.0.1';

const pids: Record<string, number | undefined> = {};
let natsUrl = envOptional(env, 'NATS_URL');
let nats: SupervisedProcess | null = null;
const natsLines: string[] = [];
// Our own server gets a user per service with only the rights its role needs.
let creds: NatsCredentials | null = null;
if (!natsUrl) {
  let bin: string;
  try {
    bin = findNatsServer();
  } catch (err) {
    fail((err as Error).message);
  }
  creds = await loadOrCreateCredentials(dataDir);
  const ownCreds = creds;
  const storeDir = path.join(dataDir, 'nats');
  await mkdir(storeDir, { recursive: true, mode: 0o700 });
  const conf = await writeNatsConfig(dataDir, creds);
  const spec: ServiceSpec = {
    name: 'nats-server',
    command: bin,
    // Same port, store and users on every restart, so the services' clients simply reconnect.
    args: natsServerArgs({ storeDir, port: natsPort, host: internal, args: ['-c', conf] }),
    env: {},
    graceMs: 10_000,
    beforeStart: async () => {
      const figures = { storeBytes: await folderBytes(storeDir), freeBytes: await freeBytes(storeDir), reserveBytes };
      const limit = jetstreamStoreLimit(figures);
      await writeNatsConfig(dataDir, ownCreds, { maxFileStore: limit });
      say(`nats-server store limit ${Math.floor(limit / MB)} MB (holds ${Math.floor(figures.storeBytes / MB)} MB; ${Math.floor(figures.freeBytes / MB)} MB free on its disk, reserve ${reserveBytes / MB} MB)`);
    },
  };
  nats = new SupervisedProcess(
    spec,
    say,
    (_name, line) => {
      natsLines.push(line);
      if (natsLines.length > 30) natsLines.shift();
      output('nats', line);
    },
    (pid) => {
      pids['nats-server'] = pid;
      saveRuntime();
    },
  );
  natsUrl = `nats://${internal}:${natsPort}`;
} else {
  say(`using the NATS server(s) at ${natsUrl}`);
}

// The admin secret: MEDS_ADMIN_TOKEN, or the one kept in DATA_DIR/admin-token, made and shown once here.
let adminNotice: string | null = null;
if (!envOptional(env, 'MEDS_ADMIN_TOKEN')) {
  const admin = await loadOrCreateAdminToken(dataDir);
  if (admin.created) adminNotice = `admin secret (shown only this once; kept in ${admin.file}, mode 0600):\n\n    ${admin.token}\n`;
}

// The secret web signs its requests to ingest and med-store with: INTERNAL_SECRET, or DATA_DIR/internal-secret (0600), made once.
let internalSecret: string;
try {
  internalSecret = checkInternalSecret(
    envOptional(env, 'INTERNAL_SECRET') ?? (await loadOrCreateSecret(path.join(dataDir, 'internal-secret'), () => `rxi_${randomBytes(32).toString('base64url')}\n`)).value.trim(),
  );
} catch (err) {
  fail(`${(err as Error).message} (delete DATA_DIR/internal-secret to have a new one made)`);
}
const signed = { INTERNAL_SECRET: internalSecret };

const ingestPort = envInt(env, 'INGEST_PORT', 0) || freeA;
const medStorePort = envInt(env, 'MED_STORE_PORT', 0) || freeB;
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
const runtime = () => ({
  pid: process.pid,
  started_at: new Date().toISOString(),
  nats_url: natsUrl!,
  database_url: envOptional(env, 'DATABASE_URL') ?? path.join(dataDir, 'meds.sqlite'),
  urls,
  metrics,
  pids: { ...pids },
});
let runtimeWrite = Promise.resolve();
function saveRuntime(): void {
  // Serialised, so an older write never lands after a newer one.
  runtimeWrite = runtimeWrite.then(() => writeRuntime(dataDir, runtime())).catch(() => {});
}
const supervise = (spec: ServiceSpec) =>
  new SupervisedProcess(spec, say, output, (pid) => {
    pids[spec.name] = pid;
    saveRuntime();
  });

// Each grace period is a little longer than the service's own limit on its stop.
const medStore = supervise(nodeService('med-store', script('med-store'), { ...common, ...signed, ...as('med-store'), MED_STORE_PORT: String(medStorePort) }, 15_000));
const ingest = supervise(nodeService('ingest', script('ingest'), { ...common, ...signed, ...as('ingest'), INGEST_PORT: String(ingestPort) }, 15_000));
const ocrWorkers = Array.from({ length: workers }, (_, i) =>
  supervise(nodeService(workerName(i), script('ocr-worker'), { ...common, ...as('ocr-worker'), WORKER_PORT: String(workerPorts[i]) }, 35_000)),
);
const webEnv = { ...common, ...signed, HOST: host, PORT: String(port), INGEST_URL: urls.ingest, MED_STORE_URL: urls.med_store, WEB_METRICS_PORT: String(webMetricsPort), WEB_METRICS_HOST: internal };
const web = supervise(nodeService('web', script('web'), webEnv, 10_000));
const services = [medStore, ingest, ...ocrWorkers, web];

let liveness: ReturnType<typeof watchNatsLiveness> | null = null;
let stopping: ReturnType<typeof stopInOrder> | null = null;
async function stopAll(signal: string): Promise<void> {
  if (stopping) {
    say(`${signal} again: killing what is left`);
    stopping.hurry();
    return;
  }
  say(`${signal}: stopping web, ingest, the workers, med-store, then nats-server (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again kills them at once)`);
  // Front door first, so nothing new arrives; ingest answers the uploads it has; the workers finish or hand back their job.
  stopping = stopInOrder([[web], [ingest], ocrWorkers, [medStore], nats ? [nats] : []]);
  await Promise.all([stopping.done, liveness?.stop()]);
  await runtimeWrite;
  await removeRuntime(dataDir);
  say('stopped');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(signal));
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  outputGone = true;
  if (err.code === 'EPIPE') void stopAll('output closed');
});
// Should the launcher itself fail, take the children with it (as the kernel does when it is SIGKILLed).
process.on('exit', () => {
  for (const s of [...services, ...(nats ? [nats] : [])]) {
    try {
      if (s.pid) process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

if (nats) {
  await nats.start();
  try {
    await waitForPort(natsPort, internal, 20_000);
  } catch {
    nats.kill();
    fail(`nats-server did not start:\n${natsLines.join('\n')}`);
  }
  say(`nats-server with JetStream at ${natsUrl} (store ${path.join(dataDir, 'nats')})`);
  // Contexts written by `ops nats-context` follow the server to its new port.
  for (const file of await refreshNatsContexts(dataDir, natsUrl, creds!.ops)) say(`nats CLI context ${file} now points at ${natsUrl}`);
  liveness = watchNatsLiveness({
    url: natsUrl,
    user: creds?.ops.user,
    pass: creds?.ops.password,
    server: nats,
    freeBytes: () => freeBytes(path.join(dataDir, 'nats')),
    reserveBytes,
    say,
  });
}
for (const s of services) await s.start();
await runtimeWrite;
if (await waitHealthy(urls.web, 60_000)) {
  // Ready, not just alive: the URL is printed once an upload would be accepted.
  const healthy = await Promise.all([urls.ingest, urls.med_store].map((u) => waitHealthy(u, 60_000, '/readyz')));
  if (stopping) {
    // Ctrl-C during start-up: the stop is under way.
  } else if (healthy.every(Boolean)) {
    if (adminNotice) say(adminNotice);
    say(`pair a tablet: npm run -s ops -- pair   (then open ${urls.web} on it and type the code)`);
    say(`RxScan is running at ${urls.web}  (Ctrl-C to stop)`);
  } else say('some services are not answering yet; see their output above');
} else if (!stopping) {
  say(`the web server did not come up at ${urls.web}; see its output above`);
}
