import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { CONSUMERS, LANES, STREAMS, type Lane } from '@rxscan/contracts';

const nanos = (ms: number) => ms * 1_000_000;

export interface StreamOptions {
  /** Copies of each stream in a cluster (STREAM_REPLICAS); 1 on a single server. */
  replicas: number;
  /**
   * Create or update the streams (med-store and ops, which own them); otherwise only
   * check that they exist, so ingest and the worker need no right to change them.
   */
  manage?: boolean;
}

/**
 * Write probes: every few seconds each service stores one small message on
 * `health.<service>` and counts the bus ready only if JetStream stored it, so
 * readiness means "accepts writes", not "connected". One message per subject is
 * kept (`nats stream view HEALTH` shows when each service last got a write through).
 * File storage, like the event streams, so a full disk shows here too.
 */
export const HEALTH_STREAM = 'HEALTH';
export const healthSubject = (service: string) => `health.${service}`;

/**
 * OCR and MEDS keep every event forever (limits retention, no age limit): the
 * tables in med-store are a projection that can always be rebuilt from them.
 * HEALTH keeps the last write probe of each service.
 */
export function streamConfigs(opts: StreamOptions): (Partial<StreamConfig> & { name: string })[] {
  const common: Partial<StreamConfig> = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: opts.replicas,
    duplicate_window: nanos(20 * 60_000),
    allow_direct: true,
  };
  return [
    { ...common, name: STREAMS.OCR, subjects: ['ocr.>'], description: 'OCR jobs: requested, started, completed, failed' },
    { ...common, name: STREAMS.MEDS, subjects: ['med.>'], description: 'Changes people make to the medication list' },
    {
      ...common,
      name: HEALTH_STREAM,
      subjects: [healthSubject('>')],
      description: 'Write probes: the last message each service stored to check that the bus accepts writes',
      max_msgs_per_subject: 1,
      max_age: nanos(24 * 3_600_000),
      duplicate_window: nanos(60_000),
    },
  ];
}

export interface WorkerConsumerOptions {
  /** How long a delivery may go without ack or working() before it is redelivered. */
  ackWaitMs: number;
  /** Deliveries of one request before the worker gives up and reports it failed. */
  maxDeliver: number;
  /** Unacknowledged requests in flight across all workers. */
  maxAckPending: number;
}

export const DEFAULT_WORKER_CONSUMER: WorkerConsumerOptions = { ackWaitMs: 30_000, maxDeliver: 5, maxAckPending: 16 };

/** The durable consumer the OCR workers share on each lane of requests. */
export const WORKER_CONSUMERS: Record<Lane, string> = { interactive: CONSUMERS.ocrWorker, bulk: CONSUMERS.ocrWorkerBulk };

/**
 * The OCR workers share one durable pull consumer per lane: `ocr-worker` on `ocr.requested`
 * (scans someone waits for) and `ocr-worker-bulk` on `ocr.requested.bulk` (replays, retries of
 * many), which a worker pulls from only when the interactive one has nothing.
 */
export function workerConsumerConfig(opts: WorkerConsumerOptions, lane: Lane = 'interactive'): Partial<ConsumerConfig> {
  return {
    durable_name: WORKER_CONSUMERS[lane],
    description: lane === 'interactive' ? 'OCR workers: one delivery of each ocr.requested at a time' : 'OCR workers, bulk lane: ocr.requested.bulk, taken when no interactive request waits',
    filter_subject: LANES[lane],
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(opts.ackWaitMs),
    max_deliver: opts.maxDeliver,
    max_ack_pending: opts.maxAckPending,
  };
}

/**
 * med-store projects each stream in order through one durable consumer per stream.
 * One message in flight at a time: with more, a projector that died would have its
 * unacked events redelivered after newer ones, and the projection (which skips
 * anything at or below the sequence it reached) would lose them.
 */
export function projectorConsumerConfig(stream: keyof typeof STREAMS): Partial<ConsumerConfig> {
  return {
    durable_name: CONSUMERS.medStore,
    description: `med-store projection of ${stream}`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(10_000),
    max_ack_pending: 1,
    max_deliver: -1,
  };
}

const isNotFound = (err: unknown) =>
  err instanceof Error && /not found/i.test(err.message);

/** Creates each stream, or updates it to the settings in code. Safe to call from every service at start-up. */
export async function ensureStreams(jsm: JetStreamManager, opts: StreamOptions): Promise<void> {
  for (const cfg of streamConfigs(opts)) {
    const name = cfg.name;
    try {
      await jsm.streams.info(name);
      if (opts.manage !== false) await jsm.streams.update(name, cfg);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (opts.manage === false) throw new Error(`stream ${name} does not exist yet; med-store creates it`, { cause: err });
      try {
        await jsm.streams.add(cfg);
      } catch (addErr) {
        // Another service created it between our info and add.
        if (!/already in use|exists/i.test(String(addErr))) throw addErr;
        await jsm.streams.update(name, cfg);
      }
    }
  }
}

/** Creates a durable consumer, or updates the settings that may change. */
export async function ensureConsumer(jsm: JetStreamManager, stream: string, cfg: Partial<ConsumerConfig>): Promise<void> {
  const name = cfg.durable_name!;
  try {
    await jsm.consumers.info(stream, name);
    const { durable_name: _d, deliver_policy: _p, filter_subject: _f, ack_policy: _a, ...mutable } = cfg;
    await jsm.consumers.update(stream, name, mutable);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.consumers.add(stream, cfg);
    } catch (addErr) {
      if (!/already in use|exists/i.test(String(addErr))) throw addErr;
    }
  }
}
