import { execFile } from 'node:child_process';
import { mkdtemp, open, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallDisk {
  /** Where it is mounted: a DATA_DIR that can be filled without touching the machine's disk. */
  dir: string;
  unmount(): Promise<void>;
}

/**
 * A tmpfs of `sizeMb` on a fresh temporary folder; or, where the machine does not allow
 * mounting (not root, no CAP_SYS_ADMIN), a string saying why.
 */
export async function mountSmallDisk(sizeMb: number): Promise<SmallDisk | string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rxscan-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'rxscan-test-disk', dir]);
  } catch (err) {
    await rmdir(dir).catch(() => {});
    const why = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    return `cannot mount a tmpfs for DATA_DIR here (needs root or CAP_SYS_ADMIN): ${why}`;
  }
  return {
    dir,
    unmount: async () => {
      await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
      await rmdir(dir).catch(() => {});
    },
  };
}

/** Writes a file in `dir` until its disk refuses another byte; returns the file's path (remove it to free the space). */
export async function fillDisk(dir: string): Promise<string> {
  const file = path.join(dir, 'filler.bin');
  const fh = await open(file, 'w');
  try {
    for (const size of [1024 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          await fh.write(chunk);
        } catch (err) {
          if ((err as { code?: string }).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    await fh.close().catch(() => {});
  }
  return file;
}
