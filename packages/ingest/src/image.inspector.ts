import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { httpError } from '@rxscan/service-kit';
import { imageEnd } from './image-end.parser.js';

/** Formats a label photo may come in, by what sharp finds in the bytes, with the extension they are stored under. */
const ACCEPTED: Record<string, { ext: string; type: string }> = {
  jpeg: { ext: 'jpg', type: 'image/jpeg' },
  png: { ext: 'png', type: 'image/png' },
  webp: { ext: 'webp', type: 'image/webp' },
  tiff: { ext: 'tiff', type: 'image/tiff' },
  // sharp's prebuilt libvips reads the HEIF container with AV1 inside (AVIF) but not HEVC (iPhone HEIC).
  heif: { ext: 'avif', type: 'image/avif' },
};

export interface InspectedImage {
  ext: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  /** EXIF orientation when the photo has one (5..8: upright, it is `height` wide). */
  orientation?: number;
}

/**
 * Decides from the bytes alone whether an upload is a photo we can read:
 * the name and the declared content type are not trusted.
 */
export async function inspectImage(data: Buffer, maxPixels: number): Promise<InspectedImage> {
  if (data.length === 0) throw httpError(400, 'empty_file', 'the uploaded file is empty');
  let meta: Metadata;
  try {
    // Only the header is read here; the pixel count is checked below with a clear answer.
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw httpError(400, 'not_an_image', 'the uploaded file is not an image this service can read');
  }
  if (meta.format === 'heif' && meta.compression !== 'av1') {
    throw httpError(415, 'heic_not_supported', 'HEIC photos cannot be read here; set the camera to "Most Compatible" (JPEG) or send a screenshot');
  }
  const accepted = meta.format ? ACCEPTED[meta.format] : undefined;
  if (!accepted) {
    throw httpError(415, 'unsupported_image_type', `images of type ${meta.format ?? 'unknown'} are not accepted; send a JPEG, PNG, WebP, TIFF or AVIF photo`);
  }
  const { width, height } = meta;
  if (!width || !height) throw httpError(400, 'not_an_image', 'the image has no dimensions');
  if (width * height > maxPixels) {
    throw httpError(413, 'image_too_large', `the image is ${width}x${height} pixels; at most ${maxPixels / 1e6} megapixels are accepted`);
  }
  // Metadata reads only the header; the structure walked to its end refuses a truncated upload now, not in the worker,
  // and a polyglot (an image that is also an archive or a page) at all.
  checkStructure(meta.format!, data);
  return {
    ext: accepted.ext,
    contentType: accepted.type,
    width,
    height,
    bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    ...(meta.orientation && meta.orientation >= 1 && meta.orientation <= 8 && meta.orientation !== 1 && { orientation: meta.orientation }),
  };
}

/** Padding some cameras leave after the image: zero (or 0xFF) bytes, a few KB at most. Nothing else may follow. */
const MAX_PADDING = 4096;

/**
 * Walks the image's structure to its real end (image-end.parser.ts): 400 `corrupt_image`
 * when it stops short or is not the structure of its format, 400 `data_after_image`
 * when anything but padding follows the end.
 */
export function checkStructure(format: string, data: Buffer): void {
  const found = imageEnd(format, data);
  if (!found) return;
  if ('problem' in found) {
    throw httpError(400, 'corrupt_image', `the image is damaged or incomplete (${found.detail}); take the photo again`);
  }
  const after = data.subarray(found.end);
  if (after.length === 0 || (after.length <= MAX_PADDING && after.every((b) => b === 0x00 || b === 0xff))) return;
  throw httpError(
    400,
    'data_after_image',
    `the file carries ${after.length} bytes of something else after the end of the ${format.toUpperCase()} image (a motion photo, or a file appended to it); send the photo as a plain image`,
  );
}
