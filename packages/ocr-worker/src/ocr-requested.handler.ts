import type { Logger } from 'pino';
import { cleanMedication, cleanText, type BusEvent, type OcrRequested } from '@rxscan/contracts';
import { InvalidImageKeyError } from '@rxscan/service-kit';
import { isUnreadableImage } from './extraction/extraction.errors.js';
import type { Extraction } from './extraction/types.js';
import { recordFieldsOf, type RecordReading } from './record-fields.rule.js';
import type { CheckedExtraction } from './second-reader.client.js';

/**
 * The fill record an extraction carries (`record` and `record_confidence`, once the extractor
 * reads them), for `recordFieldsOf` to check field by field; nothing when it has none.
 */
const recordReadingOf = (e: Extraction & { record?: object; record_confidence?: object }): RecordReading => ({
  values: e.record as RecordReading['values'],
  confidence: e.record_confidence as RecordReading['confidence'],
});

/** What to tell JetStream about a delivery once the handler is done with it. */
export type Outcome = { kind: 'ack' } | { kind: 'nak'; delayMs: number } | { kind: 'term'; reason: string };

export interface RequestedDeps {
  workerName: string;
  publish(event: BusEvent): Promise<void>;
  readImage(key: string): Promise<Buffer>;
  extract(image: Buffer): Promise<Extraction>;
  /** The optional second reader (docs/second-reader.md): never throws, never waits past its timeout. */
  secondRead?(image: Buffer, extraction: Extraction): Promise<CheckedExtraction>;
  now(): Date;
  log: Logger;
}

export interface Delivery {
  /** 1 on first delivery, counting redeliveries. */
  count: number;
  maxDeliver: number;
}

/** Waits before another try of a failure that may pass (a busy machine, a worker that crashed). */
export const retryDelayMs = (deliveryCount: number) => [2_000, 10_000, 30_000, 60_000][Math.min(deliveryCount - 1, 3)]!;

/** A failure that retrying the same image cannot fix: reported at once, with its code. */
const permanentCode = (err: unknown): string | undefined =>
  isUnreadableImage(err) || err instanceof InvalidImageKeyError ? err.code : undefined;

const isMissing = (err: unknown) => (err as { code?: string })?.code === 'ENOENT';

/**
 * One delivery of `ocr.requested`: announce it, read the stored photo, extract,
 * and publish the outcome. Returns ack only once the outcome is stored in
 * JetStream, so a crash at any point means a redelivery, never a lost job.
 */
export async function handleOcrRequested(req: OcrRequested, delivery: Delivery, deps: RequestedDeps): Promise<Outcome> {
  const { job_id, attempt } = req;
  const failed = async (code: string, message: string, retryable: boolean): Promise<Outcome> => {
    await deps.publish({ type: 'ocr.failed', data: { job_id, attempt, failed_at: deps.now().toISOString(), error: { code, message }, retryable } });
    deps.log.warn({ job_id, attempt, code, retryable }, 'job failed');
    return { kind: 'ack' };
  };

  await deps.publish({ type: 'ocr.started', data: { job_id, attempt, worker: deps.workerName, started_at: deps.now().toISOString() } });

  let image: Buffer;
  try {
    image = await deps.readImage(req.image.key);
  } catch (err) {
    const code = permanentCode(err) ?? (isMissing(err) ? 'image_missing' : undefined);
    if (code) return failed(code, 'The stored photo for this scan could not be found. Please scan the label again.', false);
    throw err;
  }

  let extraction: CheckedExtraction;
  try {
    extraction = await deps.extract(image);
  } catch (err) {
    const code = permanentCode(err);
    if (code) return failed(code, 'The photo could not be read as an image. Please take the photo again.', false);
    if (delivery.count < delivery.maxDeliver) {
      deps.log.warn({ job_id, attempt, delivery: delivery.count, err }, 'extraction failed; will retry');
      return { kind: 'nak', delayMs: retryDelayMs(delivery.count) };
    }
    return failed('ocr_error', `Reading the label failed ${delivery.count} times. Retry the scan, or take a new photo.`, true);
  }

  if (deps.secondRead) extraction = await deps.secondRead(image, extraction);

  // The label's fill record (patient, fill and discard dates, phone, unit), null where not read.
  const record = recordFieldsOf(recordReadingOf(extraction));
  await deps.publish({
    type: 'ocr.completed',
    data: {
      job_id,
      attempt,
      completed_at: deps.now().toISOString(),
      // What the schema refuses (a form feed, a stray control character read off the label) is taken out, never sent.
      ocr_text: cleanText(extraction.ocr_text, true),
      medication: cleanMedication({ ...extraction.medication, ...record.medication }),
      confidence: { ...extraction.confidence, ...record.confidence },
      needs_review: extraction.needs_review,
      timings_ms: extraction.timings_ms,
      ...(extraction.alternatives && { alternatives: extraction.alternatives }),
      ...(extraction.second_reader && { second_reader: extraction.second_reader }),
    },
  });
  deps.log.info({ job_id, attempt, needs_review: extraction.needs_review, ms: extraction.timings_ms.total, second_reader: extraction.second_reader }, 'job completed');
  return { kind: 'ack' };
}
