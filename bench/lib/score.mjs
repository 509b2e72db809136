import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SCORER } from './paths.mjs';
import { runChild } from './scope.mjs';

/**
 * Scores prediction lines with the shared scorer. The scorer counts every truth file in its
 * folder, so a folder holding only the labels that were read is made for it.
 * Resolves with the scorer's JSON, or null when there is no scorer or no truth.
 */
export async function scorePredictions(lines, labels, dir) {
  if (!existsSync(SCORER) || labels.some((l) => !l.truth)) return null;
  const truthDir = path.join(dir, 'truth');
  await mkdir(truthDir, { recursive: true });
  for (const l of labels) await symlink(l.truth, path.join(truthDir, path.basename(l.truth))).catch(() => {});
  const file = path.join(dir, 'predictions.jsonl');
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const { code, stdout, stderr } = await runChild('python3', [SCORER, truthDir, file, '--json']);
  if (code !== 0) throw new Error(`score.py exited with ${code}: ${stderr.slice(-300)}`);
  return JSON.parse(stdout.trim().split('\n').pop());
}
