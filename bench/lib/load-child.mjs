// Load generator, run in its own process so the client does not share an event loop (or a core)
// with the server it measures. Reads its options as JSON on stdin, prints one JSON summary.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const opts = JSON.parse(readFileSync(0, 'utf8'));
const body = opts.bodyFile ? readFileSync(opts.bodyFile) : undefined;
const paths = opts.paths ?? null;
let next = 0;
const t0 = performance.now();

const instance = autocannon({
  url: opts.url,
  method: opts.method ?? 'GET',
  connections: opts.connections,
  amount: opts.amount,
  timeout: opts.timeoutS ?? 30,
  headers: opts.contentType ? { 'content-type': opts.contentType } : {},
  body,
  // Rotate over several paths (job ids) so reads do not all hit one cached row.
  requests: paths ? [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }] : undefined,
});

// autocannon's own histogram keeps whole milliseconds; keep each response's exact time instead,
// apart for the first response on each connection: a busy server can keep a new connection
// waiting far longer than the ones it is already serving, and that should show, not hide.
const latencies = [];
const firstLatencies = [];
const statuses = {};
const connected = new Set();
let rampMs = 0;
let firstSent = Infinity;
let lastAnswered = 0;
instance.on('response', (client, status, _bytes, ms) => {
  const now = performance.now();
  firstSent = Math.min(firstSent, now - ms);
  lastAnswered = now;
  statuses[status] = (statuses[status] ?? 0) + 1;
  const first = !connected.has(client);
  if (first) {
    connected.add(client);
    rampMs = performance.now() - t0;
  }
  if (status === opts.expectStatus) (first ? firstLatencies : latencies).push(ms);
});

instance.on('done', (result) => {
  const ok = latencies.length + firstLatencies.length;
  // autocannon's own duration is in whole seconds (and it finishes on a one-second tick):
  // the rate is over the time requests were actually in flight.
  const seconds = (lastAnswered - firstSent) / 1000;
  process.stdout.write(
    JSON.stringify({
      latencies,
      firstLatencies,
      rampMs,
      statuses,
      ok,
      // autocannon counts timeouts among its errors.
      errors: result.errors,
      unexpected: Object.entries(statuses).reduce((n, [s, c]) => (Number(s) === opts.expectStatus ? n : n + c), 0),
      duration_s: seconds,
      rps: ok / seconds,
    }) + '\n',
  );
});
