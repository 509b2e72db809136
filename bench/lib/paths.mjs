import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository's root, wherever the bench is started from. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED = path.resolve(ROOT, '../shared');
export const SCORER = path.join(SHARED, 'eval/score.py');
