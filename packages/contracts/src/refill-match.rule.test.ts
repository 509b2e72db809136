import { describe, expect, it } from 'vitest';
import { emptyMedication, type Medication } from './event.schema.js';
import { refillTargetOf, samePharmacy } from './refill-match.rule.js';

const med = (id: string, fields: Partial<Medication>, status = 'confirmed', updated_at = '2026-10-01T10:00:00.000Z') => ({
  ...emptyMedication(),
  ...fields,
  id,
  status,
  updated_at,
});

describe('a new reading as a refill of a medication on the list', () => {
  const list = [
    med('lisinopril', { name: 'Lisinopril', rx_number: '0612345', pharmacy: 'CVS Pharmacy #1234' }),
    med('metformin', { name: 'Metformin', rx_number: '998877', pharmacy: 'Corner Drug' }),
  ];

  it('is the confirmed medication with the same Rx number from the same pharmacy, however each is printed', () => {
    const reading = { ...emptyMedication(), name: 'LISINOPRIL', rx_number: 'RX 612345', pharmacy: 'CVS/PHARMACY' };
    expect(refillTargetOf(reading, list)?.id).toBe('lisinopril');
  });

  it('is nothing when the Rx number matches at another pharmacy: Rx numbers are per pharmacy', () => {
    const reading = { ...emptyMedication(), rx_number: '612345', pharmacy: 'Walgreens' };
    expect(refillTargetOf(reading, list)).toBeNull();
  });

  it('is nothing without an Rx number, or for a draft, or for the reading itself', () => {
    expect(refillTargetOf({ ...emptyMedication(), pharmacy: 'Corner Drug' }, list)).toBeNull();
    const drafts = [med('draft', { rx_number: '998877', pharmacy: 'Corner Drug' }, 'needs_review')];
    expect(refillTargetOf({ ...emptyMedication(), rx_number: '998877', pharmacy: 'Corner Drug' }, drafts)).toBeNull();
    expect(refillTargetOf({ ...list[1]!, id: 'metformin' }, list)).toBeNull();
  });

  it('takes the same phone number as the same pharmacy even when the name was read differently', () => {
    expect(samePharmacy({ pharmacy: 'C0RNER DRUG', pharmacy_phone: '(217) 555-0142' }, { pharmacy: 'Corner Drug Store', pharmacy_phone: '217.555.0142' })).toBe(true);
    expect(samePharmacy({ pharmacy: 'Walgreens', pharmacy_phone: null }, { pharmacy: 'CVS', pharmacy_phone: null })).toBe(false);
  });

  it('picks the most recently changed one when two on the list match', () => {
    const two = [
      med('old', { rx_number: '5', pharmacy: 'Corner Drug' }, 'confirmed', '2026-01-01T00:00:00.000Z'),
      med('new', { rx_number: '5', pharmacy: 'Corner Drug' }, 'confirmed', '2026-06-01T00:00:00.000Z'),
    ];
    expect(refillTargetOf({ ...emptyMedication(), rx_number: '5', pharmacy: 'Corner Drug' }, two)?.id).toBe('new');
  });
});
