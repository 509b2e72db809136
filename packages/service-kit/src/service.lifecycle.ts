import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout, one logger per service, at `level` or else LOG_LEVEL. */
export function createLogger(service: string, level = process.env.LOG_LEVEL?.trim() || 'info'): Logger {
  if (!Object.hasOwn(pino.levels.values, level) && level !== 'silent') {
    exitOnConfigError(new Error(`LOG_LEVEL must be one of ${Object.keys(pino.levels.values).join(', ')}, silent; got "${level}"`));
  }
  return pino({ base: { service }, level });
}

export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      const bound = typeof addr === 'object' && addr ? addr.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve(`http://${shownHost}:${bound}`);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits; a stop that takes longer
 * than `timeoutMs` is cut short so a supervisor never waits for ever.
 */
export function onShutdown(log: Logger, stop: () => Promise<void>, timeoutMs = 10_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/** Fails start-up with one clear line when configuration is wrong. */
export function exitOnConfigError(err: unknown): never {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`configuration error: ${msg}\n`);
  process.exit(2);
}

/**
 * Files this process creates are its user's alone (0600, folders 0700), whatever umask
 * it was started with: DATA_DIR holds patients' names, doses and photos. Call first thing
 * in a main; children started afterwards (nats-server under `npm start`) inherit it.
 */
export function keepFilesPrivate(): void {
  process.umask(0o077);
}
