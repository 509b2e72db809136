import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findLabelRegion, findPaper, floodFromBorder, spread } from './label.region.js';

/**
 * A photo of a label, drawn: a surface with a grain (slow stripes), a paper quadrilateral with
 * lines of dark "text", a light that falls off across the picture and a glare spot on the paper.
 */
function photo(opts: { surface: number; paper: number; falloff: number; glare: number }, w = 320, h = 200) {
  const data = new Uint8Array(w * h);
  const k = w / 320; // drawn for 320 × 200, scaled
  const [x0, x1, y0, y1] = [50 * k, 270 * k, 40 * k, 160 * k];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = opts.surface * (1 + 0.04 * Math.sin(y / (3 * k) + Math.sin(x / (12 * k))));
      const onPaper = x >= x0 && x < x1 && y >= y0 && y < y1;
      if (onPaper) {
        v = opts.paper;
        const [ty, tx] = [(y - y0) / k, (x - x0) / k];
        const inText = ty % 16 >= 6 && ty % 16 < 11 && tx > 12 && tx < 180 && Math.floor(tx / 8) % 4 !== 0 && ty < 110;
        if (inText) v = 40;
      }
      v *= 1 - opts.falloff * (x / w); // the light falls off to the right, on paper and surface alike
      if (onPaper) {
        const g = opts.glare * Math.exp(-(((x / k - 200) / 25) ** 2) - ((y / k - 100) / 50) ** 2);
        v += (255 - v) * g;
      }
      data[y * w + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return { data, w, h, box: { x0, x1, y0, y1 } };
}

describe('findPaper', () => {
  it('tells a label from a beige table as bright as the label’s shaded end, under glare', () => {
    // Paper 230 on a 185 table, the light falling by 35 % to the right and glare on the right half:
    // the shaded right end of the paper (150) is darker than the table's left (185), so no single
    // brightness threshold holds the whole label and nothing else.
    const p = photo({ surface: 185, paper: 230, falloff: 0.35, glare: 0.8 });
    const paper = findPaper(p.data, p.w, p.h);
    expect(paper).not.toBeNull();
    expect(Math.abs(paper!.x0 - p.box.x0)).toBeLessThanOrEqual(3);
    expect(Math.abs(paper!.x1 - (p.box.x1 - 1))).toBeLessThanOrEqual(3);
    expect(Math.abs(paper!.y0 - p.box.y0)).toBeLessThanOrEqual(3);
    expect(Math.abs(paper!.y1 - (p.box.y1 - 1))).toBeLessThanOrEqual(3);
    // The text is paper; the table is not, and the paper's rim is left out with the table.
    expect(paper!.mask[(p.box.y0 + 7) * p.w + p.box.x0 + 20]).toBe(255);
    expect(paper!.mask[100 * p.w + 200]).toBe(255); // under the glare
    expect(paper!.mask[10 * p.w + 10]).toBe(0);
    expect(paper!.mask[100 * p.w + p.box.x0]).toBe(0);
  });

  it('tells a label from a dark woven cloth, whose weave is a few grey levels: a big step in log brightness, no edge', () => {
    // A dark cloth (22 and 27 in stripes two pixels thick) and a paper of 220 with a line of text.
    const [w, h] = [320, 200];
    const data = new Uint8Array(w * h);
    const box = { x0: 60, x1: 250, y0: 50, y1: 150 };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const onPaper = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
        const inText = onPaper && y >= 90 && y < 96 && x >= 80 && x < 200 && x % 8 < 5;
        data[y * w + x] = inText ? 40 : onPaper ? 220 : y % 4 < 2 ? 22 : 27;
      }
    }
    const paper = findPaper(data, w, h);
    expect(paper).not.toBeNull();
    expect(Math.abs(paper!.x0 - box.x0)).toBeLessThanOrEqual(3);
    expect(Math.abs(paper!.x1 - (box.x1 - 1))).toBeLessThanOrEqual(3);
    expect(Math.abs(paper!.y0 - box.y0)).toBeLessThanOrEqual(3);
    expect(Math.abs(paper!.y1 - (box.y1 - 1))).toBeLessThanOrEqual(3);
    expect(paper!.mask[20 * w + 20]).toBe(0); // the cloth
  });

  it('finds a bottle’s label whose shaded end fades into the table: the paper is where its print is', () => {
    // Paper 230 on a 160 table; across the left 40 % of the label the bottle's curve shades it down
    // to the table's own 160, so no edge closes the label there and the table's flood runs in.
    const [w, h] = [320, 200];
    const data = new Uint8Array(w * h);
    const [x0, x1, y0, y1] = [40, 280, 50, 150];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let v = 160 * (1 + 0.03 * Math.sin(y / 3 + Math.sin(x / 12)));
        if (x >= x0 && x < x1 && y >= y0 && y < y1) {
          const shade = Math.min(1, (x - x0) / (0.4 * (x1 - x0)));
          v = 160 + 70 * shade;
          const [ty, tx] = [y - y0, x - x0];
          if (ty % 16 >= 8 && ty % 16 < 13 && tx >= 10 && tx < 200 && Math.floor(tx / 8) % 4 !== 0 && ty < 90) v = v * 0.25;
        }
        data[y * w + x] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    const paper = findPaper(data, w, h);
    expect(paper).not.toBeNull();
    // The print on the shaded end is inside the paper; the table beyond it and round it is not.
    expect(paper!.x0).toBeLessThanOrEqual(x0 + 10);
    expect(paper!.mask[(y0 + 10) * w + x0 + 12]).toBe(255);
    expect(paper!.mask[100 * w + 10]).toBe(0);
    expect(paper!.mask[10 * w + 160]).toBe(0);
  });

  it('finds nothing when the paper fills the picture (a scan), so the photo is left whole', () => {
    const data = new Uint8Array(320 * 200).fill(235);
    for (let y = 30; y < 170; y += 16) data.fill(40, y * 320 + 20, y * 320 + 300);
    expect(findPaper(data, 320, 200)).toBeNull();
  });
});

describe('findLabelRegion', () => {
  it('cuts a photo to the whole label and says where the paper is inside the cut', async () => {
    const p = photo({ surface: 60, paper: 230, falloff: 0.2, glare: 0.7 }, 640, 400);
    const jpg = await sharp(p.data, { raw: { width: p.w, height: p.h, channels: 1 } }).jpeg({ quality: 60 }).toBuffer();
    const region = await findLabelRegion(jpg);
    expect(region).not.toBeNull();
    // The label is at x 100–540, y 80–320; the cut holds it, give or take a cell of the small copy.
    expect(region!.left).toBeLessThanOrEqual(104);
    expect(region!.left + region!.width).toBeGreaterThanOrEqual(536);
    expect(region!.top).toBeLessThanOrEqual(84);
    expect(region!.top + region!.height).toBeGreaterThanOrEqual(316);
    expect(region!.width).toBeLessThan(460);
    expect(region!.paper).toBeDefined();
    const { data, width, height } = region!.paper!;
    expect(data[Math.floor(height / 2) * width + Math.floor(width / 2)]).toBe(255);
    expect(data[0]).toBe(0);
  });
});

describe('findLabelRegion, a label seen steeply', () => {
  it('finds its outline as a quadrilateral, though the paper fills little of its box (its far end short, and turned)', async () => {
    // The near end 240 px tall, the far end 0.4 of that, turned 16°: the paper fills 0.56 of its box.
    const [w, h] = [640, 440];
    const turn = (16 * Math.PI) / 180;
    const drawn: [number, number][] = [[80, 80], [560, 152], [560, 248], [80, 320]].map(([x, y]) => [320 + (x! - 320) * Math.cos(turn) - (y! - 200) * Math.sin(turn), 220 + (x! - 320) * Math.sin(turn) + (y! - 200) * Math.cos(turn)]);
    const inside = (x: number, y: number) => drawn.every((a, i) => { const b = drawn[(i + 1) % 4]!; return (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0; });
    const data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Unturned, to draw the print in rows along the label.
        const ux = 320 + (x - 320) * Math.cos(turn) + (y - 220) * Math.sin(turn), uy = 200 - (x - 320) * Math.sin(turn) + (y - 220) * Math.cos(turn);
        const across = (ux - 80) / 480, top = 80 + 72 * across, bottom = 320 - 72 * across;
        const row = ((uy - top) / (bottom - top)) * 12;
        const print = across > 0.05 && across < 0.8 && row > 1 && row < 11 && row % 1.5 < 0.6 && Math.floor(ux / 9) % 5 !== 0;
        data[y * w + x] = inside(x, y) ? (print ? 50 : 225) : Math.round(90 * (1 + 0.05 * Math.sin(y / 5 + Math.sin(x / 17))));
      }
    }
    const jpg = await sharp(data, { raw: { width: w, height: h, channels: 1 } }).jpeg({ quality: 70 }).toBuffer();
    const region = await findLabelRegion(jpg);
    expect(region?.quad).toBeDefined();
    const corners = region!.quad!.map(([qx, qy]) => [region!.left + qx * region!.width, region!.top + qy * region!.height]);
    // The corners as drawn, clockwise from the top-left, give or take five cells of the small copy
    // (10 px, 2 % of the label's length): the outline is found on a blurred copy of half the size.
    corners.forEach(([x, y], i) => {
      expect(Math.abs(x! - drawn[i]![0])).toBeLessThan(10);
      expect(Math.abs(y! - drawn[i]![1])).toBeLessThan(10);
    });
  });
});

describe('floodFromBorder', () => {
  it('reaches the same pixels as the flood from the border through spread', () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    for (const [w, h, share] of [[1, 1, 0], [7, 5, 0.3], [320, 200, 0.35], [97, 311, 0.45], [64, 64, 0]] as const) {
      const edge = Uint8Array.from({ length: w * h }, () => (rand() < share ? 1 : 0));
      const want = new Uint8Array(w * h);
      const stack: number[] = [];
      const seedAt = (p: number) => {
        if (!edge[p] && !want[p]) [(want[p] = 1), stack.push(p)];
      };
      for (let x = 0; x < w; x++) [seedAt(x), seedAt((h - 1) * w + x)];
      for (let y = 0; y < h; y++) [seedAt(y * w), seedAt(y * w + w - 1)];
      spread(stack, w, h, seedAt);
      expect(Buffer.from(floodFromBorder(edge, w, h)).equals(Buffer.from(want))).toBe(true);
    }
  });
});
