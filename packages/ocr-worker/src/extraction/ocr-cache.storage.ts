import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OcrEngine, RecognizedPage } from './tesseract.engine.js';

/**
 * Keeps what Tesseract read for an exact image and parameters on disk, so a parser change can be
 * measured again over a split in seconds instead of minutes. For development only (the eval's
 * `--ocr-cache`): the worker never uses it, and the eval never uses it on the validation split.
 */
export function cachedEngine(engine: OcrEngine, dir: string, on: () => boolean = () => true): OcrEngine {
  mkdirSync(dir, { recursive: true });
  return {
    async recognize(image, params = {}) {
      if (!on()) return engine.recognize(image, params);
      const key = createHash('sha1').update(image).update(JSON.stringify(params)).digest('hex');
      const file = join(dir, `${key}.json`);
      if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as RecognizedPage;
      const page = await engine.recognize(image, params);
      writeFileSync(file, JSON.stringify(page));
      return page;
    },
    terminate: () => engine.terminate(),
  };
}
