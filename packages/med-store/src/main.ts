import { createLogger, exitOnConfigError, onShutdown, keepFilesPrivate } from '@rxscan/service-kit';
import { loadConfig, type MedStoreConfig } from './config.js';
import { startMedStore } from './med-store.service.js';
import { loadOrCreateAdminToken } from './admin-token.storage.js';

keepFilesPrivate(); // DATA_DIR's files are the owner's alone, whatever the umask
const log = createLogger('med-store');
let config: MedStoreConfig;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}
log.info({ servers: config.bus.servers, database: config.database.url.replace(/\/\/[^@]*@/, '//***@') }, 'starting');
let adminToken = config.adminToken;
if (!adminToken) {
  const made = await loadOrCreateAdminToken(config.dataDir);
  adminToken = made.token;
  // Shown this once, where the person who started the service sees it; after that only the file has it.
  if (made.created) process.stderr.write(`\nAdmin secret created and stored in ${made.file} (mode 0600). It is shown only this once:\n\n  ${adminToken}\n\n`);
}
const service = await startMedStore({ ...config, adminToken, log });
log.info({ url: service.url }, 'med-store listening');
onShutdown(log, () => service.stop());
