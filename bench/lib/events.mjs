import { createHash } from 'node:crypto';
import { publishEvent } from '@rxscan/bus';

/**
 * Synthetic OCR events shaped like the real ones (a full medication, an OCR text of a real
 * label's length), so projection and push carry realistic payloads.
 */
export const benchJobId = (tag, i) => `bench-${tag}-${String(i).padStart(6, '0')}`;

const OCR_TEXT = [
  'SUMMIT MAIL ORDER PHARMACY',
  'PO Box 3310, Denver, CO 80201 (800) 555-0107',
  'Rx# 8372913  Date filled: 10/05/2026',
  'SAMUEL KOWALSKI',
  'BUSPIRONE HCL 15 MG TABLET',
  'TAKE 1 TABLET BY MOUTH 3 TIMES A DAY',
  'QTY: 60   Refills remaining: 5',
  'DR. NADIA PATEL   MFR: TEVA',
  'MAY CAUSE DIZZINESS  Discard after 10/05/2027',
].join('\n');

/** @type {import('@rxscan/contracts').Medication} */
const MEDICATION = {
  name: 'Buspirone HCl',
  dosage: '15 mg',
  form: 'tablet',
  sig: 'TAKE 1 TABLET BY MOUTH 3 TIMES A DAY',
  schedule: 'Three times daily',
  as_needed: false,
  instructions: null,
  quantity: 60,
  refills: 5,
  prescriber: 'Nadia Patel',
  rx_number: '8372913',
  pharmacy: 'SUMMIT MAIL ORDER PHARMACY',
};
const CONFIDENCE = Object.fromEntries(Object.keys(MEDICATION).map((k) => [k, 0.93]));

/** @type {(jobId: string) => import('@rxscan/contracts').EventOf<'ocr.requested'>} */
export const requested = (jobId) => ({
  type: 'ocr.requested',
  data: {
    job_id: jobId,
    image: {
      key: `${jobId}.jpg`,
      sha256: createHash('sha256').update(jobId).digest('hex'),
      content_type: 'image/jpeg',
      bytes: 121_801,
      width: 1685,
      height: 934,
    },
    submitted_at: new Date().toISOString(),
    attempt: 1,
    reason: 'new',
  },
});

/** @type {(jobId: string) => import('@rxscan/contracts').EventOf<'ocr.started'>} */
export const started = (jobId) => ({
  type: 'ocr.started',
  data: { job_id: jobId, attempt: 1, worker: 'bench', started_at: new Date().toISOString() },
});

/** @type {(jobId: string) => import('@rxscan/contracts').EventOf<'ocr.completed'>} */
export const completed = (jobId) => ({
  type: 'ocr.completed',
  data: {
    job_id: jobId,
    attempt: 1,
    completed_at: new Date().toISOString(),
    ocr_text: OCR_TEXT,
    medication: MEDICATION,
    confidence: CONFIDENCE,
    needs_review: false,
    timings_ms: { preprocess: 120, recognize: 480, parse: 3, total: 605 },
  },
});

/** A job's whole life, in order: requested, started, completed. */
export const jobLife = (jobId) => [requested(jobId), started(jobId), completed(jobId)];

/**
 * Publishes every event with at most `window` acknowledgements outstanding (JetStream stores
 * them in order of arrival on one connection); resolves with the highest stream sequence.
 */
export async function publishAll(bus, events, window = 256) {
  let lastSeq = 0;
  let i = 0;
  const lane = async () => {
    while (i < events.length) {
      const ack = await publishEvent(bus.js, events[i++], { timeout: 30_000 });
      lastSeq = Math.max(lastSeq, ack.seq);
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, events.length) }, lane));
  return lastSeq;
}
