import { textShape, textWidth, type FontFace } from './fonts.js';
import type { Random } from './random.js';

/** A label as drawn: text runs and shapes on paper, in pixels. */
export type Item =
  | { t: 'text'; text: string; x: number; y: number; size: number; bold: boolean; fill: string; stretch: number; face?: FontFace }
  | { t: 'rect'; x: number; y: number; w: number; h: number; fill: string; rx?: number; stroke?: string }
  | { t: 'barcode'; x: number; y: number; w: number; h: number; seed: number }
  | { t: 'logo'; cx: number; cy: number; r: number; fill: string; letters: string }
  | { t: 'sticker'; x: number; y: number; w: number; h: number; fill: string; lines: string[]; size: number };

export interface LabelDoc {
  width: number;
  height: number;
  paper: string;
  face: FontFace;
  items: Item[];
}

export interface Cell {
  text: string;
  /** Left edge as a share of the printable width. */
  at?: number;
  size?: number;
  bold?: boolean;
  fill?: string;
  /** Drawn on a shaded box (Canadian refill boxes, Rx boxes). */
  boxed?: string;
}

/** Lays text out top to bottom; cells of a row share a baseline. */
export class Flow {
  y: number;
  readonly items: Item[] = [];
  constructor(
    readonly face: FontFace,
    readonly left: number,
    readonly width: number,
    top: number,
    readonly base: number,
    readonly r: Random,
    readonly ink: string,
    readonly stretch: number,
  ) {
    this.y = top;
  }

  width_(text: string, size: number, bold: boolean): number {
    return textWidth(this.face, bold, text, size, this.stretch);
  }

  row(cells: Cell[], gap = 1.35): void {
    const size = Math.max(...cells.map((c) => c.size ?? this.base));
    this.y += size * gap;
    for (const c of cells) {
      const s = c.size ?? this.base;
      const x = this.left + (c.at ?? 0) * this.width;
      if (c.boxed) {
        const w = this.width_(c.text, s, !!c.bold);
        this.items.push({ t: 'rect', x: x - s * 0.3, y: this.y - s * 1.0, w: w + s * 0.6, h: s * 1.35, fill: c.boxed, rx: s * 0.15 });
      }
      this.items.push({ t: 'text', text: c.text, x, y: this.y, size: s, bold: !!c.bold, fill: c.fill ?? this.ink, stretch: this.stretch });
    }
  }

  /** Words of `text` over as many lines as `maxShare` of the width needs; returns the lines. */
  wrapped(text: string, opts: { size?: number; bold?: boolean; at?: number; maxShare?: number; gap?: number } = {}): string[] {
    const size = opts.size ?? this.base;
    const max = (opts.maxShare ?? 1 - (opts.at ?? 0)) * this.width;
    const lines: string[] = [];
    let cur = '';
    for (const w of text.split(' ')) {
      const next = cur ? `${cur} ${w}` : w;
      if (cur && this.width_(next, size, !!opts.bold) > max) {
        lines.push(cur);
        cur = w;
      } else cur = next;
    }
    if (cur) lines.push(cur);
    for (const l of lines) this.row([{ text: l, at: opts.at, size, bold: opts.bold }], opts.gap ?? 1.3);
    return lines;
  }

  space(px: number): void {
    this.y += px;
  }

  rule(colour = '#222', thick = 2): void {
    this.y += this.base * 0.45;
    this.items.push({ t: 'rect', x: this.left, y: this.y, w: this.width, h: thick, fill: colour });
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function barcode(x: number, y: number, w: number, h: number, seed: number): string {
  let s = seed >>> 0;
  const bars: string[] = [];
  let cx = x;
  while (cx < x + w) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const bw = 2 + ((s >>> 16) % 4) * 1.5;
    if ((s >>> 8) % 2 === 0) bars.push(`<rect x="${cx.toFixed(1)}" y="${y}" width="${bw}" height="${h}" fill="#111"/>`);
    cx += bw + 1.5;
  }
  return bars.join('');
}

/** The label as SVG made of paths only: no font is looked up when it is rasterised. */
export function toSvg(doc: LabelDoc): string {
  const parts: string[] = [`<rect width="100%" height="100%" fill="${doc.paper}"/>`];
  for (const it of doc.items) {
    switch (it.t) {
      case 'rect':
        parts.push(`<rect x="${it.x.toFixed(1)}" y="${it.y.toFixed(1)}" width="${it.w.toFixed(1)}" height="${it.h.toFixed(1)}" rx="${it.rx ?? 0}" fill="${it.fill}"${it.stroke ? ` stroke="${it.stroke}" stroke-width="2"` : ''}/>`);
        break;
      case 'text':
        parts.push(`<g fill="${it.fill}">${textShape(it.face ?? doc.face, it.bold, it.text, it.x, it.y, it.size, it.stretch).d}</g>`);
        break;
      case 'barcode':
        parts.push(barcode(it.x, it.y, it.w, it.h, it.seed));
        break;
      case 'logo': {
        const letters = textShape(doc.face, true, it.letters, 0, 0, it.r * 0.9);
        parts.push(`<circle cx="${it.cx}" cy="${it.cy}" r="${it.r}" fill="${it.fill}"/>`);
        parts.push(`<g fill="#fff" transform="translate(${(it.cx - letters.width / 2).toFixed(1)} ${(it.cy + it.r * 0.32).toFixed(1)})">${letters.d}</g>`);
        break;
      }
      case 'sticker': {
        parts.push(`<rect x="${it.x}" y="${it.y}" width="${it.w}" height="${it.h}" rx="${it.size * 0.4}" fill="${it.fill}"/>`);
        it.lines.forEach((l, i) => parts.push(`<g fill="#111">${textShape(doc.face, true, l, it.x + it.size * 0.5, it.y + it.size * (1.4 + i * 1.25), it.size).d}</g>`));
        break;
      }
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${doc.width}" height="${doc.height}">${parts.join('')}</svg>`;
}

export { esc };
