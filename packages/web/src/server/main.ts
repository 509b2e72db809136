import { createLogger, exitOnConfigError, onShutdown } from '@rxscan/service-kit';
import { loadConfig, type WebConfig } from './config.js';
import { closeWebServer, createWebServer, listenWebServer } from './web.server.js';

/** `node packages/web/dist/main.js`: the tablet's one origin. */
let config: WebConfig;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}

const log = createLogger('web', config.logLevel);
const server = createWebServer(config, { log });
// A supervisor waits for us: in-flight requests get 2 s, the whole stop 5 s.
onShutdown(log, () => closeWebServer(server, 2000), 5000);

try {
  const url = await listenWebServer(server, config.port, config.host);
  log.info({ url, ingest: config.ingestUrl.origin, med_store: config.medStoreUrl.origin }, 'web listening');
} catch (err) {
  log.fatal({ err, port: config.port, host: config.host }, 'could not listen; set PORT or HOST to a free address');
  process.exit(1);
}
