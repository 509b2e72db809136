import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { STREAMS, decodeEvent, isInvalidEvent } from '@rxscan/contracts';
import { connectBus, ensureConsumer, publishEvent, trackBusWrites, whileBusAway, WORKER_CONSUMERS, workerConsumerConfig, type Bus, type BusOptions, type WorkerConsumerOptions } from '@rxscan/bus';
import type { Server } from 'node:http';
import { closeServer, createOpsServer, createRegistry, listen, LocalImageStorage } from '@rxscan/service-kit';
import { workerMetrics } from './worker.metrics.js';
import { bundledDrugLexicon, createExtractor } from './extraction/index.js';
import type { EngineChoice, Extractor } from './extraction/types.js';
import { handleOcrRequested, type Outcome } from './ocr-requested.handler.js';
import type { SecondReaderConfig } from './second-reader.config.js';
import { createSecondReaderClient, secondReaderCheck } from './second-reader.client.js';

export interface WorkerOptions {
  imageDir: string;
  cacheDir: string;
  concurrency: number;
  /** The recognition engine (config: OCR_ENGINE); tesseract.js when not given. */
  engine?: EngineChoice;
  workerName: string;
  consumer: WorkerConsumerOptions;
  bus: BusOptions;
  log: Logger;
  /** Port of /healthz, /readyz and /metrics; none when undefined. */
  opsPort?: number;
  opsHost?: string;
  /** The household's AI service as a second reader; none when null or absent. */
  secondReader?: SecondReaderConfig | null;
  /** For tests: an extractor other than the real one. */
  extractor?: Extractor;
  /**
   * How long a job's event is retried while the bus is away (a restart, a cluster fail-over)
   * before the job is handed back; 60 s by default.
   */
  publishRetryMs?: number;
}

export interface WorkerService {
  bus: Bus;
  /** Counts since start: jobs by outcome and invalid messages. */
  stats: Record<'completed' | 'failed' | 'retried' | 'invalid', number>;
  /** Stops pulling; jobs in flight finish (or are handed back after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Pulls `ocr.requested` from the shared `ocr-worker` consumer, one message per
 * slot and `concurrency` slots, so nothing waits in a local buffer while its
 * ack timer runs.
 */
export async function startWorker(opts: WorkerOptions): Promise<WorkerService> {
  const { log, opsPort } = opts;
  const store = await new LocalImageStorage(opts.imageDir).init();
  const extractor = opts.extractor ?? (await createExtractor({ workers: opts.concurrency, cacheDir: opts.cacheDir, engine: opts.engine }));
  const bus = await connectBus(opts.bus);
  await ensureConsumer(bus.jsm, STREAMS.OCR, workerConsumerConfig(opts.consumer, 'interactive'));
  await ensureConsumer(bus.jsm, STREAMS.OCR, workerConsumerConfig(opts.consumer, 'bulk'));
  const interactive = await bus.js.consumers.get(STREAMS.OCR, WORKER_CONSUMERS.interactive);
  const bulk = await bus.js.consumers.get(STREAMS.OCR, WORKER_CONSUMERS.bulk);
  const registry = createRegistry('ocr-worker');
  const metrics = workerMetrics(registry);
  const writes = trackBusWrites(bus, 'ocr-worker', log, { streams: [STREAMS.OCR] });
  let opsServer: Server | null = null;
  if (opsPort !== undefined) {
    opsServer = createOpsServer(registry, { ready: async () => ({ nats: writes.ready(), images: await store.writable() }) });
    log.info({ url: await listen(opsServer, opsPort, opts.opsHost ?? '127.0.0.1') }, 'worker health and metrics listening');
  }
  const stats = { completed: 0, failed: 0, retried: 0, invalid: 0 };
  const secondRead = opts.secondReader
    ? secondReaderCheck({
        client: createSecondReaderClient(opts.secondReader),
        mode: opts.secondReader.mode,
        model: opts.secondReader.model,
        lexicon: bundledDrugLexicon(),
        observe: (outcome, seconds) => {
          metrics.secondReader.inc({ outcome });
          metrics.secondReaderSeconds.observe({ outcome }, seconds);
        },
        log: log.child({ component: 'second-reader' }),
      })
    : undefined;
  if (opts.secondReader) log.info({ url: opts.secondReader.url, model: opts.secondReader.model, mode: opts.secondReader.mode, timeout_ms: opts.secondReader.timeoutMs }, 'second reader configured');
  const inFlight = new Set<JsMsg>();
  let stopping = false;

  // A job's event that the bus cannot take right now is tried again while the job is held
  // (the keep-alive below runs on): handing the job back instead would spend one of its
  // `max_deliver` deliveries per failed write, and a fail-over of half a minute would fail a
  // label that reads fine. Events carry message ids, so a repeated write is stored once.
  const publish = async (event: Parameters<typeof publishEvent>[1]) => {
    await whileBusAway(() => publishEvent(bus.js, event), {
      budgetMs: opts.publishRetryMs ?? 60_000,
      stopped: () => stopping,
      onRetry: (err, waitMs, tries) => log.warn({ type: event.type, job_id: 'job_id' in event.data ? event.data.job_id : undefined, tries, wait_ms: waitMs, err: (err as Error).message }, 'bus away; writing the event again'),
    });
    if (event.type === 'ocr.completed') {
      stats.completed++;
      metrics.jobs.inc({ status: 'completed' });
      for (const [stage, ms] of Object.entries(event.data.timings_ms)) metrics.stage.observe({ stage }, ms / 1000);
    }
    if (event.type === 'ocr.failed') {
      stats.failed++;
      metrics.jobs.inc({ status: 'failed' });
    }
  };

  /** The one wrapper every delivery goes through: decode, keep alive, handle, settle. */
  async function process(m: JsMsg): Promise<void> {
    let outcome: Outcome;
    const keepAlive = setInterval(() => m.working(), Math.max(1000, opts.consumer.ackWaitMs / 3));
    try {
      const event = decodeEvent(m.subject, m.data);
      if (event.type !== 'ocr.requested') throw new Error(`unexpected ${event.type} on the ocr-worker consumer`);
      outcome = await handleOcrRequested(
        event.data,
        { count: m.info.deliveryCount, maxDeliver: opts.consumer.maxDeliver },
        {
          workerName: opts.workerName,
          publish,
          readImage: (key) => store.read(key),
          extract: (image) => extractor.extract(image),
          ...(secondRead && { secondRead }),
          now: () => new Date(),
          log,
        },
      );
    } catch (err) {
      if (isInvalidEvent(err)) {
        stats.invalid++;
        metrics.jobs.inc({ status: 'invalid' });
        log.error({ seq: m.seq, subject: m.subject, err: err.message }, 'invalid request terminated');
        outcome = { kind: 'term', reason: err.message };
      } else {
        log.error({ seq: m.seq, err }, 'handling failed; handing the job back');
        outcome = { kind: 'nak', delayMs: 2000 };
      }
    } finally {
      clearInterval(keepAlive);
    }
    if (outcome.kind === 'ack') await m.ackAck().catch((err: unknown) => log.warn({ err, seq: m.seq }, 'ack not confirmed'));
    else if (outcome.kind === 'nak') {
      stats.retried++;
      metrics.jobs.inc({ status: 'retried' });
      m.nak(outcome.delayMs);
    } else m.term(); // the reason is logged above; 2.9 servers do not understand "+TERM reason"
  }

  /**
   * The next request, interactive first: a slot waits on the interactive lane and takes from the
   * bulk lane only when nothing interactive is pending (asked just before), so a scan someone
   * waits for is at most one bulk label behind, never a backlog. While the bulk lane is known
   * empty the slot only listens to the interactive lane, looking at the bulk lane again each
   * time a wait ends with nothing.
   */
  let bulkWaiting = true;
  async function next(): Promise<JsMsg | null> {
    if (bulkWaiting && (await interactive.info()).num_pending === 0) {
      const m = await bulk.next({ expires: 1000 });
      if (m) {
        bulkWaiting = m.info.pending > 0;
        return m;
      }
      bulkWaiting = false;
    }
    const m = await interactive.next({ expires: bulkWaiting ? 1000 : 5000 });
    if (!m) bulkWaiting = (await bulk.info()).num_pending > 0;
    return m;
  }

  async function slot(): Promise<void> {
    while (!stopping) {
      let m: JsMsg | null = null;
      try {
        m = await next();
      } catch (err) {
        if (stopping) break;
        log.warn({ err }, 'pull failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!m) continue;
      inFlight.add(m);
      try {
        await process(m);
      } finally {
        inFlight.delete(m);
      }
    }
  }

  const slots = Array.from({ length: opts.concurrency }, () => slot());
  log.info({ worker: opts.workerName, concurrency: opts.concurrency }, 'worker pulling ocr.requested, then ocr.requested.bulk');

  return {
    bus,
    stats,
    stop: async (graceMs = 20_000) => {
      stopping = true;
      const finished = Promise.allSettled(slots);
      const timedOut = await Promise.race([finished.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
      if (timedOut) for (const m of inFlight) m.nak();
      if (opsServer) await closeServer(opsServer);
      writes.stop();
      await bus.close();
      if (!opts.extractor) await extractor.close();
    },
  };
}
