import { describe, expect, it } from 'vitest';
import { findRefills, findRxNumber } from './label.fields.js';
import { segmentOf } from './label.layout.js';
import type { OcrWord } from './types.js';

/** One segment per string; "word~40" sets a word's OCR confidence. */
const segs = (...texts: string[]) =>
  texts.map((t, line) =>
    segmentOf(
      t.split(' ').map((raw, i): OcrWord => {
        const [text, c] = raw.split('~') as [string, string | undefined];
        return { text, confidence: c ? Number(c) : 95, bbox: { x0: i * 100, y0: line * 40, x1: i * 100 + 80, y1: line * 40 + 28 } };
      }),
      line,
    ),
  );

describe('findRefills', () => {
  it.each([
    ['Refills remaining: 5', 5],
    ['REFILLS: 0', 0],
    ['NO REFILLS', 0],
    ['NOREFILLS', 0],
    ['3 REFILLS LEFT', 3],
    ['RF: 2', 2],
    ['Refills: None', 0],
    ['Refills: 2 before 05/01/2027', 2],
    ['REFILL(S): 1', 1],
    ['0 Refills', 0],
  ])('%s -> %s', (text, n) => {
    expect(findRefills(segs(text))?.value).toBe(n);
  });

  it.each([
    ['REFILLS: n', 11],
    ['Refills remaining: Il', 11],
    ['REFILLS: i', 1],
    ['Refills: S', 5],
    ['Refills authorized O', 0],
    ['REFILLS: Ll', 11],
    ['REFILLS: O', 0],
  ])('reads a count alone after its word from the letters its strokes look like, as a repair: %s -> %s', (text, n) => {
    const hit = findRefills(segs(text));
    expect(hit?.value).toBe(n);
    expect(hit?.repaired).toBe(true);
  });

  it('reads no count from a word of letters after it', () => {
    expect(findRefills(segs('Refills: n/a'))).toBeNull();
    expect(findRefills(segs('Refills: Ask your doctor'))).toBeNull();
    expect(findRefills(segs('Refills: Only with approval'))).toBeNull();
    expect(findRefills(segs('REFILLS: 2'))?.repaired).toBeUndefined();
  });

  it('does not give the quantity to refills in "QTY 30 REFILLS: 2"', () => {
    expect(findRefills(segs('QTY 30 REFILLS: 2'))?.value).toBe(2);
    expect(findRefills(segs('QTY 30 REFILLS 2'))?.value).toBe(2);
  });

  it.each([
    ['Refills: @ DR. L. PEMBERTON', 0],
    ['Refills: © DR. LINDA WILSON', 0],
    ['Qty: 21 Repeats: @ Rx 9332925', 0],
    ['Refills remaining: § DIN 03205524', 5],
    ['REFILLS AUTHORIZED: © PRESCRIBER: SCHMIDT, AMARA', 0],
  ])('reads a bold count read as a sign of its shape, less surely than a digit: %s -> %s', (text, n) => {
    const hit = findRefills(segs(text));
    expect(hit?.value).toBe(n);
    expect(hit!.pattern).toBeLessThan(findRefills(segs(`Refills: ${n}`))!.pattern);
  });

  it('takes no sign that is part of a word or an address for a count', () => {
    expect(findRefills(segs('Refills: @home delivery'))).toBeNull();
    expect(findRefills(segs('Email refills@pharmacy.com'))).toBeNull();
  });

  it.each([
    ['RF 3', 3],
    ['RF3', 3],
    ['Prescription # 4163320-2755 RF 11 Prescribed by Carlos Schmidt', 11],
  ])('reads the RF abbreviation with its count after a space or none: %s -> %s', (text, n) => {
    expect(findRefills(segs(text))?.value).toBe(n);
  });

  it('takes no count glued to RF that is the letter of a longer caption', () => {
    expect(findRefills(segs('RFL'))).toBeNull();
    expect(findRefills(segs('RF3X'))).toBeNull();
  });

  it('does not read a fill date as refills', () => {
    expect(findRefills(segs('Date filled: 07/12/2026', 'Filled 08/25/2026'))).toBeNull();
  });
});

describe('findRxNumber', () => {
  it.each([
    ['RX# 8372913', '8372913'],
    ['Rx #: 8997748', '8997748'],
    ['RX 1264119 11/05/2026 JAMES NOVAK', '1264119'],
    ['Wei Murphy RX: 4481341-2812', '4481341-2812'],
    ['RX5899968', '5899968'],
    ['Prescription #: 2605432', '2605432'],
    ['PRESCRIPTION NO. 4163320-2755', '4163320-2755'],
  ])('%s -> %s', (text, rx) => {
    expect(findRxNumber(segs(text))?.value).toBe(rx);
  });

  it('ignores a pharmacy name ending in RX followed by its phone', () => {
    expect(findRxNumber(segs('HARBOR HEALTH RX (757) 555-0130'))).toBeNull();
  });
});
