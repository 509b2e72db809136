import type { OcrLine, OcrReading, OcrWord } from './types.js';

/**
 * Builds an OCR reading as Tesseract would lay it out: one entry per printed line, words 14 px
 * per character, 28 px high. "  |  " marks a column gap; "word~40" gives a word confidence of 40.
 */
export function reading(...rows: string[]): OcrReading {
  const lines: OcrLine[] = rows.map((row, i) => {
    const y0 = 40 + i * 45;
    let x = 30;
    const words: OcrWord[] = [];
    for (const col of row.split('  |  ')) {
      for (const raw of col.trim().split(/\s+/)) {
        const [text, conf] = raw.split('~') as [string, string | undefined];
        const w = text.length * 14;
        words.push({ text, confidence: conf ? Number(conf) : 95, bbox: { x0: x, y0, x1: x + w, y1: y0 + 28 } });
        x += w + 10;
      }
      x += 400; // the next column
    }
    const x1 = words[words.length - 1]!.bbox.x1;
    return { text: words.map((w) => w.text).join(' '), confidence: 95, bbox: { x0: 30, y0, x1, y1: y0 + 28 }, words };
  });
  return { text: lines.map((l) => l.text).join('\n'), confidence: 95, lines };
}

