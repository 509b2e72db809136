// `npm run bench`: measures the scanner on this machine and prints a table (or, with --json,
// one JSON object as the last line of stdout), and writes bench-results/latest.json.
//   --quick       the same measures, smaller (under 3 minutes on 2 cores)
//   --tiny        2 photos and token counts (also BENCH_TINY=1); for the test
//   --json        print the result as one JSON line
//   --only=a,b    only these measures (accept, status, ocr, engines, throughput, push, projection, memory, priority)
//   --labels=N    at most N corpus labels (every capture condition kept), e.g. --only=engines --labels=8
//   --out FILE    where to write the result (default bench-results/latest.json)
// Progress goes to stderr. Everything started is stopped and every temp dir removed, also on failure or Ctrl-C.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measureAccept } from './accept.mjs';
import { loadCorpus } from './lib/corpus.mjs';
import { progress } from './lib/log.mjs';
import { ROOT } from './lib/paths.mjs';
import { planFor } from './lib/plan.mjs';
import { formatTable, REQUIRED_KEYS } from './lib/report.mjs';
import { closeAll, createScope, withScope } from './lib/scope.mjs';
import { measureMemory } from './memory.mjs';
import { measureEngines } from './engines.mjs';
import { measureOcr } from './ocr.mjs';
import { measureProjection } from './projection.mjs';
import { measurePriority } from './priority.mjs';
import { measurePush } from './push.mjs';
import { measureStatus } from './status.mjs';
import { measureThroughput } from './throughput.mjs';

const MEASURES = {
  accept: measureAccept,
  status: measureStatus,
  ocr: measureOcr,
  engines: measureEngines,
  throughput: measureThroughput,
  push: measurePush,
  projection: measureProjection,
  memory: measureMemory,
  priority: measurePriority,
};

function parseArgs(argv) {
  const opts = { quick: false, tiny: process.env.BENCH_TINY === '1', json: false, only: null, out: path.join(ROOT, 'bench-results/latest.json') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--quick') opts.quick = true;
    else if (flag === '--tiny') opts.tiny = true;
    else if (flag === '--json') opts.json = true;
    else if (flag === '--only') opts.only = new Set(value().split(','));
    else if (flag === '--out') opts.out = path.resolve(value());
    else if (flag === '--labels') opts.labels = Number(value());
    else throw new Error(`unknown option ${argv[i]} (see the top of bench/run.mjs)`);
  }
  for (const name of opts.only ?? []) if (!MEASURES[name]) throw new Error(`no measure named ${name}`);
  if (opts.tiny) opts.quick = true;
  return opts;
}

const loadAvg = () => Math.round(os.loadavg()[0] * 100) / 100;
// The load average says how much else the machine was doing: these figures are only comparable at like load.
const machine = (loadAtStart) => ({
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? null,
  memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  load_avg_1m_start: loadAtStart,
  load_avg_1m_end: loadAvg(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
});

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const plan = planFor(opts);
  if (opts.labels > 0) plan.labels = Math.min(plan.labels, opts.labels);
  const corpus = loadCorpus(plan.labels);
  const mode = opts.tiny ? 'tiny' : opts.quick ? 'quick' : 'full';
  progress(`${mode} run over ${corpus.labels.length} labels from ${corpus.dir}`);
  const run = createScope('run'); // the oldest scope: closed last, also by closeAll() on a signal
  const tmpRoot = await mkdtemp(path.join(process.env.BENCH_TMPDIR ?? os.tmpdir(), 'rxscan-bench-'));
  run.defer(() => rm(tmpRoot, { recursive: true, force: true }));
  const started = Date.now();
  const loadAtStart = loadAvg();
  const values = Object.fromEntries(REQUIRED_KEYS.map((k) => [k, null]));
  const rows = [];
  const errors = {};
  try {
    for (const [name, measure] of Object.entries(MEASURES)) {
      if (opts.only && !opts.only.has(name)) continue;
      const t0 = Date.now();
      try {
        const tmp = path.join(tmpRoot, name);
        await mkdir(tmp, { recursive: true });
        const r = await withScope(name, (scope) => measure({ scope, plan, corpus, tmp, say: progress }));
        Object.assign(values, r.values);
        rows.push(...r.rows);
        progress(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (err) {
        // One broken measure should not cost the others: report it and go on.
        errors[name] = err?.message ?? String(err);
        rows.push([name, 'FAILED', errors[name].split('\n')[0]]);
        progress(`${name} failed: ${err?.stack ?? err}`);
      }
    }
  } finally {
    await run.close();
  }

  const result = {
    ...values,
    mode,
    date: new Date().toISOString(),
    duration_s: Math.round((Date.now() - started) / 100) / 10,
    corpus: { source: corpus.source, labels: corpus.labels.length },
    machine: machine(loadAtStart),
    errors,
  };
  await mkdir(path.dirname(opts.out), { recursive: true });
  await writeFile(opts.out, JSON.stringify(result, null, 2) + '\n');
  if (opts.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    const m = result.machine;
    process.stdout.write(`RxScan bench (${mode}), ${m.cores} cores, ${m.memory_gb} GB, Node ${m.node}, load ${m.load_avg_1m_start} → ${m.load_avg_1m_end}, ${result.duration_s} s\n\n`);
    process.stdout.write(formatTable([['measure', 'figure', 'detail'], ...rows]) + `\n\nwritten to ${path.relative(process.cwd(), opts.out)}\n`);
  }
  return Object.keys(errors).length === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    progress(`${signal}: stopping everything the bench started`);
    void closeAll().finally(() => process.exit(130));
  });
}
main().then(
  (code) => process.exit(code),
  async (err) => {
    process.stderr.write(`[bench] ${err?.stack ?? err}\n`);
    await closeAll();
    process.exit(2);
  },
);
