import type { MikroORM } from '@mikro-orm/core';
import type { Context } from 'koa';
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
  /** Of the events at `seqs` on `stream`, those the projection parked instead of applying. */
  parkedAmong?(stream: 'OCR' | 'MEDS', seqs: number[]): Promise<number[]>;
  log: Logger;
  /** How long a read waits for the projection to catch up with an event it knows of. */
  readWaitMs?: number;
  /** A job with no result this long after its attempt was requested is reported as stuck. */
  stuckAfterMs?: number;
  /** Served at `/metrics`. */
  registry?: Registry;
  now?: () => Date;
  /** When set, only requests it accepts are served (web's signature, a valid token); /healthz, /readyz and /metrics stay open. */
  trustedCaller?: (ctx: Context) => Promise<boolean>;
  /** How long a request body may take to arrive (default 15 s). */
  bodyDeadlineMs?: number;
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
export async function publishAndWait(deps: Pick<MedStoreDeps, 'busReady' | 'log' | 'publishMed' | 'projector' | 'parkedAmong'>, events: MedEvent[]): Promise<void> {
  const seqs: number[] = [];
  for (const event of events) seqs.push(await publishOrUnavailable(deps, () => deps.publishMed(event)));
  const seq = seqs.at(-1) ?? 0;
  if (seq > 0 && !(await deps.projector.waitFor('MEDS', seq, 10_000))) {
    throw httpError(503, 'projection_lagging', 'the change was saved but is not visible yet; refresh in a moment');
  }
  // Never answer as if a change were made that the projection had to set aside.
  const parked = seq > 0 && deps.parkedAmong ? await deps.parkedAmong('MEDS', seqs) : [];
  if (parked.length > 0) {
    throw httpError(422, 'not_applied', `the change could not be recorded and was set aside for an operator (ops parked: ${parked.map((s) => `MEDS-${s}`).join(', ')}); nothing changed`);
  }
}
