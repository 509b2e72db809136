import { createLogger, exitOnConfigError, onShutdown } from '@rxscan/service-kit';
import { loadConfig, type MedStoreConfig } from './config.js';
import { startMedStore } from './med-store.service.js';

const log = createLogger('med-store');
let config: MedStoreConfig;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}
log.info({ servers: config.bus.servers, database: config.database.url.replace(/\/\/[^@]*@/, '//***@') }, 'starting');
const service = await startMedStore({ ...config, log });
log.info({ url: service.url }, 'med-store listening');
onShutdown(log, () => service.stop());
