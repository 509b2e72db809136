import { closeServer, createLogger, createOpsServer, exitOnConfigError, listen, onShutdown, keepFilesPrivate } from '@rxscan/service-kit';
import { loadConfig, type WebConfig } from './config.js';
import { closeWebServer, createWebServer, listenWebServer } from './web.server.js';
import { createWebMetrics } from './web.metrics.js';

/** `node packages/web/dist/main.js`: the tablet's one origin. */
keepFilesPrivate(); // DATA_DIR's files are the owner's alone, whatever the umask
let config: WebConfig;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}

const log = createLogger('web', config.logLevel);
const metrics = createWebMetrics();
const server = createWebServer(config, { log, requestMetrics: metrics.middleware });
// Prometheus scrapes a port of its own, never the one the tablets use.
const metricsServer = createOpsServer(metrics.registry, { ready: async () => ({}) });
// A supervisor waits for us: in-flight requests get 2 s, the whole stop 5 s.
onShutdown(log, () => Promise.all([closeWebServer(server, 2000), closeServer(metricsServer)]).then(() => {}), 5000);

try {
  const url = await listenWebServer(server, config.port, config.host);
  const metricsUrl = await listen(metricsServer, config.metricsPort, config.metricsHost);
  log.info({ url, metrics: `${metricsUrl}/metrics`, ingest: config.ingestUrl.origin, med_store: config.medStoreUrl.origin }, 'web listening');
} catch (err) {
  log.fatal({ err, port: config.port, host: config.host }, 'could not listen; set PORT or HOST to a free address');
  process.exit(1);
}
