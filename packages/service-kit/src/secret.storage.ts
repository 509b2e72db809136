import { readFile, writeFile } from 'node:fs/promises';

/**
 * Reads a secret kept in a file under DATA_DIR, creating it (mode 0600, readable by
 * this user only) when absent. Two processes starting at once agree on one value: the
 * file is created exclusively and the loser reads the winner's.
 */
export async function loadOrCreateSecret(file: string, make: () => string): Promise<{ value: string; created: boolean }> {
  try {
    return { value: await readFile(file, 'utf8'), created: false };
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
  const value = make();
  try {
    await writeFile(file, value, { mode: 0o600, flag: 'wx' });
    return { value, created: true };
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
    return { value: await readFile(file, 'utf8'), created: false };
  }
}
