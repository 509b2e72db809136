import { describe, expect, it } from 'vitest';
import { measureBend, straightenLines } from './label.dewarp.js';

/**
 * Lines of dark "words" on light paper, each line following y0 + tilt·(x − centre) + bow·u², u
 * running −1..1 across: a label on a bottle seen a little from above, turned a little.
 */
function page(bow: number, tilt: number, W = 1200, H = 500) {
  const data = new Uint8Array(W * H).fill(240);
  for (let y0 = 80; y0 < 420; y0 += 36) {
    for (let x = 60; x < W - 60; x++) {
      if (Math.floor(x / 14) % 5 === 0) continue; // gaps between words
      const yc = Math.round(y0 + tilt * (x - W / 2) + bow * ((x - W / 2) / (W / 2)) ** 2);
      for (let dy = -6; dy <= 6; dy++) if (yc + dy >= 0 && yc + dy < H && (x * 7 + dy * 3) % 5 !== 0) data[(yc + dy) * W + x] = 30;
    }
  }
  return { data, width: W, height: H };
}

describe('measureBend / straightenLines', () => {
  it('measures how far a bottle bows the lines at the label’s ends, under a tilt', () => {
    const bend = measureBend(page(15, 0.05))!;
    expect(bend.bowPx).toBeGreaterThan(12);
    expect(bend.bowPx).toBeLessThan(18);
    expect(bend.tilt).toBeCloseTo(0.05, 1);
  });

  it('takes the bow out and leaves the tilt for Tesseract’s deskew', () => {
    const straight = straightenLines(page(15, 0.05));
    const after = measureBend(straight)!;
    expect(after.bowPx).toBeLessThan(2);
    expect(after.tilt).toBeCloseTo(0.05, 1);
  });

  it('leaves straight lines alone, level or turned', () => {
    for (const tilt of [0, 0.06]) {
      const img = page(0, tilt);
      expect(straightenLines(img)).toBe(img);
    }
  });

  it('leaves a page without lines of text alone', () => {
    const blank = { data: new Uint8Array(600 * 400).fill(230), width: 600, height: 400 };
    expect(measureBend(blank)).toBeNull();
    expect(straightenLines(blank)).toBe(blank);
  });
});
