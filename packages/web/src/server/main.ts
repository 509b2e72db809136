import pino from 'pino';
import { ConfigError } from '@rxscan/service-kit';
import { loadConfig, type WebConfig } from './config.js';
import { closeWebServer, createWebServer, listenWebServer } from './web.server.js';

/** `node packages/web/dist/main.js`: the tablet's one origin. */
let config: WebConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`configuration error: ${err.message}\n`);
  process.exit(2);
}

const log = pino({ base: { service: 'web' }, level: config.logLevel });
const server = createWebServer(config, { log });

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // A supervisor waits for us; never make it wait for ever.
  setTimeout(() => {
    log.error('shutdown timed out');
    process.exit(1);
  }, 5000).unref();
  void closeWebServer(server, 2000).then(() => {
    log.info('stopped');
    process.exit(0);
  });
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

try {
  const url = await listenWebServer(server, config.port, config.host);
  log.info({ url, ingest: config.ingestUrl.origin, med_store: config.medStoreUrl.origin }, 'web listening');
} catch (err) {
  log.fatal({ err, port: config.port, host: config.host }, 'could not listen; set PORT or HOST to a free address');
  process.exit(1);
}
