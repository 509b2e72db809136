import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './scope.mjs';
import { round, summarize } from './stats.mjs';

const CHILD = fileURLToPath(new URL('./load-child.mjs', import.meta.url));
let bodies = 0;

/**
 * Runs `amount` requests at `connections` concurrent connections with autocannon in a child
 * process. Latency is from each response whose status is `expectStatus`; every other outcome
 * (connection error, timeout, another status) counts as an error. Percentiles are over every
 * request; `later_*` leave out each connection's first, `first_*` are only those.
 */
/**
 * @param {{ url: string, method?: string, connections: number, amount: number, body?: Buffer, contentType?: string,
 *   paths?: string[], expectStatus?: number, tmp: string }} options
 */
export async function loadTest({ url, method = 'GET', connections, amount, body, contentType, paths, expectStatus = 200, tmp }) {
  let bodyFile;
  if (body) {
    bodyFile = path.join(tmp, `body-${bodies++}.bin`);
    await writeFile(bodyFile, body);
  }
  const input = JSON.stringify({ url, method, connections: Math.min(connections, amount), amount, bodyFile, contentType, paths, expectStatus });
  const { code, stdout, stderr } = await runChild(process.execPath, [CHILD], { input });
  if (code !== 0) throw new Error(`load generator exited with ${code}: ${stderr.slice(-500)}`);
  const r = JSON.parse(stdout.trim().split('\n').pop());
  const s = summarize([...r.latencies, ...r.firstLatencies], 2);
  const later = summarize(r.latencies, 2);
  const first = summarize(r.firstLatencies, 2);
  return {
    connections,
    requests: amount,
    p50_ms: s.p50,
    p90_ms: s.p90,
    p99_ms: s.p99,
    max_ms: s.max,
    // Requests on a connection that had already been answered once, and the first on each.
    later_p50_ms: later.p50,
    later_p99_ms: later.p99,
    first_p50_ms: first.p50,
    first_max_ms: first.max,
    /** From the start until the last connection had its first answer. */
    ramp_ms: round(r.rampMs, 0),
    rps: round(r.rps, 0),
    errors: r.errors + r.unexpected,
    statuses: r.statuses,
  };
}

const POLL_CHILD = fileURLToPath(new URL('./poll-child.mjs', import.meta.url));

/** `pollers` clients each asking once every `intervalMs` for `rounds` rounds, spread over the interval. */
export async function pollTest({ url, pollers, intervalMs, rounds, paths }) {
  const { code, stdout, stderr } = await runChild(process.execPath, [POLL_CHILD], { input: JSON.stringify({ url, pollers, intervalMs, rounds, paths }) });
  if (code !== 0) throw new Error(`pollers exited with ${code}: ${stderr.slice(-500)}`);
  const r = JSON.parse(stdout.trim().split('\n').pop());
  const s = summarize(r.latencies, 2);
  const unexpected = Object.entries(r.statuses).reduce((n, [status, c]) => (Number(status) === 200 ? n : n + c), 0);
  return { requests: pollers * rounds, p50_ms: s.p50, p99_ms: s.p99, max_ms: s.max, rps: round(r.rps, 0), errors: r.errors + unexpected };
}
