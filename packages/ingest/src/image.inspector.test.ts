import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { HttpError } from '@rxscan/service-kit';
import { inspectImage } from './image.inspector.js';

/** A small photo-like picture (noise, so every encoder has real data to write). */
async function picture(): Promise<Sharp> {
  const width = 96;
  const height = 64;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + ((i * i) % 251)) & 0xff;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

const FORMATS: Record<string, (s: Sharp) => Sharp> = {
  JPEG: (s) => s.jpeg(),
  'progressive JPEG with EXIF': (s) => s.withExif({ IFD0: { Copyright: 'x' } }).jpeg({ progressive: true }),
  PNG: (s) => s.png(),
  WebP: (s) => s.webp(),
  'lossless WebP': (s) => s.webp({ lossless: true }),
  TIFF: (s) => s.tiff(),
  'tiled, compressed TIFF': (s) => s.tiff({ tile: true, tileWidth: 32, tileHeight: 32, compression: 'deflate' }),
  AVIF: (s) => s.avif(),
};

const encode = async (name: string) => FORMATS[name]!(await picture()).toBuffer();
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: unknown) => (err instanceof HttpError ? { status: err.status, code: err.code, message: err.message } : err),
  );
const zip = Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000 a zip archive, a page, a script: anything at all');
const page = Buffer.from('<html><script>alert(1)</script></html>');

describe('an image is walked to its real end', () => {
  it.each(Object.keys(FORMATS))('accepts a clean %s', async (name) => {
    const image = await inspectImage(await encode(name), 50e6);
    expect(image).toMatchObject({ width: 96, height: 64 });
  });

  it.each(Object.keys(FORMATS))('refuses a %s with data appended after its end, saying so', async (name) => {
    const clean = await encode(name);
    for (const extra of [zip, page]) {
      const refused = await refusal(inspectImage(Buffer.concat([clean, extra]), 50e6));
      expect(refused).toMatchObject({ status: 400, code: 'data_after_image' });
      expect((refused as { message: string }).message).toMatch(/after the end of the .* image/);
    }
  });

  it('refuses a JPEG whose appended data ends with a second end-of-image marker (a search from the back is fooled)', async () => {
    const clean = await encode('JPEG');
    const refused = await refusal(inspectImage(Buffer.concat([clean, page, Buffer.from([0xff, 0xd9])]), 50e6));
    expect(refused).toMatchObject({ status: 400, code: 'data_after_image' });
  });

  it('refuses a PNG whose appended data ends with a second IEND chunk', async () => {
    const clean = await encode('PNG');
    const iend = clean.subarray(clean.length - 12);
    expect(await refusal(inspectImage(Buffer.concat([clean, zip, iend]), 50e6))).toMatchObject({ status: 400, code: 'data_after_image' });
  });

  it('refuses a WebP whose RIFF size was stretched over appended data', async () => {
    const clean = await encode('WebP');
    const stretched = Buffer.concat([clean, zip.subarray(0, 40)]);
    stretched.writeUInt32LE(stretched.length - 8, 4);
    expect(await refusal(inspectImage(stretched, 50e6))).toMatchObject({ status: 400, code: 'corrupt_image' });
  });

  it.each(['JPEG', 'PNG', 'WebP', 'TIFF', 'AVIF'])('refuses a truncated %s as damaged', async (name) => {
    const clean = await encode(name);
    const refused = await refusal(inspectImage(clean.subarray(0, Math.floor(clean.length * 0.8)), 50e6));
    expect(refused).toMatchObject({ status: 400 });
    expect(['corrupt_image', 'not_an_image']).toContain((refused as { code: string }).code);
  });

  it('accepts the zero padding some cameras leave after a JPEG', async () => {
    const clean = await encode('JPEG');
    await expect(inspectImage(Buffer.concat([clean, Buffer.alloc(512)]), 50e6)).resolves.toMatchObject({ width: 96 });
  });
});
