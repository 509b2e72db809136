import sharp, { type Metadata } from 'sharp';
import { UnreadableImageError } from './extraction.errors.js';
import type { Region } from './label.region.js';

/** Tunable preprocessing; pure data so variants can be measured against the corpus. */
export interface PreprocessParams {
  /** Images whose longer side is below this are upscaled to it (small text reads badly). */
  minLongSide: number;
  /** Images whose longer side is above this are downscaled (time grows with pixels). */
  maxLongSide: number;
  normalise: boolean;
  /** Local contrast (CLAHE) tile size in px, 0 = off; evens out glare and shadow before Tesseract's global threshold. */
  clahe: number;
  /** Unsharp-mask sigma, 0 = off. */
  sharpen: number;
  /** Median filter size (odd), 0 = off; removes JPEG and sensor speckle. */
  median: number;
  /** Extra enlargement after the size limits (1 = none): set from the text height a first read found. */
  scale?: number;
}

export const DEFAULT_PREPROCESS: PreprocessParams = {
  minLongSide: 1200,
  maxLongSide: 2400,
  normalise: true,
  clahe: 0,
  sharpen: 0,
  median: 0,
};

/** Never enlarge past this: recognition time grows with pixels. */
const MAX_LONG_SIDE = 3200;

/** One-channel 8-bit pixels, row by row. */
export interface GreyPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The grey pixels Tesseract will read, and the same bytes as a file it can load. */
export interface PreparedImage extends GreyPixels {
  /** Binary PGM: no compression to pay for on either side; `data` is a view into it. */
  pgm: Buffer;
}

/**
 * Binary PGM (P5) of one-channel pixels. The header carries a comment of padding because
 * tesseract.js scans an image's first 500 bytes for an EXIF orientation tag, and pixel bytes
 * must never be taken for one.
 */
export function encodePgm(data: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.from(`P5\n#${' '.repeat(500)}\n${width} ${height}\n255\n`, 'latin1');
  return Buffer.concat([header, data]);
}

function prepared(data: Uint8Array, width: number, height: number): PreparedImage {
  const pgm = encodePgm(data, width, height);
  return { pgm, data: pgm.subarray(pgm.length - data.length), width, height };
}

/**
 * The image turned as Tesseract turns it when it deskews (about the centre, same size, white
 * brought in at the corners), so the boxes it reports can be cut from our own pixels instead of
 * asking it to encode the image it saw as a PNG. Matches its image to within ~3/255 per pixel.
 */
export async function turnedLikeTesseract(img: GreyPixels, radians: number): Promise<GreyPixels> {
  if (radians === 0) return img;
  const raw = { width: img.width, height: img.height, channels: 1 as const };
  const big = await sharp(img.data, { raw }).rotate((radians * 180) / Math.PI, { background: '#ffffff' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const left = Math.floor((big.info.width - img.width) / 2);
  const top = Math.floor((big.info.height - img.height) / 2);
  const data = await sharp(big.data, { raw: { width: big.info.width, height: big.info.height, channels: 1 } })
    .extract({ left, top, width: img.width, height: img.height })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { data, width: img.width, height: img.height };
}

/** Decodes, EXIF-rotates, sizes, greys and cleans an image for Tesseract; throws UnreadableImageError. */
export async function preprocessImage(input: Buffer, params: PreprocessParams = DEFAULT_PREPROCESS, region: Region | null = null): Promise<PreparedImage> {
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (cause) {
    throw new UnreadableImageError('not_an_image', 'the file is not an image that can be decoded', { cause });
  }
  if (!meta.width || !meta.height) throw new UnreadableImageError('not_an_image', 'the image has no dimensions');
  // EXIF orientation 5..8 swaps width and height after rotate().
  const swapped = (meta.orientation ?? 1) >= 5;
  const w = region?.width ?? (swapped ? meta.height : meta.width);
  const h = region?.height ?? (swapped ? meta.width : meta.height);
  const longSide = Math.max(w, h);
  let scale = 1;
  if (longSide < params.minLongSide) scale = params.minLongSide / longSide;
  else if (longSide > params.maxLongSide) scale = params.maxLongSide / longSide;
  if (params.scale && params.scale !== 1) scale = Math.min(scale * params.scale, MAX_LONG_SIDE / longSide);
  try {
    let img = sharp(input).rotate();
    if (region) img = sharp(await img.extract(region).toBuffer());
    if (scale !== 1) img = img.resize({ width: Math.round(w * scale), height: Math.round(h * scale), kernel: 'lanczos3' });
    img = img.greyscale().toColourspace('b-w'); // one channel: what Tesseract reads, and what PGM holds
    if (params.median > 0) img = img.median(params.median);
    if (params.clahe > 0) img = img.clahe({ width: params.clahe, height: params.clahe, maxSlope: 3 });
    if (params.normalise) img = img.normalise();
    if (params.sharpen > 0) img = img.sharpen({ sigma: params.sharpen });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    return prepared(data, info.width, info.height);
  } catch (cause) {
    const tooLarge = cause instanceof Error && /pixel limit/i.test(cause.message);
    throw new UnreadableImageError(tooLarge ? 'image_too_large' : 'image_decode_failed', 'the image could not be decoded', { cause });
  }
}
