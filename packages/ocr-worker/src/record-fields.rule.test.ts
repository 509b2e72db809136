import { describe, expect, it } from 'vitest';
import { recordFieldsOf } from './record-fields.rule.js';

describe('the fill record a reading publishes', () => {
  it('gives every field, null where nothing was read', () => {
    expect(recordFieldsOf().medication).toEqual({ patient: null, date_filled: null, discard_after: null, pharmacy_phone: null, quantity_unit: null });
  });

  it('keeps what was read, with its confidence', () => {
    const r = recordFieldsOf({ values: { patient: 'Sarah Smith', date_filled: '2026-11-01', quantity_unit: 'tablet' }, confidence: { patient: 0.8, date_filled: 0.95 } });
    expect(r.medication).toMatchObject({ patient: 'Sarah Smith', date_filled: '2026-11-01', quantity_unit: 'tablet', discard_after: null });
    expect(r.confidence).toEqual({ patient: 0.8, date_filled: 0.95 });
  });

  it('leaves out a value the event would refuse, so the reading is still published', () => {
    const r = recordFieldsOf({ values: { date_filled: '2026-02-31', discard_after: '11/01/2027', patient: 'SMITH\u001b[2J' }, confidence: { date_filled: 0.9, patient: 0.9 } });
    expect(r.medication).toMatchObject({ date_filled: null, discard_after: null, patient: null });
    expect(r.confidence).toEqual({ date_filled: 0, patient: 0 });
  });
});
