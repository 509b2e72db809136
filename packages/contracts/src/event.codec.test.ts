import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, InvalidEventError, messageIdOf } from './event.codec.js';
import { emptyMedication, type BusEvent } from './event.schema.js';

const requested: BusEvent = {
  type: 'ocr.requested',
  data: {
    job_id: '0b7e2a40-5d57-4c52-9a43-3a0f5f1c2f10',
    image: { key: '0b7e2a40-5d57-4c52-9a43-3a0f5f1c2f10.jpg', sha256: 'a'.repeat(64), content_type: 'image/jpeg', bytes: 1000, width: 800, height: 600 },
    submitted_at: '2026-11-28T10:00:00.000Z',
    attempt: 1,
    reason: 'new',
  },
};

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
