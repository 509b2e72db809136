import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cropOf, DEFAULT_PREPROCESS, encodePgm, evenedOut, greyHistogram, largerPage, lightnessRange, nearEdge, normaliseGrey, paintOutside, paintRim, paperPixels, preparedLarger, preprocessImage, turnedBy, turnedLikeTesseract } from './image.preprocess.js';
import { stackLines } from './line.verify.js';
import type { Region } from './label.region.js';

describe('encodePgm', () => {
  it('writes a binary PGM whose pixels start past the 500 bytes tesseract.js scans for EXIF', () => {
    const pixels = Uint8Array.from([1, 18, 0, 3, 0, 0, 0, 1, 0, 6, 9, 9]); // an EXIF orientation pattern
    const pgm = encodePgm(pixels, 4, 3);
    expect(pgm.subarray(0, 3).toString('latin1')).toBe('P5\n');
    expect(pgm.length - pixels.length).toBeGreaterThan(500);
    expect(pgm.toString('latin1', pgm.length - pixels.length - 9, pgm.length - pixels.length)).toBe('\n4 3\n255\n');
    expect([...pgm.subarray(pgm.length - pixels.length)]).toEqual([...pixels]);
  });
});

describe('normaliseGrey', () => {
  /** Pixels of a photo-like spread: a grey paper, darker print, a few outliers either way (seeded, repeatable). */
  const grey = (seed: number, width: number, height: number, paper: number, ink: number, spread: number) => {
    let s = seed;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    return Uint8Array.from({ length: width * height }, () => {
      const r = rand();
      const v = r < 0.7 ? paper + (rand() - 0.5) * spread : r < 0.97 ? ink + (rand() - 0.5) * spread : rand() * 255;
      return Math.max(0, Math.min(255, Math.round(v)));
    });
  };
  const viaSharp = async (data: Uint8Array, width: number, height: number) =>
    new Uint8Array(await sharp(data, { raw: { width, height, channels: 1 } }).normalise().extractChannel(0).raw().toBuffer());

  it('gives the very bytes of sharp’s normalise(), which stretches L* in Lab, over many spreads of grey', async () => {
    for (let seed = 1; seed <= 24; seed++) {
      const [w, h] = [97 + seed * 13, 61 + seed * 7];
      const data = grey(seed, w, h, 120 + seed * 5, 20 + seed * 3, 10 + seed * 2);
      const expected = await viaSharp(data, w, h);
      expect(Buffer.compare(await normaliseGrey(data.slice(), w, h), expected), `seed ${seed}`).toBe(0);
    }
  });
  it('leaves a nearly flat image as sharp does, and falls back to sharp where the range is past what a ramp gives', async () => {
    const flat = new Uint8Array(64 * 64).fill(180);
    expect(Buffer.compare(await normaliseGrey(flat.slice(), 64, 64), await viaSharp(flat, 64, 64))).toBe(0);
    // 80% white, 20% print, 61 × 50: libvips's scaled running sum ends at 99.99… in floats, so its
    // 99% bin is one past L* = 100, a stretch no ramp of grey values gives: sharp does it.
    const white = new Uint8Array(61 * 50).fill(40).fill(255, 0, Math.floor(61 * 50 * 0.8));
    const hist = new Float64Array(256);
    white.forEach((v) => hist[v]!++);
    const lightness = Float32Array.from({ length: 256 }, (_, g) => (g === 255 ? 100 : g === 40 ? 16.5 : 0));
    expect(lightnessRange(hist, lightness)).toEqual([16, 101]);
    expect(Buffer.compare(await normaliseGrey(white.slice(), 61, 50), await viaSharp(white, 61, 50))).toBe(0);
  });
});

describe('turnedLikeTesseract', () => {
  const img = { data: new Uint8Array(200 * 100).fill(200), width: 200, height: 100 };
  it('leaves an unturned image as it is', async () => {
    expect(await turnedLikeTesseract(img, 0)).toBe(img);
  });
  it('turns about the centre, keeping the size, with white at the corners', async () => {
    const out = await turnedLikeTesseract(img, 0.1);
    expect([out.width, out.height, out.data.length]).toEqual([200, 100, 200 * 100]);
    expect(out.data[100 * 50 + 50]).toBe(200);
    expect(out.data[0]).toBe(255);
  });
});

describe('paintOutside', () => {
  it('paints what is not paper in the paper’s white, the cells stretched over the image', () => {
    // 8 × 4 pixels, 4 × 2 cells: the left column of cells is the table, the rest paper.
    const paper = { data: Uint8Array.from([0, 255, 255, 255, 0, 255, 255, 255]), width: 4, height: 2 };
    const img = new Uint8Array(8 * 4).fill(30); // a dark table
    // The paper: mostly 200, glare at 250 on a few pixels, and text at 20.
    for (let y = 0; y < 4; y++) for (let x = 2; x < 8; x++) img[y * 8 + x] = x === 7 ? 250 : x === 3 && y < 2 ? 20 : 200;
    const out = paintOutside(img, 8, 4, paper);
    // The light evened out, the paper's white (200, not the glare's 250) is full white, and the
    // table painted with it is too; the text stays dark.
    expect([...out.subarray(0, 2)]).toEqual([255, 255]);
    expect(out[3 * 8 + 1]).toBe(255);
    expect(out[2 * 8 + 4]).toBe(255);
    expect(out[3]).toBeLessThan(40);
  });

  it('paints what is left of the dark rim where the coarse cells reach past the paper, and not text', () => {
    // 80 × 40 pixels, 8 × 4 cells of 10 px: the left cell column is table. The photo's table
    // really reaches to x = 14 (the cells are coarse), so x 10–13 is a dark leftover joined to the
    // painted part; a dark text stroke at x 22–25, as near the edge, stands apart from it.
    const cells = new Uint8Array(8 * 4).fill(255);
    for (let cy = 0; cy < 4; cy++) cells[cy * 8] = 0;
    const img = new Uint8Array(80 * 40);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 80; x++) img[y * 80 + x] = x < 14 ? 30 : x >= 22 && x < 26 && y >= 10 && y < 30 ? 25 : 210;
    const out = paintOutside(img, 80, 40, { data: cells, width: 8, height: 4 });
    expect(out[20 * 80 + 12]).toBe(255); // the leftover rim, painted (and evened out to white)
    expect(out[20 * 80 + 23]).toBeLessThan(50); // the text stays
  });
});

describe('nearEdge', () => {
  it('marks a cell when its (2·band+1)² window holds a cell that is not paper or reaches past the grid, and no other', () => {
    // Rows then columns must give what looking at the whole window gives, on grids of every shape.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 60; k++) {
      const [w, h, band] = [1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 9), Math.floor(rand() * 4)];
      const data = Uint8Array.from({ length: w * h }, () => (rand() < 0.15 ? 0 : 255));
      const expected = Uint8Array.from({ length: w * h }, (_, i) => {
        const [cx, cy] = [i % w, Math.floor(i / w)];
        for (let dy = -band; dy <= band; dy++) for (let dx = -band; dx <= band; dx++) {
          const [x, y] = [cx + dx, cy + dy];
          if (x < 0 || y < 0 || x >= w || y >= h || data[y * w + x] === 0) return 1;
        }
        return 0;
      });
      expect(nearEdge({ data, width: w, height: h }, band)).toEqual(expected);
    }
  });
});

describe('paintOutside under glare', () => {
  it('takes the glare off the print: a stroke under it is dark again, as dark as one beside it', () => {
    // 960 × 240 of paper (200), strokes (40) every 80 px, and glare over x 400–560 laying white
    // over the print (v' = v + (255 − v)·0.8): there a stroke is 183 on paper 244.
    const W = 960, H = 240;
    const img = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const v = x % 80 < 6 && y > 40 && y < 200 ? 40 : 200;
        const g = x >= 400 && x < 560 ? 0.8 : 0;
        img[y * W + x] = Math.round(v + (255 - v) * g);
      }
    }
    const paper = { data: new Uint8Array(20 * 5).fill(255), width: 20, height: 5 };
    const out = paintOutside(img, W, H, paper);
    const under = out[120 * W + 482]!, beside = out[120 * W + 162]!;
    const paperUnder = out[120 * W + 520]!;
    expect(under).toBeLessThan(90);
    expect(Math.abs(under - beside)).toBeLessThan(30);
    expect(paperUnder).toBeGreaterThan(200);
  });
});

describe('greyHistogram', () => {
  it('counts every grey, whatever the length (the four interleaved counts and the tail)', () => {
    for (const n of [0, 1, 3, 4, 5, 1001]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + (i >> 3)) % 256);
      const plain = new Uint32Array(256);
      for (const v of data) plain[v]!++;
      expect([...greyHistogram(data)]).toEqual([...plain]);
    }
  });
});

describe('evenedOut', () => {
  /** The flattening as written before the shortcut: every pixel divided. */
  const divided = (v: number, g: number, p: number) => {
    const r = g > 0.04 ? Math.round((((v - 255 * g) / (1 - g)) * 255) / (0.92 * p)) : Math.round((v * 255) / (0.92 * p));
    return r < 0 ? 0 : r > 255 ? 255 : r;
  };

  it('gives the divided bytes for every grey, over whites and glare shares, and where the quotient is 254.5 or 255.5 to the last bit', () => {
    const whites: number[] = [];
    for (let p = 16; p <= 255; p += 0.37) whites.push(p, Math.fround(p));
    // whites that put the quotient on 254.5 or 255.5, exactly or an ulp off
    for (let v = 1; v < 256; v++) for (const q of [254.5, 255.5]) whites.push((v * 255) / (0.92 * q), (v * 255) / 0.92 / q);
    const shares = [0, 0.01, 0.04, 0.04000001, 0.1, 0.333, 0.5, 0.7, 0.85];
    const off: string[] = [];
    for (const p of whites) {
      for (const g of shares) {
        // and glare shares that put the quotient on 255.5
        const gs = [...shares, ...[0, 64, 128, 200, 255].flatMap((v) => [254.5, 255.5].map((q) => (v - (q * 0.92 * p) / 255) / (255 - (q * 0.92 * p) / 255)))].filter((x) => x >= 0 && x <= 0.85);
        for (const gg of g === 0 ? gs : [g]) for (let v = 0; v < 256; v++) if (evenedOut(v, gg, p) !== divided(v, gg, p)) off.push(`${v},${gg},${p}`);
      }
    }
    expect(off).toEqual([]);
  });
});

describe('preprocessImage with the paper known', () => {
  it('gives Tesseract one channel where the table round the label is the paper’s white', async () => {
    // 400 × 200: a dark table, the paper from x 100 to 300 with a dark bar of text across it.
    const px = new Uint8Array(400 * 200).fill(35);
    for (let y = 0; y < 200; y++) for (let x = 100; x < 300; x++) px[y * 400 + x] = y >= 90 && y < 110 && x >= 130 && x < 270 ? 30 : 220;
    const png = await sharp(px, { raw: { width: 400, height: 200, channels: 1 } }).png().toBuffer();
    const paper = { data: Uint8Array.from([0, 255, 255, 0]), width: 4, height: 1 }; // cells of 100 px: the middle two are paper
    const out = await preprocessImage(png, DEFAULT_PREPROCESS, { left: 0, top: 0, width: 400, height: 200, paper });
    expect(out.data.length).toBe(out.width * out.height);
    const at = (x: number, y: number) => out.data[Math.round((y / 200) * out.height) * out.width + Math.round((x / 400) * out.width)]!;
    expect(at(30, 30)).toBeGreaterThan(200); // the table, painted
    expect(at(200, 40)).toBeGreaterThan(200); // the paper
    expect(at(200, 100)).toBeLessThan(60); // the text
  });
});

describe('paperPixels', () => {
  // The definition: each pixel's cell position (p + 0.5)·cells/pixels − 0.5, its four cells (edges
  // held), blended across (weight rounded to a 32-bit float, as the shared column tables hold it)
  // and then down; paper where the blend is at least 128.
  const definition = (paper: { data: Uint8Array; width: number; height: number }, width: number, height: number) => {
    const out = new Uint8Array(width * height);
    const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
    for (let y = 0; y < height; y++) {
      const fy = ((y + 0.5) * paper.height) / height - 0.5, by = Math.floor(fy), ty = fy - by;
      for (let x = 0; x < width; x++) {
        const fx = ((x + 0.5) * paper.width) / width - 0.5, bx = Math.floor(fx), tx = Math.fround(fx - bx);
        const at = (cy: number, cx: number) => paper.data[clamp(cy, paper.height) * paper.width + clamp(cx, paper.width)]!;
        const top = at(by, bx) * (1 - tx) + at(by, bx + 1) * tx;
        const bottom = at(by + 1, bx) * (1 - tx) + at(by + 1, bx + 1) * tx;
        if (top * (1 - ty) + bottom * ty >= 128) out[y * width + x] = 1;
      }
    }
    return out;
  };

  it('marks the pixels whose bilinearly read cells are at least half paper, pixel for pixel', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    for (const [pw, ph, width, height] of [[8, 4, 80, 40], [13, 7, 331, 97], [40, 30, 1300, 977], [5, 9, 17, 260]] as const) {
      const paper = { data: Uint8Array.from({ length: pw * ph }, () => (rand() < 0.6 ? 255 : 0)), width: pw, height: ph };
      expect(Buffer.from(paperPixels(paper, width, height)).equals(Buffer.from(definition(paper, width, height)))).toBe(true);
    }
  });
});

describe('paintRim', () => {
  // The rim's flood as paintOutside wrote it before round 14: a closure `visit` made per call and
  // the shared `spread` over a growing array. The plain function must paint the same pixels.
  const floodWithClosure = (data: Uint8Array, isPaper: Uint8Array, white: Uint8Array, near: Uint8Array, cellX: Int32Array, cellY: Int32Array, width: number, height: number) => {
    const stack: number[] = [];
    const visit = (i: number) => {
      if (isPaper[i] === 1 && data[i]! < white[i]! * 0.75) {
        const x = i % width;
        if (near[cellY[(i - x) / width]! + cellX[x]!] === 1) {
          isPaper[i] = 2;
          data[i] = white[i]!;
          stack.push(i);
        }
      }
    };
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        if (isPaper[i]) continue;
        if (x > 0 && isPaper[i - 1] === 1) visit(i - 1);
        if (x < width - 1 && isPaper[i + 1] === 1) visit(i + 1);
        if (y > 0 && isPaper[i - width] === 1) visit(i - width);
        if (y < height - 1 && isPaper[i + width] === 1) visit(i + width);
      }
    }
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      if (x > 0) visit(p - 1);
      if (x < width - 1) visit(p + 1);
      if (p >= width) visit(p - width);
      if (p < width * (height - 1)) visit(p + width);
    }
  };

  it('paints the same rim pixels, the same way, as the flood through a closure did', () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    // (The last, all dark, is flooded nearly whole: tens of thousands of pixels through the stack,
    // far more than paintRim's first stack holds, so it grows on the way.)
    for (const [width, height, pw, ph, dark] of [[40, 30, 5, 4, 0.45], [97, 61, 9, 7, 0.45], [300, 180, 20, 12, 0.45], [17, 120, 3, 10, 0.45], [320, 200, 16, 10, 1]] as const) {
      // Paper inside a ragged rectangle, dark runs along and across its edge, grey text-like specks.
      const isPaper = Uint8Array.from({ length: width * height }, (_, i) => {
        const [x, y] = [i % width, Math.floor(i / width)];
        return x > width * 0.15 + rand() * 3 && x < width * 0.85 - rand() * 3 && y > height * 0.1 + rand() * 3 && y < height * 0.9 - rand() * 3 ? 1 : 0;
      });
      const data = Uint8Array.from({ length: width * height }, () => (rand() < dark ? Math.floor(rand() * 90) : 150 + Math.floor(rand() * 100)));
      const white = Uint8Array.from({ length: width * height }, () => 170 + Math.floor(rand() * 80));
      const near = Uint8Array.from({ length: pw * ph }, () => (rand() < 0.7 ? 1 : 0));
      const cellX = Int32Array.from({ length: width }, (_, x) => Math.min(pw - 1, Math.floor(((x + 0.5) * pw) / width)));
      const cellY = Int32Array.from({ length: height }, (_, y) => Math.min(ph - 1, Math.floor(((y + 0.5) * ph) / height)) * pw);
      const [d1, p1] = [data.slice(), isPaper.slice()];
      const [d2, p2] = [data.slice(), isPaper.slice()];
      floodWithClosure(d1, p1, white, near, cellX, cellY, width, height);
      paintRim(d2, p2, white, { near, cellX, cellY }, width, height);
      expect(p1.filter((v) => v === 2).length).toBeGreaterThan(dark === 1 ? 20000 : 10); // the case paints something
      expect(Buffer.from(d2).equals(Buffer.from(d1))).toBe(true);
      expect(Buffer.from(p2).equals(Buffer.from(p1))).toBe(true);
    }
  });
});

describe('preparedLarger', () => {
  it('prepares the photo again larger with the first preparation’s turn and straightening: the same text at the same places, scaled', async () => {
    // Bowed rows of dashes ("words"), the page turned 0.25 rad: both are measured and taken out.
    const [W, H] = [1000, 500];
    const px = new Uint8Array(W * H).fill(235);
    for (let y0 = 100; y0 < 400; y0 += 40)
      for (let x = 80; x < W - 80; x++) {
        if (Math.floor(x / 12) % 5 === 0) continue;
        const yc = Math.round(y0 + 30 * ((x - W / 2) / (W / 2)) ** 2);
        for (let dy = -5; dy <= 5; dy++) px[(yc + dy) * W + x] = 25;
      }
    const photo = await sharp(px, { raw: { width: W, height: H, channels: 1 } }).rotate(-14.3, { background: '#ebebeb' }).png().toBuffer();
    const params = { ...DEFAULT_PREPROCESS, straighten: true };
    const first = await preprocessImage(photo, params);
    expect(Math.abs(first.turned!)).toBeGreaterThan(0.2);
    expect(first.bend).toBeTruthy();
    const larger = await preparedLarger(photo, params, null, first, 1.5);
    expect(larger.turned).toBe(first.turned);
    expect(larger.ratio).toBeCloseTo(1.5, 2);
    // Brought back to the first's size, the larger page is the first page, pixel for pixel within the resampling.
    const back = await sharp(larger.data, { raw: { width: larger.width, height: larger.height, channels: 1 } }).resize(first.width, first.height).extractChannel(0).raw().toBuffer();
    const differ = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    // Against the first page moved by half a line's height: what a box cut from the wrong place would hold.
    const moved = first.data.subarray(6 * first.width);
    expect(differ(first.data, back)).toBeLessThan(differ(first.data.subarray(0, moved.length), moved) / 3);
  });
});

/** Mean difference per pixel of two images of one size. */
const meanDiff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

describe('cropOf', () => {
  it('draws a part of a page turned twice as the page turned whole would hold it', async () => {
    // Rows of dashes ("words") on grey paper.
    const [W, H] = [600, 400];
    const data = new Uint8Array(W * H).fill(220);
    for (let y0 = 40; y0 < H - 40; y0 += 30) for (let y = y0; y <= y0 + 8; y++) for (let x = 30; x < W - 30; x++) if (Math.floor(x / 9) % 4 !== 0) data[y * W + x] = 30;
    const source = { data, width: W, height: H };
    const [a, b] = [0.06, -0.025];
    const whole = await turnedLikeTesseract(await turnedLikeTesseract(source, a), b);
    const part = (img: { data: Uint8Array; width: number }, left: number, top: number, w: number, h: number) =>
      Uint8Array.from({ length: w * h }, (_, i) => img.data[(top + Math.floor(i / w)) * img.width + left + (i % w)]!);
    const [left, top, w, h] = [80, 110, 400, 60];
    const drawn = cropOf({ source, width: W, height: H, turns: [a, b] }, left, top, w, h, w, h);
    const same = part(whole, left, top, w, h);
    // Within the two turns' resampling (sharp's and this one's place a turned page up to half a
    // pixel apart), and far nearer than the same part a few pixels off.
    expect(meanDiff(drawn, same)).toBeLessThan(meanDiff(same, part(whole, left, top + 4, w, h)) / 3);
    // Drawn larger, it is the same part enlarged.
    const larger = cropOf({ source, width: W, height: H, turns: [a, b] }, left, top, w, h, w * 2, h * 2);
    const back = await sharp(larger, { raw: { width: w * 2, height: h * 2, channels: 1 } }).resize(w, h).extractChannel(0).raw().toBuffer();
    expect(meanDiff(back, same)).toBeLessThan(meanDiff(same, part(whole, left, top + 4, w, h)) / 3);
    // Where a turn brought in white, white.
    expect(cropOf({ source, width: W, height: H, turns: [0.3] }, 0, 0, 4, 4, 4, 4).every((v) => v === 255)).toBe(true);
  });
});

/** A steep view of a label (its far, top edge shorter) on a dark table, lit from the left, with rows of dashes; the paper and its corners known. */
async function steepLabel(): Promise<{ photo: Buffer; region: Region }> {
  const [W, H] = [900, 600];
  const corners: [number, number][] = [[250, 80], [650, 80], [820, 540], [80, 540]];
  const inside = (x: number, y: number) => corners.every(([ax, ay], i) => {
    const [bx, by] = corners[(i + 1) % 4]!;
    return (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
  });
  const px = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const paper = inside(x, y);
      const ink = paper && y > 130 && y < 500 && (y - 130) % 36 < 12 && Math.floor(x / 14) % 5 !== 0 && inside(x - 30, y) && inside(x + 30, y);
      px[y * W + x] = !paper ? 55 : ink ? 35 : Math.round(235 - 70 * (1 - x / W));
    }
  const photo = await sharp(px, { raw: { width: W, height: H, channels: 1 } }).png().toBuffer();
  const [cw, ch] = [90, 60];
  const cells = Uint8Array.from({ length: cw * ch }, (_, i) => (inside(((i % cw) + 0.5) * (W / cw), (Math.floor(i / cw) + 0.5) * (H / ch)) ? 255 : 0));
  const region: Region = { left: 0, top: 0, width: W, height: H, paper: { data: cells, width: cw, height: ch }, quad: corners.map(([x, y]) => [x / W, y / H]) };
  return { photo, region };
}

describe('largerPage', () => {
  it('gives the re-read the lines preparedLarger’s whole page gives, turned as Tesseract turned the first: painted, evened out and flattened', async () => {
    const { photo, region } = await steepLabel();
    const first = await preprocessImage(photo, DEFAULT_PREPROCESS, region);
    expect(first.flattened).toBeTruthy();
    const turn = 0.02; // Tesseract's deskew of the first page
    const whole = await preparedLarger(photo, DEFAULT_PREPROCESS, region, first, 1.5);
    const drawn = await turnedLikeTesseract(whole, turn);
    const map = turnedBy(await largerPage(photo, DEFAULT_PREPROCESS, region, first, 1.5), turn);
    expect(map.ratio).toBe(whole.ratio);
    expect(map.homography).toEqual(first.flattened);
    // Three lines of the first page's, and the same boxes a few pixels lower: what cutting from the wrong place gives.
    const boxes = [0.25, 0.5, 0.75].map((f) => ({ x0: 60, x1: first.width - 60, y0: Math.round(first.height * f), y1: Math.round(first.height * f) + 30 }));
    const lower = boxes.map((b) => ({ ...b, y0: b.y0 + 4, y1: b.y1 + 4 }));
    const [fromMap, fromWhole, offWhole] = [await stackLines(map, boxes, map.ratio), await stackLines(drawn, boxes, whole.ratio), await stackLines(drawn, lower, whole.ratio)];
    expect([fromMap.width, fromMap.height]).toEqual([fromWhole.width, fromWhole.height]);
    expect(meanDiff(fromMap.data, fromWhole.data)).toBeLessThan(meanDiff(offWhole.data, fromWhole.data) / 3);
  });
});

describe('preprocessImage over passes of one photo', () => {
  it('gives each pass the very bytes it gives the photo alone, though the passes share their steps', async () => {
    const { photo, region } = await steepLabel();
    // The passes label.extractor.ts runs: the first, a second no larger with local contrast and
    // straightening (from the first's stretched page), the second unwrapped (from its contrasted page).
    const second = { ...DEFAULT_PREPROCESS, clahe: 64, straighten: true };
    const passes = [DEFAULT_PREPROCESS, second, { ...second, unwrap: 0.9 }, { ...second, scale: 1.3 }];
    const shared = [];
    for (const params of passes) shared.push(await preprocessImage(photo, params, region));
    expect(shared[0]!.flattened).toBeTruthy();
    expect(shared[2]!.unwrapped).toBe(0.9);
    for (const [i, params] of passes.entries()) {
      const alone = await preprocessImage(Buffer.from(photo), params, { ...region }); // a photo of its own: nothing shared
      expect(Buffer.compare(shared[i]!.pgm, alone.pgm), `pass ${i}`).toBe(0);
      expect(shared[i]!.flattened).toEqual(alone.flattened);
    }
  });
});

describe('the photo decoded once for every size', () => {
  it('gives the pixels sharp gives resizing the photo (or its cut) itself', async () => {
    // A colour JPEG, as a phone takes them: sharp greys it before resizing, either way.
    const [W, H] = [640, 400];
    const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 37 + Math.floor(i / 1913) * 11) % 256);
    const photo = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).jpeg().toBuffer();
    for (const region of [{ left: 20, top: 10, width: 600, height: 380 }, null]) {
      // Below minLongSide, so both pages are enlarged: 2 and 3 times the cut, 1200/640 and 1.5 times that the photo.
      const first = await preprocessImage(photo, DEFAULT_PREPROCESS, region);
      const larger = await largerPage(photo, DEFAULT_PREPROCESS, region, first, 1.5);
      const cut = region ? sharp(await sharp(photo).rotate().extract(region).toBuffer()) : sharp(photo).rotate();
      const direct = await cut.resize({ width: larger.width, height: larger.height, kernel: 'lanczos3' }).greyscale().toColourspace('b-w').raw().toBuffer();
      expect(larger.width).toBeGreaterThan(first.width);
      expect(Buffer.compare(Buffer.from(larger.source.data), direct), `region ${JSON.stringify(region)}`).toBe(0);
    }
  });
});
