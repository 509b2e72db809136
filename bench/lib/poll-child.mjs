// Pollers, run in their own process: `pollers` clients, each on its own keep-alive connection
// (as each tablet has), asking for one status every `intervalMs`, their start spread over one
// interval as real tablets' are. autocannon's connectionRate fires every connection on the
// same tick, which measures a 200-request burst, not 200 pollers. Reads JSON on stdin, prints
// one JSON summary.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const { url, pollers, intervalMs, rounds, paths } = JSON.parse(readFileSync(0, 'utf8'));
const latencies = [];
const statuses = {};
let errors = 0;

function get(agent, path) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(new URL(path, url), { agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.once('end', () => {
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode === 200) latencies.push(performance.now() - t0);
        resolve();
      });
    });
    req.once('error', () => {
      errors += 1;
      resolve();
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
  });
}

async function poller(i) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await new Promise((r) => setTimeout(r, (i * intervalMs) / pollers));
  const start = performance.now();
  for (let n = 0; n < rounds; n++) {
    await get(agent, paths[(i + n * pollers) % paths.length]);
    const next = start + (n + 1) * intervalMs;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  agent.destroy();
}

const t0 = performance.now();
await Promise.all(Array.from({ length: pollers }, (_, i) => poller(i)));
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ latencies, statuses, errors, rps: latencies.length / seconds }) + '\n');
