import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { connectBus } from '@rxscan/bus';
import { startMedStore } from '@rxscan/med-store';
import { closeServer, listen, startNatsServer } from '@rxscan/service-kit';
import { benchLogger } from './log.mjs';
import { waitUntil } from './stats.mjs';

/** A real nats-server with JetStream and its own store, stopped when the scope closes. */
export async function startNats(scope, dir) {
  const nats = await startNatsServer({ storeDir: path.join(dir, 'nats') });
  scope.defer(() => nats.stop());
  return nats;
}

/** A bus client (streams created as every service creates them). */
export async function openBus(scope, url, name) {
  const bus = await connectBus({ servers: [url], name, replicas: 1 });
  scope.defer(() => bus.close());
  return bus;
}

/**
 * med-store in this process, on a free port, SQLite in `dir` unless `database` says otherwise.
 * @param {{ defer(fn: () => unknown): void }} scope
 * @param {{ natsUrl: string, dir: string, database?: import('@rxscan/med-store').DatabaseConfig }} options
 */
export async function startStore(scope, { natsUrl, dir, database }) {
  await mkdir(dir, { recursive: true });
  const service = await startMedStore({
    database: database ?? { url: path.join(dir, 'meds.sqlite') },
    bus: { servers: [natsUrl], name: 'bench-med-store', replicas: 1 },
    port: 0,
    host: '127.0.0.1',
    log: benchLogger('med-store'),
  });
  scope.defer(() => service.stop());
  return service;
}

/** Serves a Koa app on a free port of 127.0.0.1. */
export async function serve(scope, app) {
  const server = http.createServer(app.callback());
  const url = await listen(server, 0, '127.0.0.1');
  scope.defer(() => closeServer(server));
  return url;
}

/** Resolves once med-store has applied the OCR stream up to `seq`. */
export const projected = (store, seq, timeoutMs = 120_000) =>
  waitUntil(() => store.projector.positionOf('OCR') >= seq, { timeoutMs, everyMs: 5, what: `projection of OCR up to ${seq}` });
