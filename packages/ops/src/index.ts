export { SupervisedProcess } from './supervisor.js';
export type { ServiceSpec } from './supervisor.js';
export { readRuntime, writeRuntime, runtimeFile } from './runtime.file.js';
export type { RuntimeInfo } from './runtime.file.js';
