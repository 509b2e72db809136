import type { Logger } from 'pino';
import { cleanMedication, cleanText, imagesOf, type BusEvent, type FieldAlternatives, MAX_FIELD_ALTERNATIVES, type OcrRequested } from '@rxscan/contracts';
import { InvalidImageKeyError } from '@rxscan/service-kit';
import { isUnreadableImage } from './extraction/extraction.errors.js';
import type { Extraction } from './extraction/types.js';
import { mergePhotoReadings, type PhotoReading } from './photo-merge.rule.js';
import type { CheckedExtraction } from './second-reader.client.js';
import { recordFieldsOf, type RecordReading } from './record-fields.rule.js';

/**
 * The fill record an extraction carries (`record` and `record_confidence`, once the extractor
 * reads them), for `recordFieldsOf` to check field by field; nothing when it has none.
 */
const recordReadingOf = (e: Extraction & { record?: object; record_confidence?: object }): RecordReading => ({
  values: e.record as RecordReading['values'],
  confidence: e.record_confidence as RecordReading['confidence'],
});

/** A reading with every field null, for a photo that could not be read (it reads nothing). */
const emptyReading = (photos: PhotoReading[]): PhotoReading['medication'] => {
  const some = photos.find(Boolean)!.medication;
  return Object.fromEntries(Object.keys(some).map((k) => [k, null])) as PhotoReading['medication'];
};

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

  // Every photo of the scan (one for requests from before several photos), read one after another.
  const images = imagesOf(req);
  const photos: PhotoReading[] = [];
  const timings: Record<string, number> = {};
  let unreadable: string | undefined;
  let first: { image: Buffer; extraction: Extraction } | undefined;
  for (const [index, ref] of images.entries()) {
    let image: Buffer;
    try {
      image = await deps.readImage(ref.key);
    } catch (err) {
      const code = permanentCode(err) ?? (isMissing(err) ? 'image_missing' : undefined);
      if (code) return failed(code, `The stored photo${images.length > 1 ? ` ${index + 1}` : ''} for this scan could not be found. Please scan the label again.`, false);
      throw err;
    }

    let extraction: Extraction;
    try {
      extraction = await deps.extract(image);
    } catch (err) {
      const code = permanentCode(err);
      if (code) {
        // One unreadable photo of several leaves the others to read; all unreadable fails the scan.
        unreadable ??= code;
        deps.log.warn({ job_id, attempt, photo: index + 1, code }, 'photo could not be read; merging the others');
        continue;
      }
      if (delivery.count < delivery.maxDeliver) {
        deps.log.warn({ job_id, attempt, delivery: delivery.count, err }, 'extraction failed; will retry');
        return { kind: 'nak', delayMs: retryDelayMs(delivery.count) };
      }
      return failed('ocr_error', `Reading the label failed ${delivery.count} times. Retry the scan, or take a new photo.`, true);
    }
    first ??= { image, extraction };
    // The label's fill record (patient, fill and discard dates, phone, unit), null where not read.
    const record = recordFieldsOf(recordReadingOf(extraction));
    photos[index] = {
      medication: { ...extraction.medication, ...record.medication },
      confidence: { ...extraction.confidence, ...record.confidence },
      boxes: extraction.boxes ?? {},
      ocr_text: extraction.ocr_text,
    };
    for (const [stage, ms] of Object.entries(extraction.timings_ms)) timings[stage] = (timings[stage] ?? 0) + ms;
  }
  if (!photos.some(Boolean)) return failed(unreadable ?? 'image_decode_failed', 'The photo could not be read as an image. Please take the photo again.', false);
  // A skipped photo keeps its number: "photo 3" in the review is the third photo taken.
  const merged = mergePhotoReadings(images.map((_, i) => photos[i] ?? { medication: emptyReading(photos), confidence: {}, ocr_text: '' }));

  // The second reader checks the merged reading, once per scan, against the first photo read:
  // after the merge, so that photos agreeing with each other cannot outvote its disagreement.
  let reading: typeof merged & { second_reader?: CheckedExtraction['second_reader'] } = merged;
  if (deps.secondRead && first) {
    const checked = await deps.secondRead(first.image, {
      ...first.extraction,
      medication: merged.medication,
      confidence: merged.confidence as Extraction['confidence'],
      needs_review: merged.needs_review,
      ocr_text: merged.ocr_text,
    });
    reading = {
      ...merged,
      medication: checked.medication,
      confidence: checked.confidence as Record<string, number>,
      needs_review: checked.needs_review,
      alternatives: joinAlternatives(merged.alternatives, checked.alternatives),
      second_reader: checked.second_reader,
    };
    if (checked.timings_ms.second_reader !== undefined) timings.second_reader = checked.timings_ms.second_reader;
  }

  await deps.publish({
    type: 'ocr.completed',
    data: {
      job_id,
      attempt,
      completed_at: deps.now().toISOString(),
      // What the schema refuses (a form feed, a stray control character read off the label) is taken out, never sent.
      ocr_text: cleanText(reading.ocr_text, true),
      medication: cleanMedication(reading.medication),
      confidence: reading.confidence,
      needs_review: reading.needs_review,
      timings_ms: timings,
      ...(reading.alternatives && { alternatives: reading.alternatives }),
      ...(Object.keys(reading.boxes).length > 0 && { boxes: reading.boxes }),
      ...(reading.second_reader && { second_reader: reading.second_reader }),
    },
  });
  deps.log.info({ job_id, attempt, photos: images.length, needs_review: reading.needs_review, ms: timings.total, second_reader: reading.second_reader }, 'job completed');
  return { kind: 'ack' };
}

/** The other values the photos and the second reader gave, per field (at most MAX_FIELD_ALTERNATIVES). */
function joinAlternatives(a: FieldAlternatives | undefined, b: FieldAlternatives | undefined): FieldAlternatives | undefined {
  if (!a || !b) return a ?? b;
  const joined: FieldAlternatives = { ...a };
  for (const [field, list] of Object.entries(b) as [keyof FieldAlternatives, FieldAlternatives[keyof FieldAlternatives]][]) {
    joined[field] = [...(joined[field] ?? []), ...(list ?? [])].slice(0, MAX_FIELD_ALTERNATIVES);
  }
  return joined;
}
