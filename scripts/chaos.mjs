// A chaos run against the whole system as `npm start` runs it: a steady stream of uploads
// through web while the run SIGKILLs each worker, med-store and nats-server, fills the data
// disk to the last byte and frees it, and stops and starts the system mid-burst. For each
// fault it reports how long after the fault ended the first upload was accepted again, and
// at the end whether every accepted job completed exactly once.
//
//   npm run chaos                       # 1 upload a second, 2 workers
//   npm run chaos -- --rate=2 --steady=20
//
// The disk fault needs a tmpfs for DATA_DIR (root, or CAP_SYS_ADMIN); without one it is skipped.
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { distinctPhoto, fillDisk, freePort, labelFixture, mountSmallDisk, startSystem, tempDir } from '@rxscan/test-utils';
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rate = arg('rate', 1); // uploads a second
const steadyS = arg('steady', 15); // seconds of calm between faults
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const groupBy = (items, key) => {
  const groups = {};
  for (const item of items) (groups[key(item)] ??= []).push(item);
  return groups;
};
const say = (line) => {
  const text = `[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`;
  console.log(text);
  log?.write(`${text}\n`);
};
let log = null;

/** DATA_DIR on a 256 MB tmpfs, or on the machine's disk (no disk fault) where tmpfs cannot be mounted. */
async function dataDisk() {
  const small = await mountSmallDisk(256);
  if (typeof small !== 'string') return { dir: small.dir, tmpfs: true, remove: small.unmount };
  say(`${small}: the disk fault is skipped`);
  const t = await tempDir('rxscan-chaos-');
  return { dir: t.path, tmpfs: false, remove: t.remove };
}

const disk = await dataDisk();
// Everything the system prints, and every upload's answer, as it happens: what to read when a fault does not heal.
const logFile = path.join(os.tmpdir(), `rxscan-chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
log = createWriteStream(logFile);
const onLine = (line) => log.write(`${line}\n`);
const port = await freePort();
const env = { OCR_WORKERS: '2', MIN_FREE_DISK_MB: '32', PORT: String(port), START_QUIET: '0' };
const outputs = [];
let sys = await startSystem({ dataDir: disk.dir, env, timeoutMs: 180_000, onLine });
outputs.push(sys.output);
const photo = await readFile(labelFixture('dev-000-clean').image);
const auth = (await sys.pair()).headers;
const url = sys.url;
say(`log: ${logFile}`);
say(`system at ${url}, DATA_DIR ${disk.dir}${disk.tmpfs ? ' (tmpfs, 256 MB, reserve 32 MB)' : ''}, ${rate} upload/s`);

// The tablet: one upload every 1/rate s, each recorded with when it was sent and answered.
const uploads = [];
let uploading = true;
const uploader = (async () => {
  while (uploading) {
    const sentAt = Date.now();
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(distinctPhoto(photo))], { type: 'image/jpeg' }), 'label.jpg');
    const rec = { sentAt, doneAt: 0, status: 0, code: null, jobId: null };
    try {
      const res = await fetch(`${url}/meds/extract`, { method: 'POST', body: form, headers: auth, signal: AbortSignal.timeout(30_000) });
      const body = await res.json().catch(() => ({}));
      Object.assign(rec, { status: res.status, code: body.error?.code ?? null, jobId: res.status === 202 ? body.job_id : null });
    } catch (err) {
      rec.code = err.cause?.code ?? err.name;
    }
    rec.doneAt = Date.now();
    uploads.push(rec);
    log.write(`[upload] sent ${new Date(sentAt).toISOString()} ${rec.doneAt - sentAt} ms ${rec.status} ${rec.code ?? rec.jobId}\n`);
    await sleep(Math.max(0, 1000 / rate - (Date.now() - sentAt)));
  }
})();

const runtime = async () => JSON.parse(await readFile(path.join(disk.dir, 'runtime.json'), 'utf8'));
const results = [];
/** Time from `end` to the first upload sent after it that was accepted. */
async function recovery(name, start, end) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = uploads.find((u) => u.sentAt >= end && u.status === 202);
    if (ok) {
      const during = uploads.filter((u) => u.sentAt >= start && u.sentAt < ok.sentAt && u.status !== 202);
      const refused = Object.entries(groupBy(during, (u) => `${u.status}${u.code ? ` ${u.code}` : ''}`)).map(([k, v]) => `${v.length}×${k}`).join(', ');
      results.push({ fault: name, faultSeconds: (end - start) / 1000, acceptedAgainAfterS: (ok.doneAt - end) / 1000, refusedDuring: refused || 'none' });
      say(`${name}: first upload accepted ${((ok.doneAt - end) / 1000).toFixed(1)} s after the fault ended (refused until then: ${refused || 'none'})`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`${name}: no upload accepted within 120 s of the fault ending`);
    await sleep(100);
  }
}
async function kill(name) {
  const pid = (await runtime()).pids[name];
  const at = Date.now();
  process.kill(pid, 'SIGKILL');
  say(`SIGKILL ${name} (pid ${pid})`);
  await recovery(`${name} SIGKILL`, at, at);
}

try {
  await sleep(steadyS * 1000);
  await kill('ocr-worker-1');
  await sleep(steadyS * 1000);
  await kill('ocr-worker-2');
  await sleep(steadyS * 1000);
  await kill('med-store');
  await sleep(steadyS * 1000);
  await kill('nats-server');
  await sleep(steadyS * 1000);
  if (disk.tmpfs) {
    const filledAt = Date.now();
    const filler = await fillDisk(disk.dir);
    say('data disk filled to the last byte; keeping it full for 20 s');
    await sleep(20_000);
    await rm(filler);
    const freedAt = Date.now();
    say('data disk freed');
    await recovery('disk full 20 s, then freed', filledAt, freedAt);
    await sleep(steadyS * 1000);
  }
  {
    const stoppedAt = Date.now();
    say('Ctrl-C mid-burst');
    const code = await sys.stop();
    say(`stopped with ${code}; starting again on the same DATA_DIR`);
    sys = await startSystem({ dataDir: disk.dir, env, timeoutMs: 180_000, onLine });
    outputs.push(sys.output);
    const runningAt = Date.now();
    await recovery('stop (Ctrl-C) and start again', stoppedAt, runningAt);
  }
  await sleep(steadyS * 1000);
} catch (err) {
  say(`${err.message}; stopping (see ${logFile})`);
  uploading = false;
  await uploader;
  await sys.stop();
  await disk.remove();
  log.end();
  process.exit(1);
}
uploading = false;
await uploader;

// Every accepted job, followed to its end.
const accepted = uploads.filter((u) => u.status === 202).map((u) => u.jobId);
say(`${accepted.length} uploads accepted of ${uploads.length}; waiting for every job to end`);
const ended = new Map();
const waitStart = Date.now();
while (ended.size < accepted.length && Date.now() - waitStart < 30 * 60_000) {
  for (const id of accepted) {
    if (ended.has(id)) continue;
    const res = await fetch(`${url}/meds/extract/${id}/status`, { headers: auth }).catch(() => null);
    if (res?.status === 404) ended.set(id, 'not found (404)');
    if (res?.status !== 200) continue;
    const view = await res.json();
    if (view.status === 'completed' || view.status === 'failed') ended.set(id, view.status);
  }
  if (ended.size < accepted.length) await sleep(2000);
}
const meds = await (await fetch(`${url}/meds/medications`, { headers: auth })).json();
const medsByJob = groupBy(meds, (m) => m.source_job_id);
const completions = new Map();
for (const line of outputs.flat()) {
  const m = /^\[ocr-worker[^\]]*\] (\{.*\})$/.exec(line);
  const entry = m ? JSON.parse(m[1]) : null;
  if (entry?.msg === 'job completed') completions.set(entry.job_id, (completions.get(entry.job_id) ?? 0) + 1);
}
const notCompleted = accepted.filter((id) => ended.get(id) !== 'completed');
const notOnce = accepted.filter((id) => (medsByJob[id]?.length ?? 0) !== 1);
const readTwice = accepted.filter((id) => (completions.get(id) ?? 0) > 1);
await sys.stop();
await disk.remove();
log.end();

console.log('\n| fault | fault lasted | first upload accepted after the fault ended | uploads refused from the fault until then |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.fault} | ${r.faultSeconds.toFixed(1)} s | ${r.acceptedAgainAfterS.toFixed(1)} s | ${r.refusedDuring} |`);
console.log(`\n${accepted.length} uploads accepted (of ${uploads.length} sent); completed: ${accepted.length - notCompleted.length}; ` +
  `not completed: ${notCompleted.length}${notCompleted.length ? ` (${notCompleted.slice(0, 5).map((id) => `${id}: ${ended.get(id) ?? 'no end'}`).join('; ')})` : ''}; ` +
  `without exactly one medication: ${notOnce.length}; read to the end more than once: ${readTwice.length}` +
  (readTwice.length ? ' (a job in flight when nats-server is SIGKILLed can be delivered again: its result carries the same message id, so it is stored and projected once)' : ''));
const worst = Math.max(...results.map((r) => r.acceptedAgainAfterS));
const healed = worst <= 10 && notCompleted.length === 0 && notOnce.length === 0;
console.log(healed ? `healed by itself from every fault (slowest: ${worst.toFixed(1)} s)` : `did NOT heal as required (slowest: ${worst.toFixed(1)} s)`);
process.exit(healed ? 0 : 1);
