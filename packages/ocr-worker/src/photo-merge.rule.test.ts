import { describe, expect, it } from 'vitest';
import { emptyMedication, REVIEW_THRESHOLD, type Medication } from '@rxscan/contracts';
import { mergePhotoReadings, type PhotoReading } from './photo-merge.rule.js';

const photo = (fields: Partial<Medication>, confidence: Partial<Record<keyof Medication, number>>, text = 'text'): PhotoReading => ({
  medication: { ...emptyMedication(), ...fields },
  confidence,
  boxes: Object.fromEntries(Object.keys(fields).map((f, i) => [f, { x: 0.1, y: 0.1 * (i + 1), w: 0.5, h: 0.05 }])),
  ocr_text: text,
});

const clear = { name: 'Lisinopril', dosage: '10 mg', schedule: 'Once daily', quantity: 30 } as const;
const sure = { name: 0.97, dosage: 0.97, schedule: 0.97, quantity: 0.97 };

describe('merging the photos of one bottle field by field', () => {
  it('given one photo, then the reading is that photo’s, with its boxes on image 0', () => {
    const merged = mergePhotoReadings([photo(clear, sure)]);
    expect(merged.medication).toMatchObject(clear);
    expect(merged.confidence).toMatchObject(sure);
    expect(merged.needs_review).toBe(false);
    expect(merged.alternatives).toBeUndefined();
    expect(merged.boxes.name).toEqual({ image: 0, x: 0.1, y: 0.1, w: 0.5, h: 0.05 });
    expect(merged.ocr_text).toBe('text');
  });

  it('given each photo shows a different side, then each field comes from the photo that read it, with that photo’s box', () => {
    const front = photo({ name: 'Lisinopril', dosage: '10 mg' }, { name: 0.97, dosage: 0.97, schedule: 0, quantity: 0 });
    const side = photo({ schedule: 'Once daily', quantity: 30 }, { name: 0, dosage: 0, schedule: 0.97, quantity: 0.97 });
    const merged = mergePhotoReadings([front, side]);
    expect(merged.medication).toMatchObject(clear);
    expect(merged.needs_review).toBe(false);
    expect(merged.boxes.name?.image).toBe(0);
    expect(merged.boxes.quantity?.image).toBe(1);
    expect(merged.alternatives).toBeUndefined();
  });

  it('given a field read weakly on a curved edge and clearly on another photo, then the clear reading wins', () => {
    const edge = photo({ ...clear, name: 'Lisinopril' }, { ...sure, name: 0.4 });
    const straight = photo({ name: 'LISINOPRIL' }, { name: 0.97 });
    const merged = mergePhotoReadings([edge, straight]);
    // Same drug (case aside): the two photos agree, and the stronger one's spelling and box are kept.
    expect(merged.medication.name).toBe('LISINOPRIL');
    expect(merged.boxes.name?.image).toBe(1);
    expect(merged.confidence.name).toBeGreaterThanOrEqual(0.97);
  });

  it('given two photos that each read a field once and agree, then the agreement makes it certain', () => {
    const once = { name: 0.8, dosage: 0.8, schedule: 0.8, quantity: 0.8 };
    const merged = mergePhotoReadings([photo(clear, once), photo(clear, once)]);
    expect(merged.confidence.quantity).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
    expect(merged.needs_review).toBe(false);
  });

  it('given photos that disagree on a critical field, then it stays uncertain, the stronger value is kept and the other is offered from its photo', () => {
    const a = photo(clear, sure);
    const b = photo({ ...clear, quantity: 80 }, { ...sure, quantity: 0.6 });
    const merged = mergePhotoReadings([a, b]);
    expect(merged.medication.quantity).toBe(30);
    expect(merged.confidence.quantity).toBeLessThan(REVIEW_THRESHOLD);
    expect(merged.needs_review).toBe(true);
    expect(merged.alternatives).toEqual({ quantity: [{ value: 80, source: 'photo 2' }] });
    // The fields they agree on stay certain.
    expect(merged.confidence.name).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });

  it('given two photos of three agree against one, then their value is kept even if the one is more confident alone', () => {
    const lone = photo({ dosage: '40 mg' }, { dosage: 0.9 });
    const merged = mergePhotoReadings([lone, photo(clear, { ...sure, dosage: 0.8 }), photo(clear, { ...sure, dosage: 0.8 })]);
    expect(merged.medication.dosage).toBe('10 mg');
    expect(merged.confidence.dosage).toBeLessThan(REVIEW_THRESHOLD);
    expect(merged.alternatives?.dosage).toEqual([{ value: '40 mg', source: 'photo 1' }]);
  });

  it('given a field no photo read, then it is null; and the text of every photo is kept, headed by its photo', () => {
    const merged = mergePhotoReadings([photo(clear, sure, 'FRONT'), photo({}, {}, 'BACK')]);
    expect(merged.medication.prescriber).toBeNull();
    expect(merged.ocr_text).toBe('--- photo 1 ---\nFRONT\n--- photo 2 ---\nBACK');
  });

  it('gives an alternative as one line the contract accepts, however the photo printed it', () => {
    const merged = mergePhotoReadings([photo({ sig: 'TAKE 1 TABLET DAILY' }, { sig: 0.9 }), photo({ sig: 'TAKE 1 TABLET\nTWICE DAILY' }, { sig: 0.5 })]);
    expect(merged.alternatives?.sig).toEqual([{ value: 'TAKE 1 TABLET TWICE DAILY', source: 'photo 2' }]);
  });

  it('refuses to merge nothing', () => {
    expect(() => mergePhotoReadings([])).toThrow(/no photos/);
  });
});
