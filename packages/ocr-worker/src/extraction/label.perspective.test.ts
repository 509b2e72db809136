import { describe, expect, it } from 'vitest';
import { fillOf, flattenPerspective, foreshortening, fromTopLeft, quadOf, SHEET_FILL, slant, squareToQuad, unflattened, type Corner } from './label.perspective.js';

/** A mask (255 inside) of the quadrilateral with these corners (cells), on a w × h grid. */
function maskOf(q: [number, number][], w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h);
  const inside = (x: number, y: number) => q.every((a, i) => {
    const b = q[(i + 1) % 4]!;
    return (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0;
  });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inside(x + 0.5, y + 0.5)) m[y * w + x] = 255;
  return m;
}

describe('the paper outline of a steep view', () => {
  // A label whose right end is farther from the camera: its right side shorter than its left.
  const steep: [number, number][] = [[0, 0], [200, 20], [200, 60], [0, 80]];

  it('finds the four corners of a quadrilateral paper', () => {
    const q = quadOf(maskOf(steep, 200, 80), 200, 80)!;
    expect(q).not.toBeNull();
    q.forEach(([x, y], i) => {
      expect(x * 200).toBeCloseTo(steep[i]![0], -1);
      expect(y * 80).toBeCloseTo(steep[i]![1], -1);
    });
    expect(foreshortening(q, 200, 80)).toBeGreaterThan(0.4);
  });

  it('finds the corners of a steep view turned across its box, where two lie nowhere near a diagonal', () => {
    // Seen steeply and turned: the far left end a point-like corner, the near end's bottom corner
    // far to the right of the left one (a photo of seed 38700 drawn small).
    const leaning: [number, number][] = [[6, 8], [244, 6], [234, 68], [48, 42]];
    const q = quadOf(maskOf(leaning, 250, 72), 250, 72)!;
    expect(q).not.toBeNull();
    q.forEach(([x, y], i) => {
      expect(Math.abs(x * 250 - leaning[i]![0])).toBeLessThanOrEqual(2);
      expect(Math.abs(y * 72 - leaning[i]![1])).toBeLessThanOrEqual(2);
    });
  });

  it('starts at the top-left of a wide label seen steeply whose near end leans far over', () => {
    // Its bottom-left corner has the least x + y (a steep photo of fresh seed 168000): taken for
    // the top-left, the label was drawn flat a quarter turned.
    const askew: [number, number][] = [[56, 28], [280, 9], [220, 80], [0, 68]];
    const q = quadOf(maskOf(askew, 280, 80), 280, 80)!;
    expect(q).not.toBeNull();
    q.forEach(([x, y], i) => {
      expect(Math.abs(x * 280 - askew[i]![0])).toBeLessThanOrEqual(2);
      expect(Math.abs(y * 80 - askew[i]![1])).toBeLessThanOrEqual(2);
    });
    // A label turned a fifth of a right angle keeps its top-left where it was.
    const turned: Corner[] = [[10, 30], [200, 0], [215, 70], [25, 100]];
    expect(fromTopLeft(turned)).toEqual(turned);
    expect(fromTopLeft([turned[3]!, turned[0]!, turned[1]!, turned[2]!])).toEqual(turned);
  });

  it('takes no corners from an outline that is no quadrilateral (a bowed label)', () => {
    const w = 200, h = 80, m = new Uint8Array(w * h);
    for (let x = 0; x < w; x++) {
      const bow = Math.round(25 * (1 - ((x - w / 2) / (w / 2)) ** 2));
      for (let y = bow; y < h - 25 + bow; y++) m[y * w + x] = 255;
    }
    expect(quadOf(m, w, h)).toBeNull();
  });

  it('maps the unit square onto the corners, and back through unflattened', () => {
    const q: Corner[] = [[0.1, 0.05], [0.9, 0.2], [0.95, 0.8], [0.05, 0.95]];
    const H = squareToQuad(q);
    [[0, 0], [1, 0], [1, 1], [0, 1]].forEach(([u, v], i) => {
      const [x, y] = unflattened(H, u!, v!);
      expect(x).toBeCloseTo(q[i]![0], 6);
      expect(y).toBeCloseTo(q[i]![1], 6);
    });
  });

  it('draws a steep view flat and leaves a square-on one alone', () => {
    const w = 200, h = 80;
    const img = { data: maskOf(steep, w, h).map((v) => 255 - v), width: w, height: h }; // dark paper on white
    const flat = flattenPerspective(img, steep.map(([x, y]) => [x / w, y / h]))!;
    expect(flat).not.toBeNull();
    // The paper now fills the picture, the far end's corners included.
    const dark = flat.img.data.filter((v) => v < 128).length;
    expect(dark / (w * h)).toBeGreaterThan(0.97);
    expect(flattenPerspective(img, [[0, 0], [1, 0.02], [1, 0.98], [0, 1]])).toBeNull();
  });

  it('draws a turned flat sheet flat, however little it is foreshortened, and not a bowed label', () => {
    // A label photographed square-on but turned ~4° (the phone held askew): opposite sides the
    // same length, every side off the axes. Tesseract's deskew levels it only when it finds
    // straight baselines; the outline of a flat sheet levels it whatever the lines do.
    const w = 200, h = 80, a = 0.07;
    const turned: Corner[] = [[0.1, 0.2], [0.9, 0.2], [0.9, 0.8], [0.1, 0.8]].map(([x, y]) => {
      const [dx, dy] = [(x! - 0.5) * w, (y! - 0.5) * h];
      return [(w / 2 + dx * Math.cos(a) - dy * Math.sin(a)) / w, (h / 2 + dx * Math.sin(a) + dy * Math.cos(a)) / h];
    });
    expect(foreshortening(turned, w, h)).toBeLessThan(0.01);
    expect(slant(turned, w, h)).toBeCloseTo(Math.tan(a), 3);
    const img = { data: new Uint8Array(w * h).fill(200), width: w, height: h };
    expect(flattenPerspective(img, turned, true)).not.toBeNull();
    // The same corners of a label bowed round a bottle: left to Tesseract (a homography does not flatten a bow).
    expect(flattenPerspective(img, turned, false)).toBeNull();
    // Level (to a cell's rounding on the small copy): left as it is.
    expect(flattenPerspective(img, [[0.1, 0.2], [0.9, 0.21], [0.9, 0.8], [0.1, 0.79]], true)).toBeNull();
  });

  it('tells a flat sheet’s outline from a bottle’s bowed one by how well it fills its corners’ quadrilateral', () => {
    const w = 200, h = 80;
    const sheet: [number, number][] = [[10, 14], [190, 4], [192, 66], [8, 76]];
    expect(fillOf(maskOf(sheet, w, h), w, h, sheet)).toBeGreaterThanOrEqual(SHEET_FILL);
    // Top and bottom edges bowed by 4 cells in the middle (a label round a bottle, seen from above).
    const m = new Uint8Array(w * h);
    for (let x = 10; x < 190; x++) {
      const bow = 4 * (1 - ((x - 100) / 90) ** 2);
      for (let y = Math.round(8 + bow); y < Math.round(72 + bow); y++) m[y * w + x] = 255;
    }
    const q = quadOf(m, w, h)!;
    expect(q).not.toBeNull(); // still a quadrilateral to the steep-view test…
    expect(fillOf(m, w, h, q.map(([x, y]): Corner => [x * w, y * h]))).toBeLessThan(SHEET_FILL); // …but no flat sheet
  });
});

describe('flattenPerspective, pixel by pixel', () => {
  it('gives every pixel as `unflattened` and a bilinear read with the edges held give it, inside the photo and past its edges', () => {
    const [width, height] = [97, 61];
    const data = Uint8Array.from({ length: width * height }, (_, i) => (i * 53 + (i >> 4) * 7) % 256);
    // A steep view whose far corners lie past the photo's edges, so both ways of reading are taken.
    const quad: Corner[] = [[-0.08, 0.1], [1.05, -0.04], [0.9, 0.93], [0.12, 1.02]];
    const flat = flattenPerspective({ data, width, height }, quad)!;
    const H = flat.homography;
    const at = (x: number, y: number) => data[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
    const off: string[] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [u, v] = unflattened(H, (x + 0.5) / width, (y + 0.5) / height);
        const [sx, sy] = [u * width - 0.5, v * height - 0.5];
        const [fx, fy] = [Math.floor(sx), Math.floor(sy)];
        const [tx, ty] = [sx - fx, sy - fy];
        const want = Math.round((at(fx, fy) * (1 - tx) + at(fx + 1, fy) * tx) * (1 - ty) + (at(fx, fy + 1) * (1 - tx) + at(fx + 1, fy + 1) * tx) * ty);
        if (flat.img.data[y * width + x] !== want) off.push(`${x},${y}`);
      }
    }
    expect(off).toEqual([]);
  });
});
