/** The long side a photo is scaled to before it leaves the tablet: plenty for the reader, a fraction of a camera's bytes. */
export const MAX_LONG_SIDE = 2400;
/** JPEG quality of a scaled photo: small text stays sharp. */
export const JPEG_QUALITY = 0.85;

/** The size a photo of `width`×`height` is sent at: the same when it is small enough, else scaled to `max` on the long side. */
export function scaledSize(width: number, height: number, max = MAX_LONG_SIDE): { width: number; height: number; scaled: boolean } {
  const long = Math.max(width, height);
  if (long <= max || long <= 0) return { width, height, scaled: false };
  const f = max / long;
  return { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)), scaled: true };
}

/** The file name of a photo sent as a JPEG. */
export const jpegName = (fileName: string): string => `${fileName.replace(/\.[^./]*$/, '') || 'photo'}.jpg`;

/**
 * The photo as the tablet sends it: a camera's full-size photo scaled in the browser
 * to at most MAX_LONG_SIDE on the long side and encoded as JPEG, drawn upright (the
 * camera's orientation tag is applied, so the pixels need none). A photo the browser
 * cannot decode (HEIC on some tablets), one already small enough, or one that would
 * not get smaller is sent as it is: the server accepts full-size photos too.
 */
export async function shrinkPhoto(photo: Blob, max = MAX_LONG_SIDE): Promise<{ photo: Blob; scaled: boolean }> {
  if (typeof createImageBitmap !== 'function' || typeof document === 'undefined') return { photo, scaled: false };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(photo, { imageOrientation: 'from-image' });
  } catch {
    return { photo, scaled: false };
  }
  try {
    const size = scaledSize(bitmap.width, bitmap.height, max);
    if (!size.scaled) return { photo, scaled: false };
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const g = canvas.getContext('2d');
    if (!g) return { photo, scaled: false };
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'high';
    g.drawImage(bitmap, 0, 0, size.width, size.height);
    const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
    // Free the canvas's memory at once: a tablet may hold several of these.
    canvas.width = 0;
    canvas.height = 0;
    return jpeg && jpeg.size < photo.size ? { photo: jpeg, scaled: true } : { photo, scaled: false };
  } finally {
    bitmap.close();
  }
}
