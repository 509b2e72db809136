export { publishEvent } from './publish.js';
export {
  streamConfigs,
  workerConsumerConfig,
  projectorConsumerConfig,
  ensureStreams,
  ensureConsumer,
  DEFAULT_WORKER_CONSUMER,
} from './streams.js';
export type { StreamOptions, WorkerConsumerOptions } from './streams.js';
export { connectBus, parseServers, busOptionsFromEnv } from './connection.js';
export type { Bus, BusOptions } from './connection.js';
export { BUS_PERMISSIONS } from './permissions.js';
export type { BusPermissions, BusRole } from './permissions.js';
