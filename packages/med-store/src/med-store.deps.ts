import type { MikroORM } from '@mikro-orm/core';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { EventOf, Lane, MedEvent } from '@rxscan/contracts';
import { httpError } from '@rxscan/service-kit';
import type { Projector } from './projection.service.js';
import type { DeviceRegistry } from './device.repository.js';
import type { DisplayImages } from './display-image.storage.js';

/** What med-store's HTTP routes are given: the database, the projector to wait on, the bus to publish to. */
export interface MedStoreDeps {
  orm: MikroORM;
  projector: Pick<Projector, 'waitFor' | 'streamHead' | 'positionOf'>;
  /** Publishes a change to the MEDS stream; resolves with its sequence once stored. */
  publishMed(event: MedEvent): Promise<number>;
  /** Publishes a new attempt of a job (a retry) on a lane (interactive unless said); resolves with its sequence. */
  publishRequest(event: EventOf<'ocr.requested'>, lane?: Lane): Promise<number>;
  /** Whether the photo of a job is still stored; retries of a purged photo are refused. */
  imageExists?(key: string): Promise<boolean>;
  /** The photos as shown (oriented, metadata stripped); absent when this replica has no image store. */
  displayImages?: Pick<DisplayImages, 'read' | 'contentType'>;
  /** Pairing, sessions and devices; without it /meds/auth and /meds/devices do not exist. */
  devices?: DeviceRegistry;
  /** True while the bus accepts writes (connected, and the last write probe was stored). */
  busReady(): boolean;
  /** Why the bus is not ready, for /readyz. */
  busProblem?(): string | null;
  /** Why the projection does not move (an event retried for long), for /readyz; null while it moves. */
  projectionProblem?(): string | null;
  /** How many parked events nobody has dropped or retried yet, for /readyz. */
  parkedEvents?(): Promise<number>;
  log: Logger;
  /** How long a read waits for the projection to catch up with an event it knows of. */
  readWaitMs?: number;
  /** A job with no result this long after its attempt was requested is reported as stuck. */
  stuckAfterMs?: number;
  /** Served at `/metrics`. */
  registry?: Registry;
  now?: () => Date;
}

/** Publishes through `publish`, answering 503 while the bus is away rather than failing the request with a 500. */
export async function publishOrUnavailable(deps: Pick<MedStoreDeps, 'busReady' | 'log'>, publish: () => Promise<number>): Promise<number> {
  const unavailable = () => httpError(503, 'bus_unavailable', 'the service is briefly unavailable; try again in a few seconds');
  if (!deps.busReady()) throw unavailable();
  try {
    return await publish();
  } catch (err) {
    deps.log.warn({ err }, 'publish failed');
    throw unavailable();
  }
}


/**
 * Publishes changes to the MEDS stream in order and answers only once the tables show the
 * last of them, so the answer to a request reflects the request.
 */
export async function publishAndWait(deps: Pick<MedStoreDeps, 'busReady' | 'log' | 'publishMed' | 'projector'>, events: MedEvent[]): Promise<void> {
  let seq = 0;
  for (const event of events) seq = await publishOrUnavailable(deps, () => deps.publishMed(event));
  if (seq > 0 && !(await deps.projector.waitFor('MEDS', seq, 10_000))) {
    throw httpError(503, 'projection_lagging', 'the change was saved but is not visible yet; refresh in a moment');
  }
}
