import { greyHistogram, type GreyPixels } from './image.preprocess.js';
import { otsu } from './label.region.js';
import type { Box, OcrReading, OcrWord } from './types.js';

/**
 * Zeros with a mark inside, as monospaced print draws them (a dot or a short bar, to tell 0 from O),
 * are read by Tesseract as 6 in some typefaces at every size: "560mg" for cephalexin 500 mg. The
 * strength table says 560 is not made and offers 500, but only a person could tell which digit was
 * misread. The glyph's shape can: a 6 is a ring under an open stroke, one hole in its lower half; a
 * zero with a mark is a closed ring with the mark inside it, or (the mark touching both sides) two
 * holes one above the other. That is a look at the pixels that does not go through Tesseract.
 */

/** Where a strength's misread zeros are: the word as read on the page, and the places in it. */
export interface ZeroRepair {
  word: OcrWord;
  /** Indices in `word.text` of the 6s that the strength the drug is made in has 0s for. */
  indices: number[];
  /** That strength ("500 mg"). */
  dosage: string;
  /** What the strength's confidence is when every one of them is a zero: as if read so, and listed. */
  confidence: number;
}

interface Part {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

/**
 * Connected parts of the pixels `member` accepts (8-connected when `diagonal`), labelled 1.. in
 * `labels` (0 for pixels not accepted); returns each part's box and area, index = label - 1.
 */
function parts(w: number, h: number, member: (p: number) => boolean, diagonal: boolean, labels: Int32Array): Part[] {
  const out: Part[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (labels[start] !== 0 || !member(start)) continue;
    const id = out.length + 1;
    const part = { x0: w, y0: h, x1: -1, y1: -1, area: 0 };
    labels[start] = id;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w, y = (p - x) / w;
      part.area++;
      part.x0 = Math.min(part.x0, x); part.x1 = Math.max(part.x1, x);
      part.y0 = Math.min(part.y0, y); part.y1 = Math.max(part.y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || (!diagonal && dx !== 0 && dy !== 0)) continue;
          const nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (labels[q] === 0 && member(q)) {
            labels[q] = id;
            stack.push(q);
          }
        }
      }
    }
    out.push(part);
  }
  return out;
}

const within = (a: Part | Box, b: Part | Box): boolean => a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;

/**
 * Whether the glyph at `index` of `word` is a zero with a mark inside, seen on `page` (the pixels
 * the word's box is on). Digits are as wide as one another in nearly every typeface, so the digits
 * up to `index` (all of the word's characters before it must be digits) are the first glyphs from
 * the left, each narrower than it is tall; what follows them (a unit run together, "mg") may touch.
 * Bold or blurred print runs glyphs together and fills small holes, so darker thresholds than
 * Otsu's are tried too: they thin the strokes, which can open a glyph's hole or part two glyphs but
 * never close a 6's open stroke into a second hole. False whenever it cannot be told.
 */
export function markedZero(page: GreyPixels, word: Pick<OcrWord, 'text' | 'bbox'>, index: number): boolean {
  if (!/^\d+$/.test(word.text.slice(0, index + 1))) return false;
  const x0 = Math.max(0, Math.floor(word.bbox.x0) - 1), y0 = Math.max(0, Math.floor(word.bbox.y0) - 1);
  const x1 = Math.min(page.width, Math.ceil(word.bbox.x1) + 1), y1 = Math.min(page.height, Math.ceil(word.bbox.y1) + 1);
  const w = x1 - x0, h = y1 - y0;
  if (w < 6 || h < 8) return false;
  const px = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) px.set(page.data.subarray((y0 + y) * page.width + x0, (y0 + y) * page.width + x1), y * w);
  // Ink is at or below Otsu's level.
  const level = otsu(greyHistogram(px), px.length) + 1;
  return [level, Math.round(level * 0.8), Math.round(level * 0.65)].some((t) => zeroAt(px, w, h, t, index));
}

function zeroAt(px: Uint8Array, w: number, h: number, level: number, index: number): boolean {
  const labels = new Int32Array(w * h);
  const inks = parts(w, h, (p) => px[p]! < level, true, labels);
  // Specks of noise or JPEG are not characters; a mark inside a glyph's box is part of that glyph.
  const speck = Math.max(3, (h * h) / 400);
  const glyphs = inks.map((c, i) => ({ ...c, id: i + 1 })).filter((c) => c.area >= speck && !inks.some((o) => o !== inks[c.id - 1] && o.area >= c.area && within(c, o)));
  glyphs.sort((a, b) => a.x0 - b.x0);
  const digits = glyphs.slice(0, index + 1);
  if (digits.length <= index || digits.some((d) => d.x1 - d.x0 + 1 > 0.8 * (d.y1 - d.y0 + 1))) return false;
  const g = digits[index]!;
  // The glyph's holes: what is not its ink, inside its box, and not reached from the box's edge.
  const gw = g.x1 - g.x0 + 3, gh = g.y1 - g.y0 + 3;
  const ink = (p: number) => {
    const x = (p % gw) + g.x0 - 1, y = Math.floor(p / gw) + g.y0 - 1;
    return x >= 0 && y >= 0 && x < w && y < h && labels[y * w + x] === g.id;
  };
  const space = new Int32Array(gw * gh);
  const regions = parts(gw, gh, (p) => !ink(p), false, space);
  const outside = space[0]!;
  const minHole = Math.max(2, 0.01 * (g.x1 - g.x0 + 1) * (g.y1 - g.y0 + 1));
  const holes = regions.filter((r, i) => i + 1 !== outside && r.area >= minHole).map((r) => ({ x0: r.x0 + g.x0 - 1, x1: r.x1 + g.x0 - 1, y0: r.y0 + g.y0 - 1, y1: r.y1 + g.y0 - 1, area: r.area }));
  const mid = (r: Part) => [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2] as const;
  const [gx, gy] = mid(g);
  const [gw1, gh1] = [g.x1 - g.x0 + 1, g.y1 - g.y0 + 1];
  if (holes.length >= 2) {
    // Two holes one above the other, alike in size, under one another and filling the ring about
    // its middle: a ring cut across by a mark. A 6 whose hook curls down onto its bowl (bold or
    // blurred print) also has two, but the one above is a slit half the bowl's size or less. An 8
    // has the same two as a cut zero: the strength table tells those apart (drug.line.ts).
    const [a, b] = holes.sort((p, q) => q.area - p.area).slice(0, 2).sort((p, q) => p.y0 - q.y0) as [Part, Part];
    const stacked = b.y0 >= a.y1 && Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) >= 0;
    const height = (r: Part) => r.y1 - r.y0 + 1;
    const alike = Math.min(a.area, b.area) >= 0.7 * Math.max(a.area, b.area) && Math.min(height(a), height(b)) >= 0.6 * Math.max(height(a), height(b));
    const aligned = Math.abs(mid(a)[0] - mid(b)[0]) <= 0.15 * gw1;
    const centred = Math.abs((a.y0 + b.y1) / 2 - gy) <= 0.1 * gh1;
    return stacked && alike && aligned && centred;
  }
  // One hole about the ring's middle, with a mark standing in the middle of it. A 6's one hole is
  // in its lower half, with nothing in it.
  const hole = holes[0];
  if (holes.length !== 1 || !hole || Math.abs(mid(hole)[1] - gy) > 0.15 * gh1 || Math.abs(mid(hole)[0] - gx) > 0.15 * gw1) return false;
  const [hx, hy] = mid(hole);
  return inks.some((m, i) => i + 1 !== g.id && m.area >= 2 && within(m, hole) && Math.abs(mid(m)[0] - hx) <= 0.25 * (hole.x1 - hole.x0 + 1) && Math.abs(mid(m)[1] - hy) <= 0.25 * (hole.y1 - hole.y0 + 1));
}

/**
 * The reading with the strength that has 0s for its 6s taken as read, when those glyphs
 * are zeros with a mark (markedZero) on `page`: the confidence of a strength read so and listed,
 * read as printed (so a re-read that gives it again confirms it), but checked by no table the
 * re-read could raise it past REREAD_ONLY_CAP with: the shape is one more look, not a proof.
 */
export function zerosByShape<T extends { medication: { dosage: string | null }; confidence: { dosage: number }; asPrinted?: { dosage?: boolean }; checked?: { dosage?: boolean }; zeroRepair?: ZeroRepair }>(parsed: T, page: GreyPixels): T {
  const repair = parsed.zeroRepair;
  if (!repair || !repair.indices.every((i) => markedZero(page, repair.word, i))) return parsed;
  return {
    ...parsed,
    medication: { ...parsed.medication, dosage: repair.dosage },
    confidence: { ...parsed.confidence, dosage: Math.max(parsed.confidence.dosage, repair.confidence) },
    asPrinted: { ...parsed.asPrinted, dosage: true },
    checked: { ...parsed.checked, dosage: false },
  };
}

/**
 * The reading with every 6 of a number that is shaped as a zero with a mark (markedZero, on `page`)
 * read as 0. For the re-read's crops: there the reading is only compared with the first look's, so
 * a shape wrongly taken for a zero makes the two agree only where the first look read a 0 there too
 * (otherwise they disagree and the label goes to review), while a marked zero the re-read drew as 6
 * ("QTY: 96" for 90) no longer disputes a right count.
 */
export function zerosReadBack(reading: OcrReading, page: GreyPixels): OcrReading {
  let text = reading.text;
  const lines = reading.lines.map((line) => {
    let lineText = line.text;
    const words = line.words.map((w) => {
      const run = w.text.match(/^\d+/)?.[0] ?? '';
      if (!run.includes('6')) return w;
      const read = [...w.text].map((c, i) => (i < run.length && c === '6' && markedZero(page, w, i) ? '0' : c)).join('');
      if (read === w.text) return w;
      lineText = lineText.replace(w.text, read);
      return { ...w, text: read };
    });
    if (lineText === line.text) return line;
    text = text.replace(line.text, lineText);
    return { ...line, text: lineText, words };
  });
  return { ...reading, text, lines };
}
