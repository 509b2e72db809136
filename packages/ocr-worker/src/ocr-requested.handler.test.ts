import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { emptyMedication, type BusEvent, type ImageRef, type Medication, type OcrRequested } from '@rxscan/contracts';
import { UnreadableImageError } from './extraction/extraction.errors.js';
import type { Extraction } from './extraction/types.js';
import { emptyRecord } from './extraction/label.parser.js';
import { handleOcrRequested, type RequestedDeps } from './ocr-requested.handler.js';

const req: OcrRequested = {
  job_id: 'handler-job-01',
  image: { key: 'handler-job-01.jpg', sha256: 'd'.repeat(64), content_type: 'image/jpeg', bytes: 3, width: 1, height: 1 },
  submitted_at: '2026-11-28T10:00:00.000Z',
  attempt: 1,
  reason: 'new',
};

function deps(over: Partial<RequestedDeps>): RequestedDeps & { published: BusEvent[] } {
  const published: BusEvent[] = [];
  return {
    published,
    workerName: 'w1',
    publish: async (e) => void published.push(e),
    readImage: async () => Buffer.from('img'),
    extract: async () => ({ ocr_text: 'X', medication: { ...emptyMedication(), name: 'X' }, confidence: {} as never, record: emptyRecord(), record_confidence: {} as never, needs_review: true, timings_ms: { total: 1 } }),
    now: () => new Date('2026-11-28T10:00:01.000Z'),
    log: pino({ level: 'silent' }),
    ...over,
  };
}
const types = (d: { published: BusEvent[] }) => d.published.map((e) => e.type);

describe('handleOcrRequested', () => {
  it('announces the job, then publishes the reading, then acks', async () => {
    const d = deps({});
    expect(await handleOcrRequested(req, { count: 1, maxDeliver: 5 }, d)).toEqual({ kind: 'ack' });
    expect(types(d)).toEqual(['ocr.started', 'ocr.completed']);
    // The fill record is in the event, null where nothing was read.
    expect(d.published[1]).toMatchObject({ data: { medication: { name: 'X', patient: null, date_filled: null, discard_after: null, pharmacy_phone: null, quantity_unit: null } } });
  });

  it('publishes the fill record the extractor read, leaving out a date that is no day', async () => {
    const extraction = {
      ocr_text: 'X',
      medication: { ...emptyMedication(), name: 'X' },
      confidence: {} as never,
      record: { patient: 'Sarah Smith', date_filled: '2026-11-01', discard_after: '2027-02-30', pharmacy_phone: null, quantity_unit: 'tablet' },
      record_confidence: { patient: 0.9, date_filled: 0.95, discard_after: 0.9, pharmacy_phone: 0, quantity_unit: 0.8 },
      needs_review: true,
      timings_ms: { total: 1 },
    };
    const d = deps({ extract: async () => extraction });
    await handleOcrRequested(req, { count: 1, maxDeliver: 5 }, d);
    expect(d.published[1]).toMatchObject({
      data: {
        medication: { patient: 'Sarah Smith', date_filled: '2026-11-01', discard_after: null, quantity_unit: 'tablet' },
        confidence: { patient: 0.9, date_filled: 0.95, discard_after: 0 },
      },
    });
  });

  it('with a second reader, publishes what it changed and what it made of the label; without one, says nothing of it', async () => {
    const d = deps({
      secondRead: async (_image, e) => ({
        ...e,
        confidence: { ...e.confidence, dosage: 0.5 },
        needs_review: true,
        alternatives: { dosage: [{ value: '20 mg', source: 'second reader (m)' }] },
        second_reader: 'disagreed',
      }),
    });
    await handleOcrRequested(req, { count: 1, maxDeliver: 5 }, d);
    expect(d.published[1]).toMatchObject({
      type: 'ocr.completed',
      data: { needs_review: true, confidence: { dosage: 0.5 }, second_reader: 'disagreed', alternatives: { dosage: [{ value: '20 mg', source: 'second reader (m)' }] } },
    });
    const without = deps({});
    await handleOcrRequested(req, { count: 1, maxDeliver: 5 }, without);
    expect(without.published[1]!.data).not.toHaveProperty('second_reader');
    expect(without.published[1]!.data).not.toHaveProperty('alternatives');
  });

  it('fails at once, not retryable, when the stored photo is gone', async () => {
    const d = deps({ readImage: async () => Promise.reject(Object.assign(new Error('gone'), { code: 'ENOENT' })) });
    expect(await handleOcrRequested(req, { count: 1, maxDeliver: 5 }, d)).toEqual({ kind: 'ack' });
    expect(d.published[1]).toMatchObject({ type: 'ocr.failed', data: { error: { code: 'image_missing' }, retryable: false } });
  });

  it('hands a transient failure back with a delay while deliveries remain', async () => {
    const d = deps({ extract: async () => Promise.reject(new Error('worker crashed')) });
    const out = await handleOcrRequested(req, { count: 2, maxDeliver: 5 }, d);
    expect(out).toMatchObject({ kind: 'nak' });
    expect(types(d)).toEqual(['ocr.started']);
  });

  it('reports the last delivery’s failure as ocr.failed, retryable', async () => {
    const d = deps({ extract: async () => Promise.reject(new Error('worker crashed')) });
    expect(await handleOcrRequested(req, { count: 5, maxDeliver: 5 }, d)).toEqual({ kind: 'ack' });
    expect(d.published[1]).toMatchObject({ type: 'ocr.failed', data: { error: { code: 'ocr_error' }, retryable: true } });
  });

  it('does not ack when the result could not be stored on the bus', async () => {
    let n = 0;
    const d = deps({ publish: async () => { if (++n === 2) throw new Error('timeout'); } });
    await expect(handleOcrRequested(req, { count: 1, maxDeliver: 5 }, d)).rejects.toThrow('timeout');
  });
});

describe('handleOcrRequested with bytes that are not an image', () => {
  it('fails at once, not retryable, whatever the delivery count', async () => {
    const { UnreadableImageError } = await import('./extraction/extraction.errors.js');
    const d = deps({ extract: async () => Promise.reject(new UnreadableImageError('not_an_image', 'no')) });
    expect(await handleOcrRequested(req, { count: 1, maxDeliver: 5 }, d)).toEqual({ kind: 'ack' });
    expect(d.published[1]).toMatchObject({ type: 'ocr.failed', data: { error: { code: 'not_an_image' }, retryable: false } });
  });

  describe('a scan of several photos', () => {
    const ref = (key: string): ImageRef => ({ key, sha256: 'd'.repeat(64), content_type: 'image/jpeg', bytes: 3, width: 1, height: 1 });
    const three: OcrRequested = { ...req, images: [req.image, ref('handler-job-01_1.jpg'), ref('handler-job-01_2.jpg')] };
    const reading = (fields: Partial<Medication>, c: number, box: { x: number; y: number; w: number; h: number }): Extraction => ({
      ocr_text: String(fields.name ?? ''),
      medication: { ...emptyMedication(), ...fields },
      confidence: Object.fromEntries(Object.keys(fields).map((f) => [f, c])) as never,
      record: emptyRecord(),
      record_confidence: {} as never,
      needs_review: true,
      timings_ms: { total: 10 },
      boxes: Object.fromEntries(Object.keys(fields).map((f) => [f, box])),
    });
    const byKey = (readings: Record<string, Extraction | Error>) => ({
      readImage: async (key: string) => Buffer.from(key),
      extract: async (image: Buffer) => {
        const r = readings[image.toString()]!;
        if (r instanceof Error) throw r;
        return r;
      },
    });

    it('reads every photo and publishes one merged reading, each field boxed on the photo it came from', async () => {
      const d = deps(
        byKey({
          'handler-job-01.jpg': reading({ name: 'Lisinopril', dosage: '10 mg' }, 0.97, { x: 0.1, y: 0.1, w: 0.3, h: 0.05 }),
          'handler-job-01_1.jpg': reading({ schedule: 'Once daily', quantity: 30 }, 0.97, { x: 0.2, y: 0.5, w: 0.3, h: 0.05 }),
          'handler-job-01_2.jpg': reading({ quantity: 80 }, 0.4, { x: 0.6, y: 0.6, w: 0.1, h: 0.05 }),
        }),
      );
      expect(await handleOcrRequested(three, { count: 1, maxDeliver: 5 }, d)).toEqual({ kind: 'ack' });
      expect(types(d)).toEqual(['ocr.started', 'ocr.completed']);
      const done = d.published[1] as Extract<BusEvent, { type: 'ocr.completed' }>;
      expect(done.data.medication).toMatchObject({ name: 'Lisinopril', dosage: '10 mg', schedule: 'Once daily', quantity: 30 });
      expect(done.data.boxes).toMatchObject({ name: { image: 0, x: 0.1 }, quantity: { image: 1, y: 0.5 } });
      // Photo 3 read another quantity: kept as the alternative, and the quantity goes to a person.
      expect(done.data.alternatives).toEqual({ quantity: [{ value: 80, source: 'photo 3' }] });
      expect(done.data.needs_review).toBe(true);
      expect(done.data.timings_ms.total).toBe(30);
      expect(done.data.ocr_text).toContain('--- photo 2 ---');
    });

    it('asks the second reader once, about the merged reading, and keeps the photos’ alternatives beside its own', async () => {
      const asked: Extraction[] = [];
      const d = deps({
        ...byKey({
          'handler-job-01.jpg': reading({ name: 'Lisinopril', dosage: '10 mg' }, 0.97, { x: 0.1, y: 0.1, w: 0.3, h: 0.05 }),
          'handler-job-01_1.jpg': reading({ dosage: '10 mg', quantity: 30 }, 0.97, { x: 0.2, y: 0.5, w: 0.3, h: 0.05 }),
          'handler-job-01_2.jpg': reading({ quantity: 80 }, 0.4, { x: 0.6, y: 0.6, w: 0.1, h: 0.05 }),
        }),
        secondRead: async (_image, e) => {
          asked.push(e);
          return { ...e, confidence: { ...e.confidence, dosage: 0.5 }, needs_review: true, alternatives: { dosage: [{ value: '20 mg', source: 'second reader (m)' }] }, second_reader: 'disagreed' };
        },
      });
      await handleOcrRequested(three, { count: 1, maxDeliver: 5 }, d);
      // One question per scan, about what the photos read together (photo 1 alone had no quantity).
      expect(asked).toHaveLength(1);
      expect(asked[0]!.medication).toMatchObject({ name: 'Lisinopril', dosage: '10 mg', quantity: 30 });
      const done = d.published[1] as Extract<BusEvent, { type: 'ocr.completed' }>;
      // Two photos agreeing on the dosage do not outvote the reader: it goes to a person.
      expect(done.data.confidence.dosage).toBe(0.5);
      expect(done.data.needs_review).toBe(true);
      expect(done.data.second_reader).toBe('disagreed');
      expect(done.data.alternatives).toEqual({ quantity: [{ value: 80, source: 'photo 3' }], dosage: [{ value: '20 mg', source: 'second reader (m)' }] });
    });

    it('merges the photos it can read when one cannot be decoded, and fails only when none can', async () => {
      const bad = new UnreadableImageError('image_decode_failed', 'no');
      const d = deps(byKey({ 'handler-job-01.jpg': bad, 'handler-job-01_1.jpg': reading({ name: 'Lisinopril' }, 0.9, { x: 0, y: 0, w: 1, h: 0.1 }), 'handler-job-01_2.jpg': bad }));
      await handleOcrRequested(three, { count: 1, maxDeliver: 5 }, d);
      expect(d.published[1]).toMatchObject({ type: 'ocr.completed', data: { medication: { name: 'Lisinopril' }, boxes: { name: { image: 1 } } } });

      const none = deps(byKey({ 'handler-job-01.jpg': bad, 'handler-job-01_1.jpg': bad, 'handler-job-01_2.jpg': bad }));
      await handleOcrRequested(three, { count: 1, maxDeliver: 5 }, none);
      expect(none.published[1]).toMatchObject({ type: 'ocr.failed', data: { error: { code: 'image_decode_failed' }, retryable: false } });
    });
  });
});
