import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Contexts of the `nats` CLI: `$XDG_CONFIG_HOME/nats/context/NAME.json` (else
 * `~/.config/nats/…`), the selected one named in `nats/context.txt`, the one before it in
 * `previous-context.txt` — the files `nats context save|select` writes, with its fields.
 */
export interface NatsContext {
  description: string;
  url: string;
  user: string;
  password: string;
}

type Env = Record<string, string | undefined>;

const configDir = (env: Env) => path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'nats');
export const natsContextFile = (name: string, env: Env = process.env) => path.join(configDir(env), 'context', `${name}.json`);

/** The names the CLI accepts: no path separators, no `..`. */
export function checkContextName(name: string): string {
  if (!name || name.includes('..') || name.includes('/') || name.includes(path.sep)) throw new Error(`not a context name: "${name}"`);
  return name;
}

/** Where RxScan notes the contexts it wrote for a DATA_DIR, so `npm start` can keep their URL current. */
const registryFile = (dataDir: string) => path.join(dataDir, 'nats-contexts.json');

async function registered(dataDir: string): Promise<string[]> {
  try {
    return JSON.parse(await readFile(registryFile(dataDir), 'utf8')) as string[];
  } catch {
    return [];
  }
}

/** Writes the context (mode 0600, folder 0700), selects it unless told not to, and registers it for `dataDir`. */
export async function saveNatsContext(
  name: string,
  context: NatsContext,
  opts: { select: boolean; dataDir: string; env?: Env },
): Promise<{ file: string; selected: boolean }> {
  const env = opts.env ?? process.env;
  const file = natsContextFile(checkContextName(name), env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(context, null, 2)}\n`, { mode: 0o600 });
  if (opts.select) {
    const current = await readFile(path.join(configDir(env), 'context.txt'), 'utf8').then((t) => t.trim(), () => '');
    if (current && current !== name) await writeFile(path.join(configDir(env), 'previous-context.txt'), current, { mode: 0o600 });
    await writeFile(path.join(configDir(env), 'context.txt'), name, { mode: 0o600 });
  }
  const known = await registered(opts.dataDir);
  if (!known.includes(file)) await writeFile(registryFile(opts.dataDir), `${JSON.stringify([...known, file], null, 2)}\n`, { mode: 0o600 });
  return { file, selected: opts.select };
}

/**
 * Called by `npm start` once its nats-server runs on a new port: every context written
 * for this DATA_DIR gets the new URL (and the current password), so `nats …` keeps working.
 * Returns the files updated; a context removed or rewritten by hand for another user is left alone.
 */
export async function refreshNatsContexts(dataDir: string, url: string, creds: { user: string; password: string }): Promise<string[]> {
  const updated: string[] = [];
  for (const file of await registered(dataDir)) {
    try {
      const ctx = JSON.parse(await readFile(file, 'utf8')) as NatsContext;
      if (ctx.user !== creds.user) continue;
      await writeFile(file, `${JSON.stringify({ ...ctx, url, password: creds.password }, null, 2)}\n`, { mode: 0o600 });
      updated.push(file);
    } catch {
      // gone or unreadable: nothing to keep current
    }
  }
  return updated;
}
