import { describe, expect, it } from 'vitest';
import { historyText } from './history.text.js';

const people = [{ id: 'sarah', name: 'Sarah Smith', created_at: '', updated_at: '' }];

describe('a medication’s history in words', () => {
  it('says what happened, with the fields, the fill and the person', () => {
    expect(historyText({ kind: 'scanned', at: '' }, people)).toBe('Scanned');
    expect(historyText({ kind: 'confirmed', at: '', fields: ['dosage', 'rx_number'], person_id: 'sarah' }, people)).toBe('Confirmed after correcting dosage, rx number for Sarah Smith');
    expect(historyText({ kind: 'edited', at: '', fields: ['refills'] }, people)).toBe('Edited: refills');
    expect(
      historyText({ kind: 'refilled', at: '', fill: { date_filled: '2026-11-01', discard_after: null, quantity: 30, quantity_unit: 'tablet', refills: 1 } }, people),
    ).toBe('Refilled: filled 2026-11-01, 30 tablet, 1 refill left');
    expect(historyText({ kind: 'stopped', at: '' }, people)).toBe('Stopped taking');
    expect(historyText({ kind: 'restored', at: '' }, people)).toBe('Delete undone');
    expect(historyText({ kind: 'assigned', at: '', person_id: null }, people)).toBe('Moved to nobody in particular');
  });
});
