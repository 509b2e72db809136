import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where label photos live. Keys are `<id>.<ext>` and never paths. */
export interface ImageStorage {
  /** Stores the whole image or nothing: once it resolves, the image survives a crash. */
  put(key: string, data: Uint8Array): Promise<void>;
  read(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Whether the store accepts writes now (a readiness check). */
  writable(): Promise<boolean>;
}

const KEY = /^[A-Za-z0-9_-]{1,80}\.[a-z0-9]{2,5}$/;

/** A key that could name a file outside the store. */
export class InvalidImageKeyError extends Error {
  override readonly name = 'InvalidImageKeyError';
  readonly code = 'invalid_image_key';
}

/**
 * Images as files in one folder (DATA_DIR/prescription_images). Writes go to a
 * temporary file that is fsynced and renamed, then the folder is fsynced, so a
 * crash leaves either the whole image or none, never half of one.
 */
export class LocalImageStorage implements ImageStorage {
  constructor(readonly dir: string) {}

  async init(): Promise<this> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    return this;
  }

  /** The file of a key, refusing anything that is not a plain key inside the store. */
  pathOf(key: string): string {
    if (!KEY.test(key)) throw new InvalidImageKeyError(`not an image key: ${JSON.stringify(key)}`);
    const full = path.resolve(this.dir, key);
    if (path.dirname(full) !== path.resolve(this.dir)) throw new InvalidImageKeyError(`key escapes the store: ${key}`);
    return full;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const final = this.pathOf(key);
    const tmp = path.join(this.dir, `.tmp-${randomBytes(8).toString('hex')}-${key}`);
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => {});
      await rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    try {
      await rename(tmp, final);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const dirHandle = await open(this.dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  read(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async writable(): Promise<boolean> {
    try {
      await access(this.dir, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }
}

export const isMissingFile = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === 'ENOENT';
