import { readdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';

/** Bytes free on the disk holding `dir`, for a writer without root's reserved blocks. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Bytes the files under `dir` hold (the NATS store: a few dozen files). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += await stat(path.join(entry.parentPath, entry.name)).then((s) => s.size, () => 0);
  }
  return total;
}
