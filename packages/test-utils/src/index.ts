export { freePort, freePorts, waitForPort, startNatsServer } from '@rxscan/service-kit';
export { REPO_ROOT, labelFixture, tempDir } from './files.fixtures.js';
export type { TempDir } from './files.fixtures.js';
export { startTestNats, testBus } from './nats.fixtures.js';
export type { TestNats } from './nats.fixtures.js';
export { eventually } from './condition.poller.js';
export { startSystem } from './system.process.js';
export type { RunningSystem, SystemOptions } from './system.process.js';
export { fhirR4Problems } from './fhir.fixtures.js';
