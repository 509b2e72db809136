import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFromEnv } from '../config.js';
import { encodePgm, preprocessImage, type GreyPixels } from './image.preprocess.js';
import { createExtractor, createNativeEngine, findTesseractBinary, type Extractor, type NativeEngine } from './index.js';
import { decodePgm, loadTesseractLibrary } from './native.engine.js';
import { createTesseractEngine } from './tesseract.engine.js';

/** A flat label rendered from text, so the test needs no corpus files. */
async function labelImage(rows: string[], angle = 0): Promise<Buffer> {
  const text = rows.map((r, i) => `<text x="30" y="${60 + i * 48}" font-family="DejaVu Sans" font-size="30">${r}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="${100 + rows.length * 48}"><rect width="100%" height="100%" fill="#f2f0ea"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).rotate(angle, { background: '#f2f0ea' }).jpeg({ quality: 85 }).toBuffer();
}

async function linePgm(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="90"><rect width="100%" height="100%" fill="#fff"/><text x="20" y="58" font-family="DejaVu Sans" font-size="34">${text}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return encodePgm(data, info.width, info.height);
}

const LABEL = [
  'CORNER DRUG (217) 555-0142',
  'RX# 7712345 DATE: 03/14/2026',
  'JANE DOE',
  'TAKE 1 TABLET BY MOUTH TWICE DAILY WITH FOOD',
  'METFORMIN HCL 500 MG TABLET',
  'QTY: 60 REFILLS: 2',
  'DR. SARAH SMITH',
];

const binary = findTesseractBinary();
const workerMain = join(dirname(fileURLToPath(import.meta.url)), '../../dist/main.js');

describe('choosing the engine (OCR_ENGINE)', () => {
  it('auto reads with native Tesseract when the binary is there, and with tesseract.js when TESSERACT_PATH points nowhere', () => {
    if (binary) expect(engineFromEnv({ PATH: process.env.PATH })).toEqual({ kind: 'native', binary });
    expect(engineFromEnv({ PATH: process.env.PATH, TESSERACT_PATH: '/nowhere/tesseract' })).toEqual({ kind: 'wasm' });
    expect(engineFromEnv({ PATH: '', OCR_ENGINE: 'auto' })).toEqual({ kind: 'wasm' });
    expect(engineFromEnv({ PATH: process.env.PATH, OCR_ENGINE: 'wasm' })).toEqual({ kind: 'wasm' });
    expect(() => engineFromEnv({ OCR_ENGINE: 'fast' })).toThrow(/OCR_ENGINE must be native, wasm or auto/);
  });

  it('a worker told OCR_ENGINE=native without the binary refuses to start and says why', () => {
    const run = spawnSync(process.execPath, [workerMain], {
      env: { PATH: process.env.PATH, OCR_ENGINE: 'native', TESSERACT_PATH: '/nowhere/tesseract', DATA_DIR: tmpdir(), NATS_URL: 'nats://127.0.0.1:1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('OCR_ENGINE=native but TESSERACT_PATH (/nowhere/tesseract) is not an executable file');
    expect(run.stderr).toContain('apt-get install tesseract-ocr');
  });
});

describe.skipIf(!binary)('native Tesseract engine (real tesseract-ocr 5, the bundled best_int model)', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rxscan-native-test-'));
  let native: Extractor;
  let wasm: Extractor;
  beforeAll(async () => {
    native = await createExtractor({ workers: 1, cacheDir, engine: { kind: 'native', binary: binary! } });
    wasm = await createExtractor({ workers: 1, cacheDir, engine: { kind: 'wasm' } });
  });
  afterAll(async () => {
    await native?.close();
    await wasm?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('reads a clean label to the same fields as tesseract.js, and is as sure of them', async () => {
    const photo = await labelImage(LABEL);
    const [n, w] = [await native.extract(photo), await wasm.extract(photo)];
    expect(n.medication).toMatchObject({ name: 'Metformin HCl', dosage: '500 mg', schedule: 'Twice daily', quantity: 60, refills: 2, rx_number: '7712345' });
    expect(n.medication).toEqual(w.medication);
    expect(n.record).toEqual(w.record);
    expect(n.needs_review).toBe(w.needs_review);
    expect(n.ocr_text).toContain('METFORMIN HCL 500 MG TABLET');
  });

  it('straightens a tilted label as tesseract.js does, so the re-read of its lines still finds them', async () => {
    const x = await native.extract(await labelImage(LABEL, 4));
    expect(x.medication).toMatchObject({ name: 'Metformin HCl', dosage: '500 mg', quantity: 60 });
    expect(x.needs_review).toBe(false);
  });

  it('gives words with text, confidence and boxes, grouped in lines, through the library and through the command alike', async () => {
    const engines: NativeEngine[] = [];
    try {
      for (const via of ['library', 'process'] as const) engines.push(await createNativeEngine({ binary: binary!, cacheDir, via }));
      const pgm = await linePgm('QTY: 60 REFILLS: 2');
      const [a, b] = await Promise.all(engines.map((e) => e.recognize(pgm)));
      for (const page of [a!, b!]) {
        expect(page.reading.lines).toHaveLength(1);
        const words = page.reading.lines[0]!.words;
        expect(words.map((w) => w.text)).toEqual(['QTY:', '60', 'REFILLS:', '2']);
        for (const w of words) {
          expect(w.confidence).toBeGreaterThan(50);
          expect(w.bbox.x1).toBeGreaterThan(w.bbox.x0);
          expect(w.bbox.y1).toBeGreaterThan(w.bbox.y0);
        }
      }
      expect(a!.reading).toEqual(b!.reading);
      // The library loaded the model once, at start; the command loads it for every call.
      await engines[1]!.recognize(pgm);
      expect(engines.map((e) => e.stats)).toEqual([
        { via: 'library', modelLoads: 1, images: 1 },
        { via: 'process', modelLoads: 2, images: 2 },
      ]);
    } finally {
      await Promise.all(engines.map((e) => e.terminate()));
    }
  });

  it('reads a level page asked to deskew exactly as one read without deskewing', async () => {
    const engine = await createNativeEngine({ binary: binary!, cacheDir, via: 'library' });
    try {
      const { data, info } = await sharp(await labelImage(LABEL)).greyscale().raw().toBuffer({ resolveWithObject: true });
      const pgm = encodePgm(data, info.width, info.height);
      const straightened = await engine.recognize(pgm, { deskew: true });
      const plain = await engine.recognize(pgm);
      expect(straightened.rotateRadians).toBe(0);
      expect(straightened.reading.text).toContain('METFORMIN HCL 500 MG TABLET');
      expect(straightened.reading).toEqual(plain.reading);
    } finally {
      await engine.terminate();
    }
  });

  it('turns a tilted page by what tesseract.js turns it by, and reads it the same', async () => {
    const engines = [await createNativeEngine({ binary: binary!, cacheDir, via: 'library' }), await createTesseractEngine(1, cacheDir)];
    try {
      for (const angle of [3, -4]) {
        const { data, info } = await sharp(await labelImage(LABEL, angle)).greyscale().raw().toBuffer({ resolveWithObject: true });
        const pgm = encodePgm(data, info.width, info.height);
        const [n, w] = await Promise.all(engines.map((e) => e.recognize(pgm, { deskew: true })));
        // Both turn against the tilt (sharp's angle is clockwise, as is theirs), to within a tenth of a degree of each other.
        expect(Math.sign(n!.rotateRadians)).toBe(-Math.sign(angle));
        expect(Math.abs(n!.rotateRadians - w!.rotateRadians)).toBeLessThan(0.002);
        expect(n!.reading.text).toContain('METFORMIN HCL 500 MG TABLET');
        expect(n!.reading.text).toBe(w!.reading.text);
      }
    } finally {
      await Promise.all(engines.map((e) => e.terminate()));
    }
  });

  it('hands Leptonica the very image pixReadMem makes of the PGM (a prepared label page, and every width of padding): every byte and field', async () => {
    const lib = await loadTesseractLibrary();
    if (!lib?.lept) return;
    const koffi = (await import('koffi')).default;
    const lept = koffi.load('liblept.so.5');
    const readMem = lept.func('void *pixReadMem(const uint8_t *data, size_t size)');
    const pixData = lept.func('void *pixGetData(void *pix)');
    const fields = ['Width', 'Height', 'Depth', 'Wpl', 'Spp', 'XRes', 'YRes'].map((f) => lept.func(`int pixGet${f}(void *pix)`));
    const colormap = lept.func('void *pixGetColormap(void *pix)');
    const pixText = lept.func('const char *pixGetText(void *pix)');
    const described = (pix: unknown) => {
      const [width, height, depth, wpl, spp, xres, yres] = fields.map((f) => f(pix) as number);
      const bytes = Buffer.from(koffi.view(pixData(pix), wpl! * 4 * height!));
      return { width, height, depth, wpl, spp, xres, yres, colormap: colormap(pix) === null, text: pixText(pix) ?? null, bytes };
    };
    const page = await preprocessImage(await labelImage(LABEL, 3));
    const images: GreyPixels[] = [page];
    for (const width of [1, 2, 3, 4, 5, 7, 333]) {
      const height = 5;
      images.push({ data: Uint8Array.from({ length: width * height }, (_, i) => (i * 37 + 11) & 255), width, height });
    }
    for (const { data, width, height } of images) {
      const pgm = encodePgm(data, width, height);
      const [a, b] = [readMem(pgm, pgm.length), lib.lept.read(decodePgm(pgm))];
      try {
        const [da, db] = [described(a), described(b)];
        expect(db.bytes.equals(da.bytes)).toBe(true);
        expect({ ...db, bytes: null }).toEqual({ ...da, bytes: null });
        expect(db.width).toBe(width);
      } finally {
        lib.lept.destroy(a);
        lib.lept.destroy(b);
      }
    }
    expect(page.width * page.height).toBeGreaterThan(100_000);
  });

  it('refuses work once terminated', async () => {
    const engine = await createNativeEngine({ binary: binary!, cacheDir });
    await engine.terminate();
    await expect(engine.recognize(await linePgm('X'))).rejects.toThrow(/closed/);
  });
});
