import sharp, { type Metadata } from 'sharp';
import { UnreadableImageError } from './extraction.errors.js';

/** Tunable preprocessing; pure data so variants can be measured against the corpus. */
export interface PreprocessParams {
  /** Images whose longer side is below this are upscaled to it (small text reads badly). */
  minLongSide: number;
  /** Images whose longer side is above this are downscaled (time grows with pixels). */
  maxLongSide: number;
  greyscale: boolean;
  normalise: boolean;
  /** Local contrast (CLAHE) tile size in px, 0 = off; evens out glare and shadow before Tesseract's global threshold. */
  clahe: number;
  /** Unsharp-mask sigma, 0 = off. */
  sharpen: number;
  /** Median filter size (odd), 0 = off; removes JPEG and sensor speckle. */
  median: number;
}

export const DEFAULT_PREPROCESS: PreprocessParams = {
  minLongSide: 1200,
  maxLongSide: 2400,
  greyscale: true,
  normalise: true,
  clahe: 0,
  sharpen: 0,
  median: 0,
};

export interface PreparedImage {
  png: Buffer;
  width: number;
  height: number;
}

/** Decodes, EXIF-rotates, sizes and cleans an image for Tesseract; throws UnreadableImageError. */
export async function preprocessImage(input: Buffer, params: PreprocessParams = DEFAULT_PREPROCESS): Promise<PreparedImage> {
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (cause) {
    throw new UnreadableImageError('not_an_image', 'the file is not an image that can be decoded', { cause });
  }
  if (!meta.width || !meta.height) throw new UnreadableImageError('not_an_image', 'the image has no dimensions');
  // EXIF orientation 5..8 swaps width and height after rotate().
  const swapped = (meta.orientation ?? 1) >= 5;
  const w = swapped ? meta.height : meta.width;
  const h = swapped ? meta.width : meta.height;
  const longSide = Math.max(w, h);
  let scale = 1;
  if (longSide < params.minLongSide) scale = params.minLongSide / longSide;
  else if (longSide > params.maxLongSide) scale = params.maxLongSide / longSide;
  try {
    let img = sharp(input).rotate();
    if (scale !== 1) img = img.resize({ width: Math.round(w * scale), height: Math.round(h * scale), kernel: 'lanczos3' });
    if (params.greyscale) img = img.greyscale().toColourspace('b-w');
    if (params.median > 0) img = img.median(params.median);
    if (params.clahe > 0) img = img.clahe({ width: params.clahe, height: params.clahe, maxSlope: 3 });
    if (params.normalise) img = img.normalise();
    if (params.sharpen > 0) img = img.sharpen({ sigma: params.sharpen });
    const { data, info } = await img.png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (cause) {
    const tooLarge = cause instanceof Error && /pixel limit/i.test(cause.message);
    throw new UnreadableImageError(tooLarge ? 'image_too_large' : 'image_decode_failed', 'the image could not be decoded', { cause });
  }
}
