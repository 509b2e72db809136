import { createLogger, exitOnConfigError, onShutdown, keepFilesPrivate } from '@rxscan/service-kit';
import { loadConfig, type WorkerConfig } from './config.js';
import { startWorker } from './worker.service.js';

keepFilesPrivate(); // DATA_DIR's files are the owner's alone, whatever the umask
const log = createLogger('ocr-worker');
let config: WorkerConfig;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}
log.info({ servers: config.bus.servers, concurrency: config.concurrency, ocr_engine: config.engine }, 'starting');
const worker = await startWorker({ ...config, log });
onShutdown(log, () => worker.stop(20_000), 30_000);
