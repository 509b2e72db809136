import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What `npm start` tells the `ops` commands about the system it runs (DATA_DIR/runtime.json, mode 0600). */
export interface RuntimeInfo {
  pid: number;
  started_at: string;
  nats_url: string;
  database_url: string;
  urls: { web: string; ingest: string; med_store: string };
  /** Each service's Prometheus scrape URL, by service name (every worker included). */
  metrics?: Record<string, string>;
  /** Current process id of each service, by name (updated on every restart). */
  pids: Record<string, number | undefined>;
}

export const runtimeFile = (dataDir: string) => path.join(dataDir, 'runtime.json');

export const writeRuntime = (dataDir: string, info: RuntimeInfo) =>
  writeFile(runtimeFile(dataDir), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });

export async function readRuntime(dataDir: string): Promise<RuntimeInfo | null> {
  try {
    return JSON.parse(await readFile(runtimeFile(dataDir), 'utf8')) as RuntimeInfo;
  } catch {
    return null;
  }
}

export const removeRuntime = (dataDir: string) => rm(runtimeFile(dataDir), { force: true });

/**
 * Whether `pid` is a live process whose command line mentions `marker` (so a pid the
 * system has since given to something else is not mistaken for ours). Without /proc,
 * alive is enough.
 */
export function runningAs(pid: number | undefined, marker: string): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return !existsSync('/proc/self');
  }
}
