import path from 'node:path';
import sharp from 'sharp';
import { isMissingFile, LocalImageStorage, type ImageStorage } from '@rxscan/service-kit';

/** Large enough to read a label on a tablet beside the fields; a phone photo is 4000 px wide. */
const DISPLAY_MAX_PX = 1600;

/**
 * The copy of a photo that is shown: turned the way the camera was held (EXIF
 * orientation applied), at most 1600 px, and with no metadata at all — the GPS
 * position and camera serial a phone writes stay in the original, which only the
 * OCR worker reads (and replays need, byte for byte).
 */
export async function displayCopyOf(original: Buffer): Promise<Buffer> {
  return sharp(original, { limitInputPixels: 80_000_000 })
    .rotate()
    .resize({ width: DISPLAY_MAX_PX, height: DISPLAY_MAX_PX, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}

/** `job-1.png` → `job-1.jpg`: display copies are always JPEG. */
const copyKeyOf = (originalKey: string) => `${path.parse(originalKey).name}.jpg`;

/** Display copies, made on first view and kept beside the originals (DATA_DIR/display_images). */
export class DisplayImages {
  readonly contentType = 'image/jpeg';
  private readonly copies: LocalImageStorage;

  constructor(
    private readonly originals: ImageStorage,
    copiesDir: string,
  ) {
    this.copies = new LocalImageStorage(copiesDir);
  }

  async read(originalKey: string): Promise<Buffer> {
    const key = copyKeyOf(originalKey);
    try {
      return await this.copies.read(key);
    } catch (err) {
      if (!isMissingFile(err)) throw err;
    }
    const copy = await displayCopyOf(await this.originals.read(originalKey));
    // Two first views at once both write; the rename makes either whole copy the one kept.
    await this.copies.init();
    await this.copies.put(key, copy);
    return copy;
  }

  remove(originalKey: string): Promise<void> {
    return this.copies.remove(copyKeyOf(originalKey));
  }
}
