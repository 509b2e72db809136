import http from 'node:http';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { STREAMS } from '@rxscan/contracts';
import { connectBus, publishEvent, trackBusWrites, type Bus, type BusOptions } from '@rxscan/bus';
import { closeServer, createRegistry, isSignedRequest, listen, LocalImageStorage, tokenOf } from '@rxscan/service-kit';
import { DEVICE_COOKIE } from '@rxscan/contracts';
import { medStoreMetrics } from './med-store.metrics.js';
import { openDatabase, type DatabaseConfig } from './database.connection.js';
import { createMedStoreApp } from './med-store.app.js';
import { ProjectionRepository } from './projection.repository.js';
import { Projector } from './projection.service.js';
import { ProjectorLease } from './projection.lease.js';
import { PushHub } from './push.hub.js';
import { PersonSchema } from './table.schema.js';
import { startHousekeeping } from './housekeeping.scheduler.js';
import { watchExhaustedDeliveries } from './delivery-exhausted.watcher.js';
import { DeviceRegistry } from './device.repository.js';
import { DisplayImages } from './display-image.storage.js';
import { ParkedEventRepository } from './parked-event.repository.js';

export interface MedStoreServiceOptions {
  database: DatabaseConfig;
  bus: BusOptions;
  port: number;
  host: string;
  log: Logger;
  /** The image store, to refuse retries of purged photos. */
  imageDir?: string;
  /** Where display copies of the photos are kept; default: display_images beside imageDir. */
  displayDir?: string;
  imageRetentionDays?: number;
  stuckAfterMs?: number;
  /** The admin secret; without it pairing and device management are off. */
  adminToken?: string;
  /** How long a replica's projector lease lasts without renewal (takeover time after a crash). */
  leaseTtlMs?: number;
  /** INTERNAL_SECRET: routes and the push channel then serve only requests web signed, or that carry a valid token. */
  internalSecret?: string;
  /** An event retried this long makes /readyz say the projection is stuck (PROJECTION_STUCK_SECONDS). */
  projectionStuckAfterMs?: number;
}

export interface MedStoreService {
  url: string;
  orm: MikroORM;
  bus: Bus;
  projector: Projector;
  stop(): Promise<void>;
}

/** Opens the database, starts projecting both streams, and serves the API and push channel. */
export async function startMedStore(opts: MedStoreServiceOptions): Promise<MedStoreService> {
  const { log } = opts;
  const orm = await openDatabase({ logger: (message) => log.info({ orm: message }), ...opts.database });
  const bus = await connectBus(opts.bus);
  const images = opts.imageDir ? new LocalImageStorage(opts.imageDir) : null;
  const display = opts.imageDir && images ? new DisplayImages(images, opts.displayDir ?? path.join(path.dirname(opts.imageDir), 'display_images')) : null;
  const server = http.createServer({ requestTimeout: 60_000 });
  const devices = opts.adminToken ? new DeviceRegistry(orm, { adminToken: opts.adminToken }) : undefined;
  const secret = opts.internalSecret;
  /** Signed by web, or carrying a token med-store itself accepts (a script, the ops CLI). */
  const trusted = async (req: http.IncomingMessage): Promise<boolean> => {
    if (isSignedRequest(secret!, req)) return true;
    const token = tokenOf(req.headers, DEVICE_COOKIE);
    return Boolean(token && devices && (await devices.session(token)));
  };
  const push = new PushHub(server, log, () => orm.em.fork().find(PersonSchema, {}), secret ? trusted : undefined);
  const registry = createRegistry('med-store');
  let metrics: ReturnType<typeof medStoreMetrics> | null = null;
  const lease = new ProjectorLease(orm, opts.leaseTtlMs);
  const projector = new Projector(
    bus,
    new ProjectionRepository(orm, (em) => lease.assertHeld(em)),
    log,
    (applied, event) => {
      push.publish(applied);
      metrics?.onApplied(applied, event);
    },
    lease,
    { stuckAfterMs: opts.projectionStuckAfterMs },
  );
  const parked = new ParkedEventRepository(orm);
  metrics = medStoreMetrics(registry, projector, bus, () => push.clients, () => parked.openByStream());
  const app = createMedStoreApp({
    orm,
    projector,
    log,
    busReady: () => writes.ready(),
    busProblem: () => writes.problem(),
    projectionProblem: () => projector.problem(),
    parkedEvents: () => parked.open(),
    parkedAmong: (stream, seqs) => parked.among(stream, seqs),
    publishMed: async (event) => (await publishEvent(bus.js, event)).seq,
    publishRequest: async (event, lane) => (await publishEvent(bus.js, event, { lane })).seq,
    imageExists: images ? (key) => images.exists(key) : undefined,
    displayImages: display ?? undefined,
    devices,
    ...(secret && { trustedCaller: (ctx: { req: http.IncomingMessage }) => trusted(ctx.req) }),
    stuckAfterMs: opts.stuckAfterMs,
    registry,
  });
  server.on('request', app.callback());
  await projector.start();
  // After the streams exist (med-store creates HEALTH with the others).
  const writes = trackBusWrites(bus, 'med-store', log, { streams: [STREAMS.OCR, STREAMS.MEDS] });
  const exhausted = watchExhaustedDeliveries(bus, log);
  const url = await listen(server, opts.port, opts.host);
  const housekeeping = startHousekeeping({ orm, bus, log, images, display, retentionDays: opts.imageRetentionDays ?? 0, stuckAfterMs: opts.stuckAfterMs ?? 10 * 60_000 });
  return {
    url,
    orm,
    bus,
    projector,
    stop: async () => {
      housekeeping.stop();
      writes.stop();
      exhausted.unsubscribe();
      await push.close();
      await closeServer(server);
      await projector.stop();
      await bus.close();
      await orm.close();
    },
  };
}
