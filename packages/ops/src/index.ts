export { SupervisedProcess, nodeService, stopInOrder } from './process.supervisor.js';
export type { ServiceSpec } from './process.supervisor.js';
export { readRuntime, writeRuntime, runtimeFile, runningAs } from './runtime.storage.js';
export type { RuntimeInfo } from './runtime.storage.js';
export { loadOrCreateCredentials, natsAuthConfig, writeNatsConfig, credentialsFile, deployNatsUsers, passwordVariable } from './nats-auth.storage.js';
export type { NatsCredentials } from './nats-auth.storage.js';
export { backupTo, copyDatabase, copyStreams, copyPhotosInto, writeBackup, restoreFrom, readManifest } from './backup.storage.js';
export type { BackupManifest, DataPlaces, RestoreTarget } from './backup.storage.js';
export { backupCommand, restoreCommand } from './backup.cli.js';
