import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createExtractor, isUnreadableImage, type Extractor } from './index.js';

/** A flat label rendered from text, so the test needs no corpus files. */
async function labelImage(rows: string[], angle = 0): Promise<Buffer> {
  const text = rows.map((r, i) => `<text x="30" y="${60 + i * 48}" font-family="DejaVu Sans" font-size="30">${r}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="${100 + rows.length * 48}"><rect width="100%" height="100%" fill="#f2f0ea"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).rotate(angle, { background: '#f2f0ea' }).jpeg({ quality: 85 }).toBuffer();
}

const LABEL = [
  'CORNER DRUG (217) 555-0142',
  'RX# 7712345 DATE: 03/14/2026',
  'JANE DOE',
  'TAKE 1 TABLET BY MOUTH TWICE DAILY WITH FOOD',
  'METFORMIN HCL 500 MG TABLET',
  'QTY: 60 REFILLS: 2',
  'DR. SARAH SMITH',
];

describe('createExtractor (real tesseract.js)', () => {
  let extractor: Extractor;
  const cacheDir = mkdtempSync(join(tmpdir(), 'rxscan-extract-test-'));
  beforeAll(async () => {
    extractor = await createExtractor({ workers: 2, cacheDir });
  });
  afterAll(async () => {
    await extractor.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('reads a label, tilted a little, and is sure of it', async () => {
    const x = await extractor.extract(await labelImage(LABEL, 3));
    expect(x.medication).toMatchObject({ name: 'Metformin HCl', dosage: '500 mg', schedule: 'Twice daily', quantity: 60, refills: 2, rx_number: '7712345' });
    expect(x.needs_review).toBe(false);
    expect(x.ocr_text).toContain('METFORMIN');
    expect(x.timings_ms.total).toBeGreaterThan(0);
    for (const c of Object.values(x.confidence)) expect(c).toBeGreaterThanOrEqual(0), expect(c).toBeLessThanOrEqual(1);
  });

  it("reads a label alone as it reads it with other labels under way: the re-read's page made during the read is the one made after", async () => {
    const lazy = await createExtractor({ workers: 1, cacheDir, early: false });
    try {
      const image = await labelImage(LABEL, 3);
      const [alone, late] = [await extractor.extract(image), await lazy.extract(image)];
      const { timings_ms: _a, ...a } = alone;
      const { timings_ms: _b, ...b } = late;
      expect(a).toEqual(b);
      expect(a.needs_review).toBe(false); // the re-read confirmed every critical field
    } finally {
      await lazy.close();
    }
  });

  it('runs two labels at once on two workers', async () => {
    const [a, b] = await Promise.all([extractor.extract(await labelImage(LABEL)), extractor.extract(await labelImage(LABEL.map((r) => r.replace('500', '850'))))]);
    expect(a.medication.dosage).toBe('500 mg');
    expect(b.medication.dosage).toBe('850 mg');
  });

  it('returns all-null fields for a photo with no text, and asks for review', async () => {
    const blank = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#7a5c44' } }).jpeg().toBuffer();
    const x = await extractor.extract(blank);
    expect(Object.values(x.medication).every((v) => v === null)).toBe(true);
    expect(x.needs_review).toBe(true);
  });

  it('throws a non-retryable error for bytes that are not an image', async () => {
    const err = await extractor.extract(Buffer.from('%PDF-1.4 not an image')).catch((e: unknown) => e);
    expect(isUnreadableImage(err)).toBe(true);
    expect((err as { code: string }).code).toBe('not_an_image');
  });

  it('reads no page twice and no second pass of a sideways photo: the quarter turn looked at is read on from its look', async () => {
    const pages: string[] = [];
    const counting = await createExtractor({
      workers: 1,
      cacheDir,
      wrapEngine: (e) => ({ ...e, recognize: (image, params) => (params?.deskew && pages.push(createHash('sha1').update(image).digest('hex')), e.recognize(image, params)) }),
    });
    try {
      const turned = await sharp(await labelImage(LABEL)).rotate(90).jpeg({ quality: 85 }).toBuffer();
      const x = await counting.extract(turned);
      expect(x.medication.name).toBe('Metformin HCl');
      // The first pass as taken (doubtful, its lines running down: no second pass of a sideways
      // photo), then the two quarter turns looked at; the one taken is read on from its look.
      expect(new Set(pages).size).toBe(pages.length);
      expect(pages.length).toBe(3);
    } finally {
      await counting.close();
    }
  });

  it.each([90, 180, 270])('reads a label photographed %i° round (no orientation tag) as it reads it upright, boxes on the photo as taken', async (angle) => {
    const upright = await labelImage(LABEL);
    const turned = await sharp(upright).rotate(angle).jpeg({ quality: 85 }).toBuffer();
    const [a, b] = [await extractor.extract(upright), await extractor.extract(turned)];
    expect(b.medication).toMatchObject({ name: a.medication.name, dosage: a.medication.dosage, sig: a.medication.sig, quantity: a.medication.quantity });
    expect(b.medication.name).toBe('Metformin HCl');
    // The name's box, turned with the photo, lands where the name is on the upright label.
    const box = b.boxes!.name!;
    const back = { 90: { x: box.y, y: 1 - box.x - box.w }, 180: { x: 1 - box.x - box.w, y: 1 - box.y - box.h }, 270: { x: 1 - box.y - box.h, y: box.x } }[angle as 90 | 180 | 270];
    expect(back.x).toBeCloseTo(a.boxes!.name!.x, 1);
    expect(back.y).toBeCloseTo(a.boxes!.name!.y, 1);
  });
});
