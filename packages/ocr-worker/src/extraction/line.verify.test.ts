import { describe, expect, it } from 'vitest';
import { bundledDrugLexicon } from './drug.lexicon.js';
import { parseLabel } from './label.parser.js';
import type { OcrEngine } from './tesseract.engine.js';
import { REREAD_ONLY_CAP } from './evidence.js';
import { capFields, confirmFields, lineBoxes, marginsClear, readOtherNumber, readOtherValue, rereadConfirms, unconfirmedFields, sameDrugName, stackLines } from './line.verify.js';
import { reading } from './ocr-reading.fixture.js';
import { mergeParsed } from './parse.merge.js';

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
    const image = { data: new Uint8Array(400 * 200).fill(0xdd), width: 400, height: 200 };
    image.data.fill(0, 20 * 400, 30 * 400); // a dark band inside the first box
    const out = await stackLines(image, [
      { x0: 10, y0: 10, x1: 210, y1: 40 },
      { x0: 50, y0: 100, x1: 150, y1: 130 },
    ]);
    expect(out.width).toBeGreaterThanOrEqual(210 * 1.5);
    expect(out.height).toBeGreaterThan(2 * 30 * 1.5);
    expect(out.data.length).toBe(out.width * out.height);
    // The band lands in the first crop, enlarged and shifted by its margin; the canvas stays white.
    expect(out.data[(24 + 33) * out.width + Math.round(100 * 1.5)]).toBeLessThan(64);
    expect(out.data[2 * out.width + 2]).toBe(255);
  });
  it('cuts the same crops from a page `ratio` times larger, without enlarging them again', async () => {
    const page = (k: number) => {
      const image = { data: new Uint8Array(400 * k * 200 * k).fill(0xdd), width: 400 * k, height: 200 * k };
      image.data.fill(0, 20 * k * image.width, 30 * k * image.width);
      return image;
    };
    const boxes = [{ x0: 10, y0: 10, x1: 210, y1: 40 }];
    const [small, large] = [await stackLines(page(1), boxes), await stackLines(page(1.5), boxes, 1.5)];
    expect(Math.abs(large.width - small.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(large.height - small.height)).toBeLessThanOrEqual(2);
    // The band at the same place in both: the boxes were scaled onto the larger page.
    expect(large.data[(24 + 33) * large.width + 150]).toBeLessThan(64);
    expect(large.data[(24 + 2) * large.width + 150]).toBeGreaterThan(192);
  });
});

describe('marginsClear / stackLines with the other words known', () => {
  const line = { x0: 100, y0: 100, x1: 300, y1: 140 };
  it('measures the room to the nearest word above and below across the line, not beside it or on it', () => {
    const ink = [
      { x0: 120, y0: 60, x1: 180, y1: 94 }, // above, 6 px clear
      { x0: 250, y0: 146, x1: 400, y1: 180 }, // below, reaching under the line's end: 6 px
      { x0: 320, y0: 100, x1: 380, y1: 140 }, // beside it on the same row
      { x0: 140, y0: 102, x1: 200, y1: 138 }, // one of its own words
      { x0: 10, y0: 141, x1: 90, y1: 170 }, // below, but left of it
    ];
    expect(marginsClear(line, ink)).toEqual([6, 6]);
    expect(marginsClear(line, [])).toEqual([Infinity, Infinity]);
  });
  it('stops a crop’s margin where the next line begins, so no shred of it is read with the line', async () => {
    const image = { data: new Uint8Array(400 * 220).fill(0xdd), width: 400, height: 220 };
    image.data.fill(0, 146 * 400, 180 * 400); // the next line's ink, 6 px under the line
    const below = [{ x0: 100, y0: 146, x1: 300, y1: 180 }];
    const dark = (img: { data: Uint8Array; width: number; height: number }) => img.data.filter((v) => v < 64).length;
    expect(dark(await stackLines(image, [line]))).toBeGreaterThan(0);
    expect(dark(await stackLines(image, [line], 1, below))).toBe(0);
  });
});

describe('rereadConfirms', () => {
  const clean = parseLabel(reading('TAKE 1 TABLET DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 30'));
  const repaired = parseLabel(reading('TAKE 1 TABLET DAILY', 'LISINOPRI1 1O MG TABLET', 'QTY: 3O'));
  const other = parseLabel(reading('TAKE 1 TABLET DAILY', 'LISINOPRIL 40 MG TABLET', 'QTY: 38'));
  it('confirms a value the re-read gives again when either look read it as printed', () => {
    for (const f of ['name', 'dosage', 'quantity'] as const) {
      expect(rereadConfirms(f, repaired, clean)).toBe(true);
      expect(rereadConfirms(f, clean, repaired)).toBe(true);
    }
  });
  it('does not when both looks had to repair it the same way: they agree on the repair, not the pixels', () => {
    for (const f of ['name', 'dosage', 'quantity'] as const) expect(rereadConfirms(f, repaired, repaired)).toBe(false);
  });
  it('does not when the values differ', () => {
    expect(rereadConfirms('dosage', clean, other)).toBe(false);
    expect(rereadConfirms('quantity', clean, other)).toBe(false);
  });
});

describe('confirmFields: a re-read of the same pixels alone does not make a field certain', () => {
  const critical = ['name', 'dosage', 'schedule', 'quantity'] as const;
  it('raises to 0.9 or more only the fields a check that does not look at the pixels supports', () => {
    // Days supply printed: 30 = 1 tablet × once a day × 30 days. Lisinopril is made in 10 mg.
    const checked = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 30 TABLETS DAYS SUPPLY: 30'));
    expect(checked.checked).toEqual({ name: true, dosage: true, schedule: true, quantity: true });
    const up = confirmFields(checked, critical);
    for (const f of critical) expect(up.confidence[f]).toBeGreaterThanOrEqual(0.9);
  });
  it('leaves a count with nothing to check it against read twice but below 0.9, still above review', () => {
    const parsed = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 30 TABLETS'));
    expect(parsed.checked?.quantity).toBe(false);
    const up = confirmFields(parsed, critical);
    expect(up.confidence.quantity).toBe(REREAD_ONLY_CAP);
    expect(up.confidence.quantity).toBeGreaterThanOrEqual(0.85);
    expect(up.confidence.quantity_unit).toBe(REREAD_ONLY_CAP);
    expect(up.confidence.name).toBeGreaterThanOrEqual(0.9);
  });
  it('treats a strength the lexicon does not list for the drug, or a decimal point that may be lost, as unchecked', () => {
    expect(parseLabel(reading('TAKE 1 TABLET DAILY', 'LISINOPRIL 15 MG TABLET', 'QTY: 30')).checked?.dosage).toBe(false);
    expect(parseLabel(reading('APPLY TWICE DAILY', 'ZORBLEX CREAM 5%', 'QTY: 30 G')).checked).toMatchObject({ name: false, dosage: false });
  });
  it('treats a schedule from gapped or ambiguous directions as unchecked', () => {
    expect(parseLabel(reading('TAKE 1 TABLET TWICE WEEKLY', 'LISINOPRIL 10 MG TABLET')).checked?.schedule).toBe(false);
  });
  it('on a smeared photo, leaves a field only the pixels vouch for below review, and still raises a checked one', () => {
    // A smear runs a digit's strokes together alike in every look (an 8 read as 0): agreeing proves nothing.
    const parsed = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 30 TABLETS'));
    const up = confirmFields(parsed, critical, true);
    expect(up.confidence.quantity).toBeLessThan(0.85);
    expect(up.confidence.quantity_unit).toBeLessThan(0.85);
    expect(up.confidence.name).toBeGreaterThanOrEqual(0.9);
    expect(up.confidence.dosage).toBeGreaterThanOrEqual(0.9);
    const checked = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 30 TABLETS DAYS SUPPLY: 30'));
    expect(confirmFields(checked, critical, true).confidence.quantity).toBeGreaterThanOrEqual(0.9);
  });
  it('never lowers a field, and without a checked map treats every field as unchecked', () => {
    const parsed = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 30'));
    const bare = { ...parsed, checked: undefined, confidence: { ...parsed.confidence, quantity: 0.95 } };
    expect(confirmFields(bare, ['quantity']).confidence.quantity).toBe(0.95);
    expect(confirmFields({ ...parsed, checked: undefined }, ['name']).confidence.name).toBe(REREAD_ONLY_CAP);
  });
});

describe('a number two looks read differently stays in dispute', () => {
  const first = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 1080 TABLETS'));
  const reread = parseLabel(reading('LISINOPRIL 10 MG TABLET', 'QTY: 1680 TABLETS'));
  const lost = parseLabel(reading('LISINOPRIL 10 MG TABLET'));
  it('counts a different number as a contradiction, a number the re-read did not find as none', () => {
    expect(readOtherNumber('quantity', first, reread)).toBe(true);
    expect(readOtherNumber('quantity', first, lost)).toBe(false);
    expect(readOtherNumber('dosage', first, reread)).toBe(false);
  });
  it('a second pass that reads one of the two values again does not settle it, nor does a re-read of that pass', () => {
    const disputed = { ...capFields(first, ['quantity']), disputed: ['quantity' as const] };
    const second = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 1080 TABLETS'));
    const merged = mergeParsed(disputed, second).parsed;
    expect(merged.disputed).toEqual(['quantity']);
    expect(merged.confidence.quantity).toBeLessThan(0.85);
    expect(confirmFields(merged, ['quantity']).confidence.quantity).toBeLessThan(0.85);
  });
});

describe('unconfirmedFields', () => {
  it('marks a number its re-read read differently, so capping it records the dispute', async () => {
    const first = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 1080 TABLETS'));
    const engine = { recognize: async () => ({ reading: reading('LISINOPRIL 10 MG TABLET', 'QTY: 1680 TABLETS'), rotateRadians: 0 }) } as unknown as OcrEngine;
    const image = { data: new Uint8Array(800 * 300).fill(255), width: 800, height: 300 };
    const verdict = await unconfirmedFields(engine, image, first, ['name', 'dosage', 'quantity'], bundledDrugLexicon());
    expect(verdict).toMatchObject({ failed: ['quantity'], disputed: ['quantity'], unread: [] });
    expect(verdict.reread?.medication.quantity).toBe(1680);
    expect(capFields(first, verdict.failed, verdict.disputed).disputed).toEqual(['quantity']);
  });
  it('returns every field failed and none disputed when the reading has no boxes to re-read', async () => {
    const engine = { recognize: async () => { throw new Error('not called'); } } as unknown as OcrEngine;
    const first = { ...parseLabel(reading('LISINOPRIL 10 MG TABLET')), evidence: {} };
    const image = { data: new Uint8Array(64).fill(255), width: 8, height: 8 };
    expect(await unconfirmedFields(engine, image, first, ['name', 'dosage'], bundledDrugLexicon())).toEqual({ failed: ['name', 'dosage'], disputed: [], unread: ['name', 'dosage'] });
  });
  it('tells a field read as something else from one not read at all (no evidence either way)', async () => {
    const first = parseLabel(reading('TAKE 1 TABLET BY MOUTH 3 TIMES DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 90 TABLETS'));
    const engine = { recognize: async () => ({ reading: reading('TAKE 1 TABLET BY MOUTH 2 TIMES DAILY', 'LISINOPRIL', 'QTY: 90 TABLETS'), rotateRadians: 0 }) } as unknown as OcrEngine;
    const image = { data: new Uint8Array(800 * 300).fill(255), width: 800, height: 300 };
    const verdict = await unconfirmedFields(engine, image, first, ['name', 'dosage', 'schedule', 'quantity'], bundledDrugLexicon());
    expect(verdict.failed.sort()).toEqual(['dosage', 'schedule']);
    expect(verdict.unread).toEqual(['dosage']);
    expect(verdict.disputed).toEqual([]);
  });
});

describe('readOtherValue', () => {
  const first = parseLabel(reading('TAKE 1 TABLET BY MOUTH 3 TIMES DAILY', 'HYDROXYZINE HCL 25 MG TABLET', 'QTY: 90 TABLETS'));
  it('is true for another schedule, strength, count or drug', () => {
    const other = parseLabel(reading('TAKE 1 TABLET BY MOUTH 2 TIMES DAILY', 'HYDRALAZINE HCL 50 MG TABLET', 'QTY: 60 TABLETS'));
    for (const f of ['name', 'dosage', 'schedule', 'quantity'] as const) expect(readOtherValue(f, first, other)).toBe(true);
  });
  it('is false for the same value, a dropped salt, or nothing read', () => {
    const same = parseLabel(reading('TAKE 1 TABLET BY MOUTH 3 TIMES DAILY', 'HYDROXYZINE 25 MG TABLET', 'QTY: 90 TABLETS'));
    const none = parseLabel(reading('TAKE 1 TABLET', 'TABLET'));
    for (const f of ['name', 'dosage', 'schedule', 'quantity'] as const) {
      expect(readOtherValue(f, first, same)).toBe(false);
      expect(readOtherValue(f, first, none)).toBe(false);
    }
  });
});

describe('capFields', () => {
  const first = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 1080 TABLETS'));
  it('caps the failed fields and records as disputed only those it is told were read as another number', () => {
    const capped = capFields(first, ['name', 'quantity'], ['quantity']);
    expect(capped.confidence.name).toBeLessThanOrEqual(0.5);
    expect(capped.confidence.quantity).toBeLessThanOrEqual(0.5);
    expect(capped.disputed).toEqual(['quantity']);
    expect(capFields(first, ['quantity']).disputed).toBeUndefined();
  });
  it('keeps a dispute the reading already carried', () => {
    expect(capFields({ ...first, disputed: ['dosage'] }, ['quantity'], ['quantity']).disputed).toEqual(['dosage', 'quantity']);
  });
});

describe('lineBoxes: the re-read crops whole printed lines', () => {
  const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });
  it('joins the boxes of one line: a count opening the drug line is re-read with the drug it counts', () => {
    // "60 | Colchicine 0.6mg tablets": the quantity's box and the name's, a word space apart.
    expect(lineBoxes([box(94, 48, 335, 77), box(48, 50, 84, 70), box(94, 48, 335, 77)])).toEqual([box(48, 48, 335, 77)]);
  });
  it('keeps lines apart, and words of one line far apart (another column) apart, top to bottom', () => {
    const lines = lineBoxes([box(40, 90, 500, 118), box(40, 40, 300, 68), box(900, 42, 1000, 66)]);
    expect(lines).toEqual([box(40, 40, 300, 68), box(900, 42, 1000, 66), box(40, 90, 500, 118)]);
  });
  it('joins words chained along one line, each a word space from the next', () => {
    expect(lineBoxes([box(0, 0, 50, 20), box(120, 0, 170, 20), box(60, 0, 110, 20)])).toEqual([box(0, 0, 170, 20)]);
  });
});
