export { SupervisedProcess } from './supervisor.js';
export type { ServiceSpec } from './supervisor.js';
export { readRuntime, writeRuntime, runtimeFile } from './runtime.file.js';
export type { RuntimeInfo } from './runtime.file.js';
export { loadOrCreateCredentials, natsAuthConfig, writeNatsConfig, credentialsFile } from './nats.auth.js';
export type { NatsCredentials } from './nats.auth.js';
