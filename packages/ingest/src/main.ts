import http from 'node:http';
import { statfs } from 'node:fs/promises';
import { connectBus, publishEvent, type Bus } from '@rxscan/bus';
import { closeServer, createLogger, createRegistry, exitOnConfigError, listen, LocalImageStorage, onShutdown, trackConnection } from '@rxscan/service-kit';
import { loadConfig, type IngestConfig } from './config.js';
import { createIngestApp } from './ingest.app.js';
import { jetStreamPhotoIndex } from './photo-index.storage.js';

const log = createLogger('ingest');
let config: IngestConfig;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}

const store = await new LocalImageStorage(config.imageDir).init();
// Listen before the bus is there: /healthz answers at once, /readyz and uploads say 503 until it is.
let bus: Bus | null = null;
let connected = () => false;
const app = createIngestApp({
  store,
  log,
  limits: config,
  freeDiskBytes: async () => {
    const s = await statfs(config.imageDir);
    return s.bavail * s.bsize;
  },
  registry: createRegistry('ingest'),
  busReady: () => connected(),
  photos: jetStreamPhotoIndex(() => {
    if (!bus) throw new Error('not connected to NATS yet');
    return bus.js;
  }, config.bus.replicas),
  publishRequested: async (event) => {
    if (!bus) throw new Error('not connected to NATS yet');
    return (await publishEvent(bus.js, { type: 'ocr.requested', data: event })).seq;
  },
});
const server = http.createServer(app.callback());
server.requestTimeout = 60_000;
const url = await listen(server, config.port, config.host);
log.info({ url }, 'ingest listening');
log.info({ servers: config.bus.servers }, 'connecting to NATS');
bus = await connectBus(config.bus);
connected = trackConnection(bus.nc, log);
log.info('ingest ready');

onShutdown(log, async () => {
  // Stop taking uploads, let those in flight finish, then close the bus.
  await closeServer(server);
  await bus?.close();
});
