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
});
