import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A label photo from tests/fixtures/labels with its printed truth. */
export const labelFixture = (name: string) => ({
  image: path.join(REPO_ROOT, 'tests/fixtures/labels', `${name}.jpg`),
  truth: path.join(REPO_ROOT, 'tests/fixtures/labels', `${name}.json`),
});

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'rxscan-test-'): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

let photoCount = 0;

/**
 * The same JPEG with different bytes: a comment segment (COM) after the start marker, which
 * every decoder skips. ingest answers a photo it has seen (same SHA-256) with the earlier
 * job, so a test that means to send a new photo of the same label sends one of these.
 */
export function distinctPhoto(jpeg: Uint8Array, tag = `rxscan-test-${process.pid}-${++photoCount}-${Date.now()}`): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('distinctPhoto takes a JPEG');
  const text = Buffer.from(tag, 'latin1');
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]), text]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}
