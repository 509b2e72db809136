import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { envOptional, envString } from '@rxscan/service-kit';
import { credentialsFile, type NatsCredentials } from './nats-auth.storage.js';
import { saveNatsContext } from './nats-context.storage.js';
import { readRuntime } from './runtime.storage.js';

type Env = Record<string, string | undefined>;

/**
 * `ops nats-context [--name rxscan] [--no-select]`: a `nats` CLI context for the operator
 * account of the system `npm start` runs (its URL from runtime.json, the `ops` user's
 * password from nats-auth.json), or for NATS_URL / NATS_USER / NATS_PASSWORD when set.
 */
export async function natsContextCommand(args: string[], print: (line: string) => void, env: Env = process.env): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string', default: 'rxscan' }, 'no-select': { type: 'boolean', default: false } } });
  const dataDir = path.resolve(envString(env, 'DATA_DIR', './data'));
  let url: string;
  let user: string;
  let password: string;
  const own = envOptional(env, 'NATS_URL');
  if (own) {
    url = own;
    user = envOptional(env, 'NATS_USER') ?? '';
    password = envOptional(env, 'NATS_PASSWORD') ?? '';
  } else {
    const runtime = await readRuntime(dataDir);
    if (!runtime) throw new Error(`no running RxScan in ${dataDir} (no runtime.json): start it with npm start, or set NATS_URL, NATS_USER and NATS_PASSWORD`);
    url = runtime.nats_url;
    const creds = JSON.parse(await readFile(credentialsFile(dataDir), 'utf8')) as NatsCredentials;
    ({ user, password } = creds.ops);
  }
  const name = values.name!;
  const select = !values['no-select'];
  const { file } = await saveNatsContext(
    name,
    { description: `RxScan operator (${dataDir}); written by ops nats-context, its URL kept current by npm start`, url, user, password },
    { select, dataDir, env },
  );
  print(`nats context "${name}" written to ${file} (mode 0600): ${url} as ${user || '(no user)'}`);
  print(select ? `selected: every nats command now uses it, e.g.  nats stream info OCR` : `use it with:  nats --context ${name} stream info OCR`);
  return 0;
}
