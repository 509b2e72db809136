import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { httpError } from '@rxscan/service-kit';

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
  // Metadata reads only the header; a cheap look at the end of the file refuses a truncated upload now, not in the worker.
  if (isTruncated(meta.format!, data)) {
    throw httpError(400, 'corrupt_image', 'the image is damaged or incomplete; take the photo again');
  }
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

/**
 * Whether a file stops before its format's end marker (JPEG EOI, PNG IEND, the RIFF
 * length of WebP), or carries something else after it (a polyglot: an image that is
 * also an archive or a page). Cameras may pad a JPEG with zeros or 0xFF; nothing more.
 */
export function isTruncated(format: string, data: Buffer): boolean {
  switch (format) {
    case 'jpeg': {
      const eoi = data.lastIndexOf(Buffer.from([0xff, 0xd9]));
      if (eoi < 0) return true;
      const after = data.subarray(eoi + 2);
      return after.length > 4096 || after.some((b) => b !== 0x00 && b !== 0xff);
    }
    case 'png':
      // IEND chunk: length 0, "IEND", CRC: the last 12 bytes of the file.
      return data.length < 12 || data.subarray(data.length - 8, data.length - 4).toString('latin1') !== 'IEND';
    case 'webp':
      return data.length < 12 || data.readUInt32LE(4) + 8 !== data.length;
    default:
      return false;
  }
}
