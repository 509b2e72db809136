import type { Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { CONSUMERS, STREAMS, decodeEvent } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';

/** Both lanes' worker consumers: `ocr-worker` and `ocr-worker-bulk`. */
const ADVISORIES = [CONSUMERS.ocrWorker, CONSUMERS.ocrWorkerBulk].map((c) => `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${STREAMS.OCR}.${c}`);

/**
 * When a request used up its deliveries without any worker reporting a result
 * (each worker died while reading it), JetStream stops delivering it and says so in
 * an advisory. Turning that into `ocr.failed` means the job ends with a reason a
 * person can act on instead of staying "processing" for ever.
 */
export function watchExhaustedDeliveries(bus: Bus, log: Logger): { unsubscribe(): void } {
  const subs = ADVISORIES.map((subject) => watchOne(bus, log, subject));
  return { unsubscribe: () => subs.forEach((s) => s.unsubscribe()) };
}

function watchOne(bus: Bus, log: Logger, subject: string): Subscription {
  return bus.nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return;
      void (async () => {
        const advisory = msg.json<{ stream_seq: number; deliveries: number }>();
        const stored = await bus.jsm.streams.getMessage(STREAMS.OCR, { seq: advisory.stream_seq });
        if (!stored) return;
        const req = decodeEvent(stored.subject, stored.data);
        if (req.type !== 'ocr.requested') return;
        const { job_id, attempt } = req.data;
        await publishEvent(bus.js, {
          type: 'ocr.failed',
          data: {
            job_id,
            attempt,
            failed_at: new Date().toISOString(),
            error: { code: 'delivery_exhausted', message: `No worker finished reading this label after ${advisory.deliveries} tries. Retry the scan.` },
            retryable: true,
          },
        });
        log.warn({ job_id, attempt, deliveries: advisory.deliveries }, 'deliveries exhausted; job failed');
      })().catch((e: unknown) => log.warn({ err: e }, 'could not handle a max-deliveries advisory'));
    },
  });
}
