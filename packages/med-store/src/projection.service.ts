import type { ConsumerMessages } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { CONSUMERS, STREAMS, SUBJECTS, type MedEvent, type OcrEvent, type ParkedAdvisory } from '@rxscan/contracts';
import { ensureConsumer, projectorConsumerConfig, type Bus } from '@rxscan/bus';
import type { Applied, ProjectionRepository } from './projection.repository.js';
import type { ParkedEventRow } from './table.schema.js';
import type { ProjectorLease } from './projection.lease.js';
import { consumeStream } from './projection.consumer.js';
import { PositionTracker, type Stream } from './projection-position.tracker.js';

const STREAM_NAMES = Object.keys(STREAMS) as Stream[];

/**
 * The tables were projected further than a stream goes, so they were made from another
 * stream (the NATS store was reset or replaced, or the database belongs to another
 * installation). Following this stream would skip every event up to the old position:
 * new scans would never show.
 */
export class ProjectionAheadOfStreamError extends Error {
  override readonly name = 'ProjectionAheadOfStreamError';
  constructor(
    readonly stream: string,
    readonly projected: number,
    readonly streamHead: number,
  ) {
    super(
      `the database has stream ${stream} projected up to event ${projected}, but that stream ends at event ${streamHead}: ` +
        'the tables were made from another NATS store. Point DATABASE_URL (and DATABASE_SCHEMA) at the database of this store, ' +
        'or, to keep this store and drop what only the old one had, recreate the tables from it with `npm run -s ops -- rebuild`',
    );
  }
}

export interface ProjectorOptions {
  /** An event failing this long (retried, not parked: the database busy, full or away) makes the projection "stuck" for /readyz. */
  stuckAfterMs?: number;
  /** The wait before try `attempt` + 1 of an event that failed. */
  retryDelayMs?: (attempt: number) => number;
}

/** Default of ProjectorOptions.stuckAfterMs. */
export const PROJECTION_STUCK_AFTER_MS = 30_000;

export const isProjectionAheadOfStream = (err: unknown): err is ProjectionAheadOfStreamError => err instanceof ProjectionAheadOfStreamError;

/**
 * Follows both streams through the `med-store` durable consumers while this replica
 * holds the projector lease, applying each event in order (projection.consumer.ts).
 * Knows how far each stream is projected, so a request can wait until an event it
 * knows of has reached the tables (projection-position.tracker.ts).
 */
export class Projector {
  private readonly positions = new PositionTracker();
  private readonly subscriptions: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];
  /** Events refused by their schema, by subject. */
  readonly poisoned = new Map<string, number>();
  /** Events this process parked, by `<stream> <reason>` (the metric's labels). */
  readonly parked = new Map<string, { stream: string; reason: string; count: number }>();
  /** The event each stream is retrying now, since when (epoch ms), and why. */
  private readonly failing = new Map<Stream, { seq: number; since: number; error: string }>();
  private stopping = false;
  private ticking = false;
  private polling = false;
  private leaseTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly store: ProjectionRepository,
    private readonly log: Logger,
    private readonly onApplied: (applied: Applied, event: OcrEvent | MedEvent) => void = () => {},
    /** Shared with other replicas; none when this is the only one (tests). */
    private readonly lease: ProjectorLease | null = null,
    private readonly options: ProjectorOptions = {},
  ) {}

  /** True while this replica holds the lease and consumes the streams. */
  get active(): boolean {
    return this.subscriptions.length > 0;
  }

  /**
   * Starts following the streams, at once when this replica gets the projector lease,
   * or later when the replica holding it goes away.
   */
  async start(): Promise<void> {
    await this.refreshPositions();
    await this.checkSameStreams();
    for (const s of STREAM_NAMES) await ensureConsumer(this.bus.jsm, s, projectorConsumerConfig(s));
    await this.tick();
    this.leaseTimer = setInterval(() => void this.tick(), this.lease ? this.lease.ttlMs / 3 : 60_000);
    this.leaseTimer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopping || this.ticking) return;
    this.ticking = true;
    try {
      const held = this.lease ? await this.lease.acquire() : true;
      if (held && !this.active && this.lease?.tookOverFrom) this.log.warn({ previous: this.lease.tookOverFrom }, 'projector lease taken over from a process that is gone');
      if (held && !this.active) await this.consume();
      if (!held && this.active) await this.standDown('lease taken by another replica');
    } catch (err) {
      this.log.warn({ err }, 'projector could not check its lease or start consuming');
    } finally {
      this.ticking = false;
    }
  }

  private async consume(): Promise<void> {
    // Whatever the previous holder applied is in the tables: start from there.
    await this.refreshPositions();
    await this.checkSameStreams();
    for (const s of STREAM_NAMES) {
      const consumer = await this.bus.js.consumers.get(s, CONSUMERS.medStore);
      const messages = await consumer.consume({ max_messages: 256 });
      this.subscriptions.push(messages);
      this.loops.push(
        consumeStream(s, messages, {
          store: this.store,
          log: this.log,
          poisoned: this.poisoned,
          advance: (stream, seq) => this.positions.advance(stream, seq),
          onApplied: this.onApplied,
          onParked: (row) => this.onParked(row),
          onFailing: (stream, seq, error) => {
            const now = this.failing.get(stream);
            if (now?.seq === seq) now.error = error;
            else this.failing.set(stream, { seq, since: Date.now(), error });
          },
          onMoving: (stream) => void this.failing.delete(stream),
          retryDelayMs: this.options.retryDelayMs,
          onLeaseLost: () => void this.standDown('lease lost while applying'),
          stopping: () => this.stopping,
        }),
      );
    }
    this.log.info('projecting both streams');
  }

  /** Counts a parked event and says so on `advisory.med-store.parked` (core NATS: nobody listening loses nothing, the row is the record). */
  private onParked(row: ParkedEventRow): void {
    const key = `${row.stream} ${row.reason}`;
    const counted = this.parked.get(key) ?? { stream: row.stream, reason: row.reason, count: 0 };
    counted.count++;
    this.parked.set(key, counted);
    const advisory: ParkedAdvisory = {
      id: row.id,
      stream: row.stream,
      seq: Number(row.seq),
      subject: row.subject,
      reason: row.reason,
      error: row.error,
      attempts: row.attempts,
      parked_at: row.parked_at,
    };
    this.log.warn({ parked: advisory }, 'event parked; the projection goes on without it (ops parked)');
    try {
      this.bus.nc.publish(SUBJECTS.medStoreParked, JSON.stringify(advisory));
    } catch (err) {
      this.log.warn({ err }, 'could not publish the parked-event advisory');
    }
  }

  /**
   * Why the projection does not move, for /readyz: a stream retrying one event for longer than
   * `stuckAfterMs` (the database busy, full or away); null while it moves.
   */
  problem(now = Date.now()): string | null {
    const stuckAfter = this.options.stuckAfterMs ?? PROJECTION_STUCK_AFTER_MS;
    for (const [stream, f] of this.failing) {
      const seconds = Math.round((now - f.since) / 1000);
      if (now - f.since >= stuckAfter) return `stream ${stream} has been stuck at event ${f.seq} for ${seconds} s: ${f.error}`;
    }
    return null;
  }

  /** Seconds the stream has been retrying its current event; 0 while it moves. */
  failingSeconds(stream: Stream, now = Date.now()): number {
    const f = this.failing.get(stream);
    return f ? (now - f.since) / 1000 : 0;
  }

  private async standDown(reason: string): Promise<void> {
    this.log.warn({ reason }, 'projector standing by');
    const subs = this.subscriptions.splice(0);
    for (const m of subs) await m.close().catch(() => {});
    await Promise.allSettled(this.loops.splice(0));
    this.failing.clear();
  }

  /** Throws ProjectionAheadOfStreamError when a stream ends before the position the tables record for it. */
  private async checkSameStreams(): Promise<void> {
    for (const s of STREAM_NAMES) {
      const projected = this.positionOf(s);
      if (projected === 0) continue;
      const head = await this.streamHead(s);
      if (projected > head) throw new ProjectionAheadOfStreamError(s, projected, head);
    }
  }

  private async refreshPositions(): Promise<void> {
    const saved = await this.store.positions();
    for (const s of STREAM_NAMES) this.positions.advance(s, saved.get(s) ?? 0);
  }

  /** Stops taking messages; the one being applied finishes and is acked. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    const wasActive = this.active;
    await this.standDown('shutting down');
    if (wasActive) await this.lease?.release().catch(() => {});
    this.positions.cancelAll();
  }

  positionOf(stream: Stream): number {
    return this.positions.positionOf(stream);
  }

  /** Resolves true once `stream` is projected up to `seq`, false after `timeoutMs`. */
  waitFor(stream: Stream, seq: number, timeoutMs: number): Promise<boolean> {
    const reached = this.positions.waitFor(stream, seq, timeoutMs);
    if (!this.active) this.pollWhileWaiting();
    return reached;
  }

  /** A standby replica learns how far the active one got from the database. */
  private pollWhileWaiting(): void {
    if (this.polling) return;
    this.polling = true;
    void (async () => {
      while (!this.stopping && !this.active && this.positions.waiting) {
        await this.refreshPositions().catch(() => {});
        await new Promise((r) => setTimeout(r, 50));
      }
      this.polling = false;
    })();
  }

  /** The last sequence the stream holds now; waiting for it covers everything published before this call. */
  async streamHead(stream: Stream): Promise<number> {
    return (await this.bus.jsm.streams.info(stream)).state.last_seq;
  }
}
