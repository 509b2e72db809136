export { freePort, freePorts, waitForPort, startNatsServer } from '@rxscan/service-kit';
export { REPO_ROOT, labelFixture, tempDir } from './test.files.js';
export type { TempDir } from './test.files.js';
export { startTestNats, testBus } from './nats.server.js';
export type { TestNats } from './nats.server.js';
export { eventually } from './eventually.js';
export { startSystem } from './system.process.js';
export type { RunningSystem, SystemOptions } from './system.process.js';
