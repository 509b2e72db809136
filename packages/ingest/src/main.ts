import http from 'node:http';
import { statfs } from 'node:fs/promises';
import { BUCKETS, STREAMS } from '@rxscan/contracts';
import { connectBus, publishEvent, trackBusWrites, type Bus, type BusWrites } from '@rxscan/bus';
import { closeServer, createLogger, createRegistry, exitOnConfigError, listen, LocalImageStorage, onShutdown, keepFilesPrivate } from '@rxscan/service-kit';
import { loadConfig, type IngestConfig } from './config.js';
import { createIngestApp } from './ingest.app.js';
import { jetStreamPhotoIndex } from './photo-index.storage.js';

keepFilesPrivate(); // DATA_DIR's files are the owner's alone, whatever the umask
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
let writes: BusWrites | null = null;
const app = createIngestApp({
  store,
  log,
  limits: config,
  internalSecret: config.internalSecret,
  freeDiskBytes: async () => {
    const s = await statfs(config.imageDir);
    return s.bavail * s.bsize;
  },
  registry: createRegistry('ingest'),
  busReady: () => writes?.ready() ?? false,
  busProblem: () => writes?.problem() ?? 'not connected to NATS yet',
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
server.requestTimeout = 120_000; // backstop behind the app's 60 s body deadline
const url = await listen(server, config.port, config.host);
log.info({ url }, 'ingest listening');
log.info({ servers: config.bus.servers }, 'connecting to NATS');
bus = await connectBus(config.bus);
// The streams it writes to: the requests, and its index of photos (a key-value bucket is a stream too).
writes = trackBusWrites(bus, 'ingest', log, { streams: [STREAMS.OCR, `KV_${BUCKETS.photoJobs}`] });
log.info('ingest ready');

onShutdown(log, async () => {
  // Stop taking uploads, let those in flight finish, then close the bus.
  await closeServer(server);
  writes?.stop();
  await bus?.close();
});
