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
