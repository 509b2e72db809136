import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, InvalidEventError, messageIdOf, subjectOf } from './event.codec.js';
import { emptyMedication, imagesOf, type BusEvent, type ImageRef } from './event.schema.js';

const photo = (key: string): ImageRef => ({ key, sha256: 'a'.repeat(64), content_type: 'image/jpeg', bytes: 1000, width: 800, height: 600 });
const first = photo('0b7e2a40-5d57-4c52-9a43-3a0f5f1c2f10.jpg');
const requested: BusEvent = {
  type: 'ocr.requested',
  data: {
    job_id: '0b7e2a40-5d57-4c52-9a43-3a0f5f1c2f10',
    image: first,
    images: [first],
    submitted_at: '2026-11-28T10:00:00.000Z',
    attempt: 1,
    reason: 'new',
  },
};
const bytes = (payload: unknown) => new TextEncoder().encode(JSON.stringify(payload));

describe('event codec', () => {
  it('round-trips a valid event', () => {
    expect(decodeEvent('ocr.requested', encodeEvent(requested))).toEqual(requested);
  });

  it('refuses to publish an event that breaks its schema, naming the field', () => {
    const bad = { ...requested, data: { ...requested.data, attempt: 0 } } as BusEvent;
    expect(() => encodeEvent(bad)).toThrow(/attempt/);
  });

  it('refuses an image key that is a path', () => {
    const bad = { ...requested, data: { ...requested.data, image: { ...requested.data.image, key: '../../etc/passwd.jpg' } } } as BusEvent;
    expect(() => encodeEvent(bad)).toThrow(InvalidEventError);
  });

  it('rejects a consumed message that is not JSON or has the wrong shape', () => {
    expect(() => decodeEvent('ocr.started', new TextEncoder().encode('{nope'))).toThrow(/not JSON/);
    expect(() => decodeEvent('ocr.started', new TextEncoder().encode('{"job_id":"x"}'))).toThrow(InvalidEventError);
    expect(() => decodeEvent('ocr.unknown', encodeEvent(requested))).toThrow(/unknown subject/);
  });

  it('reads a request from before several photos (only `image`) as a scan of that one photo', () => {
    const { images: _, ...old } = (requested as Extract<BusEvent, { type: 'ocr.requested' }>).data;
    const decoded = decodeEvent('ocr.requested', bytes(old));
    expect(decoded.type === 'ocr.requested' && decoded.data.images).toEqual([first]);
    expect(decoded.type === 'ocr.requested' && imagesOf(decoded.data)).toEqual([first]);
  });

  it('carries two to four photos of one scan, and refuses a fifth or a list whose first is not `image`', () => {
    const data = (requested as Extract<BusEvent, { type: 'ocr.requested' }>).data;
    const four = [first, photo('job-0001_2.jpg'), photo('job-0001_3.png'), photo('job-0001_4.webp')];
    const decoded = decodeEvent('ocr.requested', encodeEvent({ type: 'ocr.requested', data: { ...data, images: four } }));
    expect(decoded.type === 'ocr.requested' && decoded.data.images?.map((i) => i.key)).toEqual(four.map((i) => i.key));
    expect(() => encodeEvent({ type: 'ocr.requested', data: { ...data, images: [...four, photo('job-0001_5.jpg')] } })).toThrow(/images/);
    expect(() => encodeEvent({ type: 'ocr.requested', data: { ...data, images: [photo('other-0001.jpg'), first] } })).toThrow(/first of images/);
    expect(() => encodeEvent({ type: 'ocr.requested', data: { ...data, images: [first, first] } })).toThrow(/own key/);
  });

  it('reads a request on the bulk lane as the same event, and publishes each lane on its own subject', () => {
    expect(decodeEvent('ocr.requested.bulk', encodeEvent(requested))).toEqual(requested);
    expect(subjectOf(requested)).toBe('ocr.requested');
    expect(subjectOf(requested, 'bulk')).toBe('ocr.requested.bulk');
    const started: BusEvent = { type: 'ocr.started', data: { job_id: 'job-00000001', attempt: 1, worker: 'w', started_at: '2026-11-28T10:00:00.000Z' } };
    expect(subjectOf(started, 'bulk')).toBe('ocr.started');
  });

  it('accepts an event from a newer producer with fields it does not know', () => {
    const newer = { ...requested.data, priority: 'high' };
    const decoded = decodeEvent('ocr.requested', new TextEncoder().encode(JSON.stringify(newer)));
    expect(decoded.data).toEqual(requested.data);
  });

  it('derives message ids from job and attempt so a repeated publish is a duplicate', () => {
    expect(messageIdOf(requested)).toBe('0b7e2a40-5d57-4c52-9a43-3a0f5f1c2f10.1');
    const completed: BusEvent = {
      type: 'ocr.completed',
      data: {
        job_id: requested.data.job_id,
        attempt: 2,
        completed_at: '2026-11-28T10:00:03.000Z',
        ocr_text: '',
        medication: emptyMedication(),
        confidence: {},
        needs_review: true,
        timings_ms: {},
      },
    };
    expect(messageIdOf(completed)).toBe('0b7e2a40-5d57-4c52-9a43-3a0f5f1c2f10.2.completed');
  });

  it('reads a medication event from before the record fields existed: they are simply absent', () => {
    const old = { med_id: 'med-old-0001', source_job_id: null, medication: { ...emptyMedication() }, confirmed_at: '2026-11-28T10:00:00.000Z' };
    for (const f of ['patient', 'date_filled', 'discard_after', 'pharmacy_phone', 'quantity_unit'] as const) delete old.medication[f];
    const decoded = decodeEvent('med.confirmed', new TextEncoder().encode(JSON.stringify(old)));
    expect(decoded.type).toBe('med.confirmed');
    expect(decoded.data).toMatchObject({ med_id: 'med-old-0001', medication: { name: null } });
  });

  it('round-trips the household record events, and refuses a fill date that is not a day', () => {
    const events: BusEvent[] = [
      { type: 'med.person.added', data: { person_id: 'person-0001', name: 'Sarah Smith', added_at: '2026-11-28T10:00:00.000Z' } },
      { type: 'med.person.renamed', data: { person_id: 'person-0001', name: 'Sarah J Smith', renamed_at: '2026-11-28T10:01:00.000Z' } },
      { type: 'med.person.merged', data: { person_id: 'person-0002', into_person_id: 'person-0001', merged_at: '2026-11-28T10:02:00.000Z' } },
      {
        type: 'med.refilled',
        data: {
          med_id: 'med-0001',
          draft_id: 'job-0002-draft',
          source_job_id: 'job-0002-draft',
          fill: { date_filled: '2026-11-20', discard_after: '2027-11-20', quantity: 30, quantity_unit: 'tablet', refills: 2 },
          refilled_at: '2026-11-28T10:03:00.000Z',
        },
      },
      { type: 'med.stopped', data: { med_id: 'med-0001', stopped_at: '2026-11-28T10:04:00.000Z' } },
      { type: 'med.resumed', data: { med_id: 'med-0001', resumed_at: '2026-11-28T10:05:00.000Z' } },
      { type: 'med.restored', data: { med_id: 'med-0001', restored_at: '2026-11-28T10:06:00.000Z' } },
      { type: 'med.assigned', data: { med_id: 'med-0001', person_id: null, assigned_at: '2026-11-28T10:07:00.000Z' } },
    ];
    for (const e of events) expect(decodeEvent(e.type, encodeEvent(e))).toEqual(e);
    // Each has its own id, so none is dropped as the duplicate of another.
    expect(new Set(events.map(messageIdOf)).size).toBe(events.length);
    const refill = events[3] as Extract<BusEvent, { type: 'med.refilled' }>;
    const badDay = { ...refill, data: { ...refill.data, fill: { ...refill.data.fill, date_filled: '11/20/2026' } } };
    expect(() => encodeEvent(badDay)).toThrow(/date_filled/);
  });

  it('refuses a person name with control characters or nothing in it', () => {
    const added = (name: string): BusEvent => ({ type: 'med.person.added', data: { person_id: 'person-0001', name, added_at: '2026-11-28T10:00:00.000Z' } });
    expect(() => encodeEvent(added('  '))).toThrow(/name/);
    expect(() => encodeEvent(added('Sarah\u001b[2J'))).toThrow(/control characters/);
  });

  it('gives a delete, a restore and a second delete of one medication three ids', () => {
    const del = (at: string): BusEvent => ({ type: 'med.deleted', data: { med_id: 'med-0001', deleted_at: at } });
    expect(messageIdOf(del('2026-11-28T10:00:00.000Z'))).not.toBe(messageIdOf(del('2026-11-28T10:05:00.000Z')));
  });
});

describe('what the tables could not keep is refused by the schema', () => {
  it('refuses a time with more digits than a column holds, and control characters in any text', () => {
    const data = (o: object) => new TextEncoder().encode(JSON.stringify(o));
    const base = { med_id: 'med-00000001', changes: { name: 'Aspirin' }, updated_at: '2026-12-01T10:00:00.000Z' };
    expect(() => decodeEvent('med.updated', data(base))).not.toThrow();
    expect(() => decodeEvent('med.updated', data({ ...base, updated_at: '2026-12-01T10:00:00.123456789123456789+05:30' }))).toThrow(/updated_at/);
    expect(() => decodeEvent('med.updated', data({ ...base, changes: { sig: 'TAKE 1\nDAILY' } }))).not.toThrow();
    expect(() => decodeEvent('med.updated', data({ ...base, changes: { sig: 'TAKE\u0000' } }))).toThrow(/changes\.sig: must not contain control characters/);
    expect(() => decodeEvent('med.updated', data({ ...base, changes: { name: 'TWO\nLINES' } }))).toThrow(/changes\.name: must not contain line breaks/);
  });
});
