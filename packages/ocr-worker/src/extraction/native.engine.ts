import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodePgm, turnedLikeTesseract, type GreyPixels } from './image.preprocess.js';
import { bundledLangPath, type OcrEngine, type RecognizedPage } from './tesseract.engine.js';
import { estimateSkew } from './text.skew.js';
import type { OcrLine, OcrReading, OcrWord } from './types.js';

/**
 * Native Tesseract (the `tesseract` command of Debian's tesseract-ocr 5) behind the same
 * OcrEngine as tesseract.js. It reads with the model tesseract.js reads with, the `eng`
 * 4.0.0_best_int traineddata of the @tesseract.js-data/eng npm package, gunzipped once into
 * the cache folder, so the two engines differ in speed and not in what they know. Nothing is
 * downloaded. Each recognition is one short-lived process (the command has no server mode):
 * the image goes in on stdin as PGM, Tesseract's TSV (every word with its box and confidence)
 * comes back on stdout; several images at once go in one call, through a list file in a
 * private temp folder that is removed afterwards.
 */

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
  /** Tesseract processes run at once (like the number of tesseract.js workers). */
  count?: number;
}

/** What the engine has done since it started: for the bench. */
export interface NativeEngineStats {
  /** Tesseract processes started. */
  calls: number;
  /** Images read in them. */
  images: number;
}

export interface NativeEngine extends OcrEngine {
  /** Reads several images in one Tesseract process: the model is loaded once for all of them. */
  recognizeMany(images: Buffer[]): Promise<RecognizedPage[]>;
  stats: NativeEngineStats;
}

/** Starts nothing yet: checks the binary runs and unpacks the model, then each recognition is one process. */
export async function createNativeEngine(opts: NativeEngineOptions): Promise<NativeEngine> {
  const tessdata = nativeTessdataDir(opts.cacheDir);
  const version = await run(opts.binary, ['--version'], null).catch((err: Error) => {
    throw new Error(`native Tesseract at ${opts.binary} does not run: ${err.message}`);
  });
  if (!/tesseract\s+[45]\./i.test(version.stdout + version.stderr)) {
    throw new Error(`native Tesseract at ${opts.binary} is not version 4 or 5: ${(version.stdout + version.stderr).split('\n')[0]}`);
  }
  const children = new Set<ChildProcess>();
  const limit = Math.max(1, opts.count ?? 1);
  let running = 0;
  const waiting: (() => void)[] = [];
  let closed = false;
  const stats: NativeEngineStats = { calls: 0, images: 0 };

  // As tesseract.js is set up: LSTM only, page mode 6 (one uniform block), 300 dpi (PGM carries
  // none), and one OpenMP thread, so one recognition uses one core as a tesseract.js worker does.
  const baseArgs = ['--tessdata-dir', tessdata, '-l', 'eng', '--oem', '1', '--psm', '6', '--dpi', '300', '-c', 'tessedit_create_tsv=1'];
  const tesseract = async (input: string, stdin: Buffer | null): Promise<string> => {
    if (closed) throw new Error('the native OCR engine is closed');
    if (running >= limit) await new Promise<void>((r) => waiting.push(r));
    running++;
    stats.calls++;
    try {
      const { stdout } = await run(opts.binary, [input, '-', ...baseArgs], stdin, children);
      return stdout;
    } finally {
      running--;
      waiting.shift()?.();
    }
  };

  const straighten = async (image: Buffer, deskew: boolean): Promise<{ pgm: Buffer; rotateRadians: number }> => {
    if (!deskew) return { pgm: image, rotateRadians: 0 };
    const pixels = decodePgm(image);
    const rotateRadians = estimateSkew(pixels);
    if (rotateRadians === 0) return { pgm: image, rotateRadians };
    const turned = await turnedLikeTesseract(pixels, rotateRadians);
    return { pgm: encodePgm(turned.data, turned.width, turned.height), rotateRadians };
  };

  const recognize = async (image: Buffer, { deskew = false } = {}): Promise<RecognizedPage> => {
    const { pgm, rotateRadians } = await straighten(image, deskew);
    stats.images++;
    const tsv = await tesseract('stdin', pgm);
    return { reading: readingFromTsv(tsv), rotateRadians };
  };

  return {
    stats,
    recognize,
    async recognizeMany(images) {
      if (images.length === 0) return [];
      if (images.length === 1) return [await recognize(images[0]!)];
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rxscan-tess-'));
      try {
        const files = images.map((_, i) => path.join(dir, `${i}.pgm`));
        await Promise.all(images.map((img, i) => writeFile(files[i]!, img, { mode: 0o600 })));
        const list = path.join(dir, 'list.txt');
        await writeFile(list, files.join('\n') + '\n', { mode: 0o600 });
        stats.images += images.length;
        const tsv = await tesseract(list, null);
        // One TSV for all pages; the page number (column 2, from 1) says which image a row is from.
        const pages = images.map(() => [] as string[]);
        for (const row of tsv.split('\n')) {
          const page = Number(row.split('\t', 2)[1]);
          if (page >= 1 && page <= images.length) pages[page - 1]!.push(row);
        }
        return pages.map((rows) => ({ reading: readingFromTsv(rows.join('\n')), rotateRadians: 0 }));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async terminate() {
      closed = true;
      for (const c of children) c.kill('SIGKILL');
      children.clear();
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
