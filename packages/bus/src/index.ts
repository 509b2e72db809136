export { publishEvent, whileBusAway, isBusAway } from './event.publisher.js';
export type { PatientOptions } from './event.publisher.js';
export {
  streamConfigs,
  workerConsumerConfig,
  WORKER_CONSUMERS,
  projectorConsumerConfig,
  ensureStreams,
  ensureConsumer,
  DEFAULT_WORKER_CONSUMER,
  HEALTH_STREAM,
  healthSubject,
} from './jetstream.setup.js';
export { trackBusWrites, probeBusWrite, classifyProbeError } from './bus-writes.tracker.js';
export type { BusWrites, BusWritesOptions, ProbeResult, ProbeFailure } from './bus-writes.tracker.js';
export type { StreamOptions, WorkerConsumerOptions } from './jetstream.setup.js';
export { connectBus, parseServers, busOptionsFromEnv } from './bus.connection.js';
export type { Bus, BusOptions } from './bus.connection.js';
export { BUS_PERMISSIONS } from './role.permissions.js';
export type { BusPermissions, BusRole } from './role.permissions.js';
