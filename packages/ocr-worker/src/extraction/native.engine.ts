import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodePgm, turnedLikeTesseract, type GreyPixels } from './image.preprocess.js';
import { bundledLangPath, type OcrEngine, type RecognizedPage } from './tesseract.engine.js';
import { estimateSkew, MIN_SKEW } from './text.skew.js';
import type { OcrLine, OcrReading, OcrWord } from './types.js';

/**
 * Native Tesseract 5 (Debian's tesseract-ocr) behind the same OcrEngine as tesseract.js. It
 * reads with the model tesseract.js reads with, the `eng` 4.0.0_best_int traineddata of the
 * @tesseract.js-data/eng npm package, gunzipped once into the cache folder, so the two engines
 * differ in speed and not in what they know. Nothing is downloaded.
 *
 * Two ways in, the same settings and the same TSV (every word with its box and confidence):
 * - `library` (used when it loads): libtesseract.so.5, the library the command is built on,
 *   called in this process through koffi (a C FFI) with Tesseract's C API. The model is loaded
 *   once per engine and stays warm, as a tesseract.js worker does; recognition runs on libuv's
 *   thread pool, so the event loop is not blocked. It deskews as tesseract.js does: the text
 *   lines of Tesseract's layout give the angle, Leptonica (liblept.so.5) turns the image.
 * - `process`: one `tesseract` command per recognition, the image on stdin as PGM and the TSV
 *   on stdout (no temp files). Each call pays the model load (~0.2 CPU-s here, a third of a
 *   label), which is why the library is preferred. Batching calls into one process would save
 *   little: the re-read lines of a label are already stacked into one image (line.verify.ts), so
 *   a label costs 2 calls, 4 when a second pass runs. It deskews by a pixel estimate (text.skew.ts).
 */

/** Tesseract's make_rows takes the page's gradient from rows of at least 10 blobs (textord_min_blobs_in_row 4 = ceil(sqrt(10))), all rows if none are. */
const MIN_SYMBOLS_IN_ROW = 10;

/** A text line's baseline as Tesseract's layout found it: its slope atan2(dy, dx) in y-down pixels, and its symbols. */
export interface LineSlope {
  radians: number;
  symbols: number;
}
const PSM_SINGLE_BLOCK = 6;

/**
 * How far tesseract.js's rotateAuto turns a page (radians, clockwise), from the baselines of the
 * text lines Tesseract's layout found: the page's gradient is the median slope of its long lines
 * (as make_rows takes it, which tesseract.js reads with GetGradient, absent from the 5.3 C API),
 * and the page is turned against it. Below MIN_SKEW, or with no lines, the page is read as it is.
 * On the training split's 118 camera and hard photos this is within 0.005 rad of tesseract.js's
 * turn for 91 pages, taken from the one-block layout the page is read on as from the page-mode
 * AUTO layout tesseract.js takes it from (91 too; the pixel estimator of text.skew.ts: about a
 * third). The final baselines it goes by are fitted later than make_rows's rows, hence the rest.
 */
export function skewFromBaselines(lines: readonly LineSlope[]): number {
  if (lines.length === 0) return 0;
  const long = lines.filter((l) => l.symbols >= MIN_SYMBOLS_IN_ROW);
  const sorted = (long.length ? long : lines).map((l) => l.radians).sort((a, b) => a - b);
  const radians = -sorted[sorted.length >> 1]!;
  return Math.abs(radians) < MIN_SKEW ? 0 : radians;
}

/** Finds the tesseract binary: TESSERACT_PATH when set (and then only there), else the PATH. Null when absent. */
export function findTesseractBinary(env: Record<string, string | undefined> = process.env): string | null {
  const runnable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const explicit = env.TESSERACT_PATH?.trim();
  if (explicit) return runnable(explicit) ? path.resolve(explicit) : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, 'tesseract');
    if (runnable(p)) return p;
  }
  return null;
}

/**
 * The bundled model as a plain `eng.traineddata` in `cacheDir`, gunzipped on first use (written
 * to a temporary name and renamed, so a half-written file is never read). The folder name
 * carries the package version, so a newer model is unpacked beside an older one.
 */
export function nativeTessdataDir(cacheDir: string): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@tesseract.js-data/eng/package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const dir = path.join(cacheDir, `native-eng-${version}-4.0.0_best_int`);
  const file = path.join(dir, 'eng.traineddata');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, gunzipSync(readFileSync(path.join(bundledLangPath(), 'eng.traineddata.gz'))), { mode: 0o644 });
    renameSync(tmp, file);
  }
  return dir;
}

/** Tesseract's TSV (rows for page, block, paragraph, line and word) as the reading tesseract.js gives. */
export function readingFromTsv(tsv: string): OcrReading {
  interface Row {
    level: number;
    key: string;
    para: string;
    box: { x0: number; y0: number; x1: number; y1: number };
    conf: number;
    text: string;
  }
  const lines = new Map<string, { bbox: Row['box'] | null; para: string; words: OcrWord[] }>();
  for (const raw of tsv.split('\n')) {
    const c = raw.split('\t');
    if (c.length < 12 || !/^\d+$/.test(c[0]!)) continue; // the header and blank rows
    const level = Number(c[0]);
    if (level !== 4 && level !== 5) continue;
    const [left, top, width, height, conf] = c.slice(6, 11).map(Number) as [number, number, number, number, number];
    const row: Row = {
      level,
      key: `${c[1]}.${c[2]}.${c[3]}.${c[4]}`, // page.block.paragraph.line
      para: `${c[1]}.${c[2]}.${c[3]}`,
      box: { x0: left, y0: top, x1: left + width, y1: top + height },
      conf,
      text: c.slice(11).join('\t').trim(),
    };
    const line = lines.get(row.key) ?? { bbox: null, para: row.para, words: [] };
    lines.set(row.key, line);
    if (level === 4) line.bbox = row.box;
    else if (row.text !== '') line.words.push({ text: row.text, confidence: row.conf, bbox: row.box });
  }
  const out: OcrLine[] = [];
  let text = '';
  let lastPara: string | null = null;
  for (const l of lines.values()) {
    if (l.words.length === 0) continue;
    // Tesseract's plain text: a line per line, and an empty line between paragraphs.
    if (lastPara !== null && l.para !== lastPara) text += '\n';
    lastPara = l.para;
    const lineText = l.words.map((w) => w.text).join(' ');
    text += lineText + '\n';
    const bbox = l.bbox ?? {
      x0: Math.min(...l.words.map((w) => w.bbox.x0)),
      y0: Math.min(...l.words.map((w) => w.bbox.y0)),
      x1: Math.max(...l.words.map((w) => w.bbox.x1)),
      y1: Math.max(...l.words.map((w) => w.bbox.y1)),
    };
    out.push({ text: lineText, confidence: l.words.reduce((s, w) => s + w.confidence, 0) / l.words.length, bbox, words: l.words });
  }
  const all = out.flatMap((l) => l.words);
  return { text, confidence: all.length ? all.reduce((s, w) => s + w.confidence, 0) / all.length : 0, lines: out };
}

/** A binary PGM (P5, 8-bit, as encodePgm writes) back into pixels; the pixels are a view, not a copy. */
export function decodePgm(pgm: Buffer): GreyPixels {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4 && i < pgm.length) {
    const ch = pgm[i]!;
    if (ch === 0x23) {
      while (i < pgm.length && pgm[i] !== 0x0a) i++; // a comment, to the end of its line
    } else if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
      i++;
    } else {
      const start = i;
      while (i < pgm.length && ![0x20, 0x0a, 0x0d, 0x09].includes(pgm[i]!)) i++;
      fields.push(pgm.toString('latin1', start, i));
    }
  }
  const [magic, w, h, max] = fields;
  const width = Number(w);
  const height = Number(h);
  if (magic !== 'P5' || Number(max) !== 255 || !(width > 0) || !(height > 0) || pgm.length - (i + 1) < width * height) {
    throw new Error('the native engine takes 8-bit binary PGM images (encodePgm)');
  }
  return { data: pgm.subarray(i + 1, i + 1 + width * height), width, height };
}

export interface NativeEngineOptions {
  /** The tesseract binary (findTesseractBinary). */
  binary: string;
  /** A writable folder for the unpacked model. */
  cacheDir: string;
  /** Recognitions run at once (like the number of tesseract.js workers). */
  count?: number;
  /** `library` (in this process, warm) or `process` (a command per call); default: the library when it loads. */
  via?: NativeVia;
}

export type NativeVia = 'library' | 'process';

/** What the engine has done since it started: for the bench. */
export interface NativeEngineStats {
  /** Which way in. */
  via: NativeVia;
  /** Times the model was loaded: once per warm API in `library`, once per process in `process`. */
  modelLoads: number;
  /** Images read. */
  images: number;
}

export interface NativeEngine extends OcrEngine {
  stats: NativeEngineStats;
}

/** Tesseract's C API (capi.h), the few calls used, bound through koffi. */
interface TessApi {
  create(): unknown;
  init(h: unknown, datapath: string, lang: string, oem: number): number;
  setPsm(h: unknown, mode: number): void;
  setVariable(h: unknown, name: string, value: string): number;
  setImage(h: unknown, data: Uint8Array, width: number, height: number, bytesPerPixel: number, bytesPerLine: number): void;
  setResolution(h: unknown, ppi: number): void;
  /** Hands Tesseract a Leptonica image (it keeps its own reference). */
  setPix(h: unknown, pix: unknown): void;
  /**
   * Tesseract's layout of the page in the page mode set (it is kept, and Recognize reads on it) on
   * libuv's thread pool: each text line's baseline slope and how many symbols it holds.
   */
  baselineSlopes(h: unknown): Promise<LineSlope[]>;
  /** Leptonica (liblept.so.5, which libtesseract is linked against), null if it does not load. */
  lept: LeptApi | null;
  /** Recognize on libuv's thread pool. */
  recognize(h: unknown): Promise<number>;
  tsv(h: unknown): string;
  clear(h: unknown): void;
  end(h: unknown): void;
}

/** The few Leptonica calls used: the image as Tesseract reads a file, and its rotation. */
interface LeptApi {
  /**
   * 8-bit grey pixels into a PIX, the one pixReadMem makes of their PGM (as tesseract.js hands
   * the image over): made with pixCreate and filled here, where pixReadMem reads a binary PGM a
   * byte at a time through stdio (~10 ms a page, on the event loop).
   */
  read(image: GreyPixels): unknown;
  /** pixRotate(pix, radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0): what tesseract.js's rotateAuto does (on libuv's thread pool). */
  rotate(pix: unknown, radians: number): Promise<unknown>;
  destroy(pix: unknown): void;
}

let tessApi: TessApi | null | undefined;

/** libtesseract through koffi, or null when either will not load (then each call is a process). */
export async function loadTesseractLibrary(): Promise<TessApi | null> {
  if (tessApi !== undefined) return tessApi;
  try {
    // libgomp reads this when the library loads: one thread per recognition, as the command gets it.
    process.env.OMP_THREAD_LIMIT ??= '1';
    const koffi = (await import('koffi')).default;
    const lib = koffi.load('libtesseract.so.5');
    const f = (decl: string) => lib.func(decl);
    const recognize = f('int TessBaseAPIRecognize(void *h, void *monitor)');
    const getTsv = f('void *TessBaseAPIGetTsvText(void *h, int page)');
    const deleteText = f('void TessDeleteText(void *text)');
    const analyse = f('void *TessBaseAPIAnalyseLayout(void *h)');
    const baseline = f('int TessPageIteratorBaseline(void *it, int level, _Out_ int *x1, _Out_ int *y1, _Out_ int *x2, _Out_ int *y2)');
    const next = f('int TessPageIteratorNext(void *it, int level)');
    const atBeginningOf = f('int TessPageIteratorIsAtBeginningOf(void *it, int level)');
    const deleteIterator = f('void TessPageIteratorDelete(void *it)');
    const RIL_TEXTLINE = 2;
    const RIL_SYMBOL = 4;
    let lept: LeptApi | null = null;
    try {
      const l = koffi.load('liblept.so.5');
      const pixCreate = l.func('void *pixCreate(int width, int height, int depth)');
      const pixData = l.func('void *pixGetData(void *pix)');
      const pixWpl = l.func('int pixGetWpl(void *pix)');
      const bigEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
      const rotate = l.func('void *pixRotate(void *pix, float angle, int type, int incolor, int width, int height)');
      const destroy = l.func('void pixDestroy(_Inout_ void **pix)');
      const L_ROTATE_AREA_MAP = 1;
      const L_BRING_IN_WHITE = 1;
      lept = {
        read: ({ data, width, height }) => {
          const pix = pixCreate(width, height, 8);
          if (!pix) throw new Error('Leptonica could not make the image');
          const stride = pixWpl(pix) * 4;
          // Leptonica keeps 8-bit pixels in 32-bit words, the first pixel in the word's top byte:
          // rows copied in, padded to whole words (pixCreate zeroes the padding, as pixReadMem
          // leaves it), then each word's bytes swapped on a little-endian machine.
          const words = Buffer.from(koffi.view(pixData(pix), stride * height));
          for (let y = 0; y < height; y++) words.set(data.subarray(y * width, (y + 1) * width), y * stride);
          if (!bigEndian) words.swap32();
          return pix;
        },
        rotate: (pix, radians) =>
          new Promise((resolve, reject) =>
            rotate.async(pix, radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0, (err: unknown, out: unknown) =>
              err || !out ? reject(err ?? new Error('Leptonica could not rotate the image')) : resolve(out),
            ),
          ),
        destroy: (pix) => destroy([pix]),
      };
    } catch {
      lept = null;
    }
    const api = {
      create: f('void *TessBaseAPICreate()'),
      init: f('int TessBaseAPIInit2(void *h, const char *datapath, const char *language, int oem)'),
      setPsm: f('void TessBaseAPISetPageSegMode(void *h, int mode)'),
      setVariable: f('int TessBaseAPISetVariable(void *h, const char *name, const char *value)'),
      setImage: f('void TessBaseAPISetImage(void *h, const uint8_t *data, int width, int height, int bpp, int bpl)'),
      setResolution: f('void TessBaseAPISetSourceResolution(void *h, int ppi)'),
      setPix: f('void TessBaseAPISetImage2(void *h, void *pix)'),
      baselineSlopes: async (h: unknown) => {
        const it = await new Promise<unknown>((resolve, reject) => analyse.async(h, (err: unknown, r: unknown) => (err ? reject(err) : resolve(r))));
        const slopes: LineSlope[] = [];
        if (!it) return slopes;
        try {
          // Symbol by symbol, so each line also says how many pieces of ink it holds.
          let line: LineSlope | null = null;
          do {
            if (atBeginningOf(it, RIL_TEXTLINE)) {
              const [x1, y1, x2, y2] = [[0], [0], [0], [0]] as [number[], number[], number[], number[]];
              line = baseline(it, RIL_TEXTLINE, x1, y1, x2, y2) && x2[0]! > x1[0]! ? { radians: Math.atan2(y2[0]! - y1[0]!, x2[0]! - x1[0]!), symbols: 0 } : null;
              if (line) slopes.push(line);
            }
            if (line) line.symbols++;
          } while (next(it, RIL_SYMBOL));
        } finally {
          deleteIterator(it);
        }
        return slopes;
      },
      lept,
      recognize: (h: unknown) =>
        new Promise<number>((resolve, reject) => recognize.async(h, null, (err: unknown, r: number) => (err ? reject(err) : resolve(r)))),
      tsv: (h: unknown) => {
        const p = getTsv(h, 0);
        try {
          return p ? (koffi.decode(p, 'char', -1) as string) : '';
        } finally {
          if (p) deleteText(p);
        }
      },
      clear: f('void TessBaseAPIClear(void *h)'),
      end: (h: unknown) => {
        f('void TessBaseAPIEnd(void *h)')(h);
        f('void TessBaseAPIDelete(void *h)')(h);
      },
    } as TessApi;
    tessApi = api;
  } catch {
    tessApi = null;
  }
  return tessApi;
}

/** Checks the binary runs and unpacks the model; then loads the model into warm APIs (library) or not at all (process). */
export async function createNativeEngine(opts: NativeEngineOptions): Promise<NativeEngine> {
  const tessdata = nativeTessdataDir(opts.cacheDir);
  const version = await run(opts.binary, ['--version'], null).catch((err: Error) => {
    throw new Error(`native Tesseract at ${opts.binary} does not run: ${err.message}`);
  });
  if (!/tesseract\s+[45]\./i.test(version.stdout + version.stderr)) {
    throw new Error(`native Tesseract at ${opts.binary} is not version 4 or 5: ${(version.stdout + version.stderr).split('\n')[0]}`);
  }
  const lib = opts.via === 'process' ? null : await loadTesseractLibrary();
  if (opts.via === 'library' && !lib) throw new Error('libtesseract.so.5 (or koffi) does not load in this process');
  const via: NativeVia = lib ? 'library' : 'process';
  const limit = Math.max(1, opts.count ?? 1);
  const stats: NativeEngineStats = { via, modelLoads: 0, images: 0 };
  let closed = false;

  // Slots: `limit` recognitions at once; in `library` each slot is a warm API with the model loaded.
  const handles: unknown[] = [];
  if (lib) {
    try {
      for (let i = 0; i < limit; i++) {
        const h = lib.create();
        handles.push(h);
        // As tesseract.js is set up: LSTM only (oem 1), page mode 6 (one uniform block), 300 dpi.
        if (lib.init(h, tessdata, 'eng', 1) !== 0) throw new Error(`libtesseract could not load the model in ${tessdata}`);
        lib.setPsm(h, PSM_SINGLE_BLOCK);
        lib.setVariable(h, 'user_defined_dpi', '300');
        stats.modelLoads++;
      }
    } catch (err) {
      for (const h of handles) lib.end(h);
      throw err;
    }
  }
  const free = lib ? [...handles] : Array.from({ length: limit }, (_, i) => i);
  const waiting: (() => void)[] = [];
  let busy = 0;
  const idle: (() => void)[] = [];
  const withSlot = async <T>(fn: (slot: unknown) => Promise<T>): Promise<T> => {
    if (closed) throw new Error('the native OCR engine is closed');
    while (free.length === 0) {
      await new Promise<void>((r) => waiting.push(r));
      if (closed) throw new Error('the native OCR engine is closed');
    }
    const slot = free.pop()!;
    busy++;
    try {
      return await fn(slot);
    } finally {
      busy--;
      free.push(slot);
      waiting.shift()?.();
      if (busy === 0) idle.splice(0).forEach((r) => r());
    }
  };

  const children = new Set<ChildProcess>();
  // The command line with the same settings, and one OpenMP thread.
  const baseArgs = ['--tessdata-dir', tessdata, '-l', 'eng', '--oem', '1', '--psm', '6', '--dpi', '300', '-c', 'tessedit_create_tsv=1'];
  const command = async (stdin: Buffer): Promise<string> => {
    stats.modelLoads++;
    const { stdout } = await run(opts.binary, ['stdin', '-', ...baseArgs], stdin, children);
    return stdout;
  };
  const readPixels = async (h: unknown, px: GreyPixels): Promise<string> => {
    lib!.setImage(h, px.data, px.width, px.height, 1, px.width);
    lib!.setResolution(h, 300);
    try {
      if ((await lib!.recognize(h)) !== 0) throw new Error('libtesseract could not read the image');
      return lib!.tsv(h);
    } finally {
      lib!.clear(h);
    }
  };

  /**
   * Deskewing as tesseract.js's rotateAuto does it, with the angle from the layout Tesseract makes
   * for the reading itself: Tesseract lays the page out in page mode 6 (one block), the text
   * lines' slope gives the angle, and a level page is then recognised on that very layout, which
   * Recognize reuses, so the layout is paid once. Only a tilted page is turned (Leptonica's
   * pixRotate with area mapping and white brought in, as tesseract.js turns it) and laid out again.
   * tesseract.js finds its lines in page mode AUTO, which also looks for columns: that layout cost
   * twice a one-block layout (~25 against ~12 ms a page) and, as its blocks are no use to a page
   * read as one block, was thrown away. Both give tesseract.js's angle on as many pages (see
   * skewFromBaselines); accuracy and cost of the change are in docs/benchmarks.md, round 11.
   * Without Leptonica the turn is sharp's (to ~3/255).
   */
  const readStraightened = async (h: unknown, image: Buffer): Promise<{ tsv: string; rotateRadians: number }> => {
    const lept = lib!.lept;
    const pix = lept ? lept.read(decodePgm(image)) : null;
    let turnedPix: unknown = null;
    try {
      if (pix) lib!.setPix(h, pix);
      else {
        const px = decodePgm(image);
        lib!.setImage(h, px.data, px.width, px.height, 1, px.width);
      }
      lib!.setResolution(h, 300);
      const rotateRadians = skewFromBaselines(await lib!.baselineSlopes(h));
      if (rotateRadians !== 0) {
        if (pix && lept) {
          turnedPix = await lept.rotate(pix, rotateRadians);
          lib!.setPix(h, turnedPix);
        } else {
          const px = await turnedLikeTesseract(decodePgm(image), rotateRadians);
          lib!.setImage(h, px.data, px.width, px.height, 1, px.width);
        }
        lib!.setResolution(h, 300);
      }
      if ((await lib!.recognize(h)) !== 0) throw new Error('libtesseract could not read the image');
      return { tsv: lib!.tsv(h), rotateRadians };
    } finally {
      lib!.clear(h);
      if (turnedPix) lept!.destroy(turnedPix);
      if (pix) lept!.destroy(pix);
    }
  };

  // The command line cannot report Tesseract's layout, so there the skew is estimated from the pixels.
  const straightenForCommand = async (image: Buffer, deskew: boolean): Promise<{ pgm: Buffer; rotateRadians: number }> => {
    if (!deskew) return { pgm: image, rotateRadians: 0 };
    const pixels = decodePgm(image);
    const rotateRadians = estimateSkew(pixels);
    if (rotateRadians === 0) return { pgm: image, rotateRadians };
    const turned = await turnedLikeTesseract(pixels, rotateRadians);
    return { pgm: encodePgm(turned.data, turned.width, turned.height), rotateRadians };
  };

  const recognize = async (image: Buffer, { deskew = false } = {}): Promise<RecognizedPage> => {
    stats.images++;
    if (lib) {
      if (deskew) {
        const { tsv, rotateRadians } = await withSlot((h) => readStraightened(h, image));
        return { reading: readingFromTsv(tsv), rotateRadians };
      }
      const pixels = decodePgm(image);
      return { reading: readingFromTsv(await withSlot((h) => readPixels(h, pixels))), rotateRadians: 0 };
    }
    const { pgm, rotateRadians } = await straightenForCommand(image, deskew);
    return { reading: readingFromTsv(await withSlot(() => command(pgm))), rotateRadians };
  };

  return {
    stats,
    recognize,
    async terminate() {
      if (closed) return;
      closed = true;
      waiting.splice(0).forEach((r) => r());
      for (const c of children) c.kill('SIGKILL');
      // A recognition on the thread pool cannot be stopped: its API is ended once it returns.
      if (busy > 0) await new Promise<void>((r) => idle.push(r));
      if (lib) for (const h of handles) lib.end(h);
    },
  };
}

/** Runs the binary to its end; rejects on a non-zero exit with the end of what it wrote to stderr. */
function run(binary: string, args: string[], stdin: Buffer | null, track?: Set<ChildProcess>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    track?.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {}); // a child that exits early closes its stdin; its exit code tells why
    child.on('error', (e) => {
      track?.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      track?.delete(child);
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr });
      else reject(new Error(`tesseract ${signal ? `was killed (${signal})` : `exited with ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.end(stdin ?? undefined);
  });
}
