export { HttpError, httpError, errorMiddleware, notFoundMiddleware } from './http-errors.js';
export { createLogger, listen, closeServer, onShutdown, exitOnConfigError } from './lifecycle.js';
export { startNatsServer, findNatsServer, freePort, freePorts, waitForPort, NatsServerMissingError } from './nats-server.process.js';
export type { NatsServerOptions, NatsServerProcess } from './nats-server.process.js';
export { LocalImageStore, InvalidImageKeyError, isMissingFile } from './image.store.js';
export type { ImageStore } from './image.store.js';
export { trackConnection } from './connection.state.js';
export { createRegistry, metricsMiddleware, createOpsServer } from './metrics.js';
export type { Probe } from './metrics.js';
