import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { markedZero, zerosByShape, zerosReadBack } from './glyph.zero.js';
import type { GreyPixels } from './image.preprocess.js';

/** Glyphs 24 px wide and 36 high, 6 px apart, drawn as shapes (no typeface), blurred a little as print is. */
const FIVE = '<path d="M20 3 H5 L4 17 Q12 12 18 17 Q22 22 18 30 Q12 36 3 31" fill="none" stroke="#000" stroke-width="4"/>';
const RING = '<ellipse cx="12" cy="18" rx="9" ry="15" fill="none" stroke="#000" stroke-width="4"/>';
const glyphs: Record<string, string> = {
  '5': FIVE,
  '0': RING,
  // The dot of a monospaced zero, clear of the ring.
  dot: `${RING}<ellipse cx="12" cy="18" rx="2.5" ry="3.5" fill="#000"/>`,
  // A mark that touches the ring on both sides: two holes, one above the other.
  bar: `${RING}<rect x="4" y="15" width="16" height="5" fill="#000"/>`,
  // A 6 whose hook curls down onto its bowl (a bold monospaced 6, blurred): a second, small hole above, to the side.
  sixClosed: '<circle cx="12" cy="25" r="8" fill="none" stroke="#000" stroke-width="4"/><path d="M4 25 Q4 4 19 4 Q21 11 13 16" fill="none" stroke="#000" stroke-width="4"/>',
  // A 6: a closed loop in the lower half under an open stroke.
  '6': '<circle cx="12" cy="25" r="8" fill="none" stroke="#000" stroke-width="4"/><path d="M4 25 Q4 4 19 4" fill="none" stroke="#000" stroke-width="4"/>',
};

async function word(keys: string[]): Promise<GreyPixels & { bbox: { x0: number; y0: number; x1: number; y1: number } }> {
  const body = keys.map((k, i) => `<g transform="translate(${10 + i * 30} 8)">${glyphs[k]}</g>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${20 + keys.length * 30}" height="52"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).blur(0.6).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, bbox: { x0: 8, y0: 6, x1: 12 + keys.length * 30 - 6, y1: 46 } };
}

describe('markedZero: a zero with a mark inside, told from a 6 by its shape', () => {
  it('finds a zero whose mark stands inside the ring, or cuts it into two holes one above the other', async () => {
    for (const z of ['dot', 'bar']) {
      const page = await word(['5', z, z]);
      expect(markedZero(page, { text: '566', bbox: page.bbox }, 1), z).toBe(true);
      expect(markedZero(page, { text: '566', bbox: page.bbox }, 2), z).toBe(true);
    }
  });
  it('says no for a 6 whose hook closes a small second hole above its bowl', async () => {
    const page = await word(['5', 'sixClosed']);
    expect(markedZero(page, { text: '56', bbox: page.bbox }, 1)).toBe(false);
  });
  it('says no for a 6, a plain zero, and a place that is not a digit counted from the word’s start', async () => {
    const page = await word(['5', '6', '0']);
    expect(markedZero(page, { text: '560', bbox: page.bbox }, 1)).toBe(false);
    expect(markedZero(page, { text: '560', bbox: page.bbox }, 2)).toBe(false);
    expect(markedZero(page, { text: '(56', bbox: page.bbox }, 2)).toBe(false);
  });
  it('says no when the glyphs up to the place run together (cannot be told one from another)', async () => {
    const page = await word(['5', 'dot']);
    // Squeeze the box's text into fewer glyphs than it has digits: the first "digit" is two glyphs wide.
    const joined = { ...page, data: page.data.map((v, i) => (i % page.width >= 30 && i % page.width <= 42 && Math.floor(i / page.width) > 20 && Math.floor(i / page.width) < 26 ? 0 : v)) };
    expect(markedZero(joined, { text: '56', bbox: page.bbox }, 1)).toBe(false);
  });
});

describe('zerosByShape', () => {
  const parsed = (indices: number[]) => ({
    medication: { dosage: '566 mg' },
    confidence: { dosage: 0.33 },
    asPrinted: { dosage: true },
    checked: { dosage: false },
    zeroRepair: { word: { text: '566mg', confidence: 90, bbox: { x0: 8, y0: 6, x1: 96, y1: 46 } }, indices, dosage: '500 mg', confidence: 0.88 },
  });
  it('takes the offered strength as read when every repaired glyph is a marked zero', async () => {
    const page = await word(['5', 'dot', 'dot']);
    const out = zerosByShape(parsed([1, 2]), page);
    expect([out.medication.dosage, out.confidence.dosage]).toEqual(['500 mg', 0.88]);
    expect(out.checked.dosage).toBe(false); // a look, not a table: a re-read can raise it to 0.89 only
  });
  it('leaves it for a person when one of them is a 6', async () => {
    const page = await word(['5', 'dot', '6']);
    const out = zerosByShape(parsed([1, 2]), page);
    expect([out.medication.dosage, out.confidence.dosage]).toEqual(['566 mg', 0.33]);
  });
});

describe('zerosReadBack', () => {
  it('reads back as 0 each 6 of a number shaped as a zero with a mark, and leaves a true 6', async () => {
    const page = await word(['5', 'dot', '6']);
    const w = { text: '566', confidence: 90, bbox: page.bbox };
    const reading = { text: 'QTY: 566\n', confidence: 90, lines: [{ text: 'QTY: 566', confidence: 90, bbox: page.bbox, words: [{ ...w, text: 'QTY:', bbox: { x0: 0, y0: 0, x1: 1, y1: 1 } }, w] }] };
    const back = zerosReadBack(reading, page);
    expect(back.lines[0]!.words.map((x) => x.text)).toEqual(['QTY:', '506']);
    expect([back.lines[0]!.text, back.text]).toEqual(['QTY: 506', 'QTY: 506\n']);
    expect(reading.lines[0]!.words[1]!.text).toBe('566'); // the reading it was given is left as it was
  });
});
