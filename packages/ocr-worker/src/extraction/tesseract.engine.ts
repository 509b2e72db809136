import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { createScheduler, createWorker, OEM, PSM, type Page, type Scheduler, type Worker } from 'tesseract.js';
import type { OcrLine, OcrReading } from './types.js';

export interface RecognizeParams {
  /** Let Tesseract measure the text's skew and straighten the image before reading. */
  deskew?: boolean;
}

export interface RecognizedPage {
  reading: OcrReading;
  /** How far Tesseract turned the image before reading (radians, clockwise); the boxes are in that frame. */
  rotateRadians: number;
}

export interface OcrEngine {
  /** Reads an image file (PGM is the cheapest for Tesseract to load). */
  recognize(image: Buffer, params?: RecognizeParams): Promise<RecognizedPage>;
  terminate(): Promise<void>;
}

/** The bundled `best_int` model folder, resolved from the installed package so nothing is downloaded. */
export function bundledLangPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

export interface EngineOptions {
  /** Folder holding `eng.traineddata` (default: the bundled `best_int` model). */
  langPath?: string;
  /** Whether that file is gzipped (`eng.traineddata.gz`). */
  gzip?: boolean;
  /** Extra Tesseract parameters set once per worker. */
  params?: Record<string, string>;
}

/** Starts `count` warm workers (behind a scheduler when more than one). */
export async function createTesseractEngine(count: number, cacheDir: string, opts: EngineOptions = {}): Promise<OcrEngine> {
  const langPath = opts.langPath ?? bundledLangPath();
  const gzip = opts.gzip ?? true;
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < Math.max(1, count); i++) {
      const w = await createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip, cachePath: cacheDir });
      workers.push(w);
      await w.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK, user_defined_dpi: '300', ...opts.params });
    }
  } catch (err) {
    await Promise.allSettled(workers.map((w) => w.terminate()));
    throw err;
  }
  let scheduler: Scheduler | null = null;
  if (workers.length > 1) {
    scheduler = createScheduler();
    for (const w of workers) scheduler.addWorker(w);
  }
  const single = workers[0]!;
  return {
    async recognize(file, { deskew = false } = {}) {
      // Page mode 6 (one uniform block) is set once per worker: of the page modes it read labels
      // best, and one fixed mode lets a scheduler hand any job to any worker.
      const options = { rotateAuto: deskew };
      // Only what is used: encoding the image Tesseract saw (imageGrey) cost ~50 ms a page.
      const output = { blocks: true, text: true };
      const page = scheduler ? (await scheduler.addJob('recognize', file, options, output)).data : (await single.recognize(file, options, output)).data;
      return { reading: readingFromPage(page), rotateRadians: page.rotateRadians ?? 0 };
    },
    async terminate() {
      if (scheduler) await scheduler.terminate();
      else await Promise.allSettled(workers.map((w) => w.terminate()));
    },
  };
}

/** Flattens tesseract.js's block tree into the lines and words the parser needs. */
export function readingFromPage(page: Page): OcrReading {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        const words = line.words
          .filter((w) => w.text.trim() !== '')
          .map((w) => ({ text: w.text, confidence: w.confidence, bbox: { ...w.bbox } }));
        if (words.length === 0) continue;
        lines.push({
          text: words.map((w) => w.text).join(' '),
          confidence: line.confidence,
          bbox: { ...line.bbox },
          words,
        });
      }
    }
  }
  const all = lines.flatMap((l) => l.words);
  const confidence = all.length ? all.reduce((s, w) => s + w.confidence, 0) / all.length : 0;
  return { text: page.text ?? lines.map((l) => l.text).join('\n'), confidence, lines };
}
