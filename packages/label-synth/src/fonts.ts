import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype, { type Font, type Path } from 'opentype.js';

/**
 * Fonts come from npm packages (DejaVu's TTFs, Fontsource's WOFFs) and text is turned into SVG
 * paths here, so a label looks the same on every machine whatever fonts the OS has: librsvg
 * never picks a font. Glyphs are placed one by one (advance + kerning), without OpenType
 * shaping, which labels printed by pharmacy systems do not use either.
 */
export interface FontFace {
  id: string;
  kind: 'sans' | 'serif' | 'mono' | 'narrow';
  regular: string;
  bold: string;
  /** Only in the validation split: a typeface the parser was never developed against. */
  heldOut?: boolean;
  /**
   * In neither split, only in labels made with `probeFonts`: typefaces nobody tunes on, so how the
   * reader copes with print it has not met can be measured while rules change, without reading
   * validation (whose held-out typefaces stay unseen).
   */
  probe?: boolean;
}

const dejavu = (f: string) => `dejavu-fonts-ttf/ttf/${f}.ttf`;
const fontsource = (pkg: string, weight: number) => `@fontsource/${pkg}/files/${pkg}-latin-${weight}-normal.woff`;
const fs = (id: string, kind: FontFace['kind'], pkg: string, heldOut = false, probe = false): FontFace => ({ id, kind, regular: fontsource(pkg, 400), bold: fontsource(pkg, 700), heldOut, probe });

export const FONTS: FontFace[] = [
  { id: 'DejaVuSans', kind: 'sans', regular: dejavu('DejaVuSans'), bold: dejavu('DejaVuSans-Bold') },
  { id: 'DejaVuSansCondensed', kind: 'narrow', regular: dejavu('DejaVuSansCondensed'), bold: dejavu('DejaVuSansCondensed-Bold') },
  { id: 'DejaVuSansMono', kind: 'mono', regular: dejavu('DejaVuSansMono'), bold: dejavu('DejaVuSansMono-Bold') },
  { id: 'DejaVuSerif', kind: 'serif', regular: dejavu('DejaVuSerif'), bold: dejavu('DejaVuSerif-Bold') },
  fs('Roboto', 'sans', 'roboto'),
  fs('OpenSans', 'sans', 'open-sans'),
  fs('Arimo', 'sans', 'arimo'),
  fs('Tinos', 'serif', 'tinos'),
  fs('Cousine', 'mono', 'cousine'),
  fs('CourierPrime', 'mono', 'courier-prime'),
  fs('Inconsolata', 'mono', 'inconsolata'),
  fs('RobotoMono', 'mono', 'roboto-mono', true),
  fs('NotoSerif', 'serif', 'noto-serif', true),
  fs('PTSansNarrow', 'narrow', 'pt-sans-narrow', true),
  fs('IBMPlexMono', 'mono', 'ibm-plex-mono', true),
  fs('SourceSerif4', 'serif', 'source-serif-4', true),
  fs('Lato', 'sans', 'lato', false, true),
  fs('LibreFranklin', 'sans', 'libre-franklin', false, true),
  fs('FiraSansCondensed', 'narrow', 'fira-sans-condensed', false, true),
  fs('UbuntuMono', 'mono', 'ubuntu-mono', false, true),
  fs('SpaceMono', 'mono', 'space-mono', false, true),
  fs('Merriweather', 'serif', 'merriweather', false, true),
  fs('PTSerif', 'serif', 'pt-serif', false, true),
];

const require = createRequire(import.meta.url);
const loaded = new Map<string, Font>();

function load(file: string): Font {
  let f = loaded.get(file);
  if (!f) {
    const buf = readFileSync(require.resolve(file));
    f = opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    loaded.set(file, f);
  }
  return f;
}

const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** SVG path data from the outline's commands (opentype.js's own serialiser can run two numbers together). */
function pathData(p: Path): string {
  return p.commands
    .map((c) => {
      switch (c.type) {
        case 'M': case 'L': return `${c.type}${n(c.x!)} ${n(c.y!)}`;
        case 'Q': return `Q${n(c.x1!)} ${n(c.y1!)} ${n(c.x!)} ${n(c.y!)}`;
        case 'C': return `C${n(c.x1!)} ${n(c.y1!)} ${n(c.x2!)} ${n(c.y2!)} ${n(c.x!)} ${n(c.y!)}`;
        default: return 'Z';
      }
    })
    .join('');
}

export interface TextShape {
  /** SVG path data of the glyph outlines. */
  d: string;
  width: number;
}

/** The outline of `text` with its baseline at (x, y); `stretch` < 1 narrows it (condensed print). */
export function textShape(face: FontFace, bold: boolean, text: string, x: number, y: number, size: number, stretch = 1): TextShape {
  const font = load(bold ? face.bold : face.regular);
  const scale = size / font.unitsPerEm;
  let pen = 0;
  const parts: string[] = [];
  let prev: ReturnType<Font['charToGlyph']> | null = null;
  for (const ch of text) {
    const g = font.charToGlyph(ch);
    if (prev) pen += font.getKerningValue(prev, g) * scale;
    const d = pathData(g.getPath(0, 0, size));
    if (d) parts.push(`<path transform="translate(${(x + pen * stretch).toFixed(1)} ${y.toFixed(1)}) scale(${stretch} 1)" d="${d}"/>`);
    pen += (g.advanceWidth ?? font.unitsPerEm / 2) * scale;
    prev = g;
  }
  return { d: parts.join(''), width: pen * stretch };
}

/** Advance width of `text` without building its outline. */
export function textWidth(face: FontFace, bold: boolean, text: string, size: number, stretch = 1): number {
  const font = load(bold ? face.bold : face.regular);
  const scale = size / font.unitsPerEm;
  let pen = 0;
  let prev: ReturnType<Font['charToGlyph']> | null = null;
  for (const ch of text) {
    const g = font.charToGlyph(ch);
    if (prev) pen += font.getKerningValue(prev, g) * scale;
    pen += (g.advanceWidth ?? font.unitsPerEm / 2) * scale;
    prev = g;
  }
  return pen * stretch;
}
