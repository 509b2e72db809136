import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sameDrugName, stackLines } from './line.verify.js';

describe('sameDrugName', () => {
  it('treats a dropped salt as the same drug', () => {
    expect(sameDrugName('Ciprofloxacin', 'Ciprofloxacin HCl')).toBe(true);
    expect(sameDrugName('METFORMIN HCL', 'Metformin HCl')).toBe(true);
  });
  it('tells different salts and drugs apart', () => {
    expect(sameDrugName('Diltiazem HCl', 'Diltiazem Malate')).toBe(false);
    expect(sameDrugName('Hydroxyzine', 'Hydralazine')).toBe(false);
    expect(sameDrugName('Hydroxyzine', null)).toBe(false);
  });
});

describe('stackLines', () => {
  it('stacks enlarged crops of the boxes, top to bottom', async () => {
    const image = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ddd' } }).png().toBuffer();
    const out = await stackLines(image, [
      { x0: 10, y0: 10, x1: 210, y1: 40 },
      { x0: 50, y0: 100, x1: 150, y1: 130 },
    ]);
    const meta = await sharp(out).metadata();
    expect(meta.width).toBeGreaterThanOrEqual(210 * 1.5);
    expect(meta.height).toBeGreaterThan(2 * 30 * 1.5);
  });
});
