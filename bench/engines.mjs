// 3b. The two recognition engines side by side (OCR_ENGINE=native and wasm), the whole extraction
// pipeline on each, in the same run: per label median and p90, CPU-seconds per label (this
// process and, for native, its tesseract children), labels per minute with one and two at once,
// and each engine's accuracy and silent errors on the corpus. Beside them the bare native CLI
// (one call per label, same model) and what one Tesseract process costs before it reads anything
// (the model load every native call pays).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createExtractor, findTesseractBinary, needsReview, parseLabel, predictionOf } from '@rxscan/ocr-worker';
import { cpuSecondsWithChildren } from './lib/cpu.mjs';
import { cycle } from './lib/corpus.mjs';
import { nativeModelDir, runNative, runNativeBlank } from './lib/native.mjs';
import { scorePredictions } from './lib/score.mjs';
import { median, percentile, ratio, round } from './lib/stats.mjs';

const nativeLine = (file, parsed, ms) => ({ file, ...parsed.medication, ...parsed.record, confidence: parsed.confidence, needs_review: needsReview(parsed), ms: Math.round(ms) });

/** `count` labels read by `lanes` extractors at once (one engine each, as OCR_CONCURRENCY would): labels per minute. */
async function lanesRate(extractors, labels, count) {
  const queue = cycle(labels, count);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    extractors.map(async (x) => {
      while (next < queue.length) {
        const { path: file } = queue[next++];
        await x.extract(await readFile(file), file);
      }
    }),
  );
  return round((queue.length / (performance.now() - t0)) * 60_000);
}

/** The bare CLI as an extractor for lanesRate: one tesseract process a label, its reading parsed. */
const cliExtractor = (binary, modelDir) => ({ extract: async (_image, file) => parseLabel((await runNative(binary, file, modelDir)).reading) });

export async function measureEngines({ scope, plan, corpus, tmp, say }) {
  const labels = corpus.labels.slice(0, plan.engines?.labels ?? Infinity);
  const binary = findTesseractBinary();
  // native: in process through libtesseract when it loads (what the worker runs); native_process:
  // one tesseract command per recognition, the way in without the library, measured one at a time
  // only, for what a warm model saves.
  const kinds = binary ? ['native', ...(plan.engines?.process === false ? [] : ['native_process']), 'wasm'] : ['wasm'];
  /** @returns {import('@rxscan/ocr-worker').EngineChoice} */
  const choice = (kind) => (kind === 'native' ? { kind: 'native', binary } : kind === 'native_process' ? { kind: 'native', binary, via: 'process' } : { kind: 'wasm' });
  const cacheDir = path.join(tmp, 'cache');
  const extractors = {};
  // Where a label's CPU goes: each recognition timed while the labels are read one at a time
  // (the page reads, deskewed, apart from the re-reads of critical lines); the rest is sharp's
  // preparation, the crops and the parsing. Off during the throughput rounds (two at once).
  const meters = {};
  const metered = (kind) => (engine) => ({
    recognize: async (image, opts) => {
      const m = meters[kind];
      if (!m?.on) return engine.recognize(image, opts);
      const c0 = cpuSecondsWithChildren();
      try {
        return await engine.recognize(image, opts);
      } finally {
        const part = opts?.deskew ? m.read : m.reread;
        part.cpu += cpuSecondsWithChildren() - c0;
        part.calls++;
      }
    },
    terminate: () => engine.terminate(),
  });
  for (const kind of kinds) {
    meters[kind] = { on: false, read: { cpu: 0, calls: 0 }, reread: { cpu: 0, calls: 0 } };
    extractors[kind] = await createExtractor({ workers: 1, cacheDir, engine: choice(kind), wrapEngine: metered(kind) });
    scope.defer(() => extractors[kind].close());
  }
  const modelDir = binary ? nativeModelDir(cacheDir) : null;

  // Warm: the first label once through each, not counted (JIT, page cache, model unpacked).
  const first = await readFile(labels[0].path);
  for (const kind of kinds) await extractors[kind].extract(first);
  if (binary) await runNative(binary, labels[0].path, modelDir);

  const per = Object.fromEntries(kinds.map((k) => [k, { ms: [], cpu: 0, lines: [], second: 0 }]));
  const cli = { ms: [], cpu: 0, lines: [] };
  for (const [i, label] of labels.entries()) {
    say(`engines: ${i + 1}/${labels.length} ${label.file}`);
    const image = await readFile(label.path);
    // Interleaved label by label, so load from the rest of the machine falls on each alike; and the
    // order turned each label, since whichever kind reads a label first pays ~0.1 CPU-s more of the
    // "rest" than those after it (docs/benchmarks.md, round 15, model15), which a fixed order gave native.
    const turn = i % kinds.length;
    for (const kind of [...kinds.slice(turn), ...kinds.slice(0, turn)]) {
      const c0 = cpuSecondsWithChildren();
      const t0 = performance.now();
      meters[kind].on = true;
      const x = await extractors[kind].extract(image).finally(() => (meters[kind].on = false));
      const ms = performance.now() - t0;
      per[kind].cpu += cpuSecondsWithChildren() - c0;
      per[kind].ms.push(ms);
      if ((x.timings_ms.passes ?? 1) > 1) per[kind].second++;
      per[kind].lines.push(predictionOf(label.file, x, Math.round(ms)));
    }
    if (binary) {
      const c0 = cpuSecondsWithChildren();
      const n = await runNative(binary, label.path, modelDir);
      cli.cpu += cpuSecondsWithChildren() - c0;
      cli.ms.push(n.ms);
      cli.lines.push(nativeLine(label.file, parseLabel(n.reading), n.ms));
    }
  }

  // One Tesseract process on a blank image: start-up and model load, what batching saves per call.
  const blank = { ms: [], cpu: 0 };
  if (binary) {
    for (let i = 0; i < Math.min(10, Math.max(3, labels.length)); i++) {
      const c0 = cpuSecondsWithChildren();
      blank.ms.push(await runNativeBlank(binary, modelDir, tmp));
      blank.cpu += cpuSecondsWithChildren() - c0;
    }
  }

  // Throughput: the same labels with one and with two extractions at once (two cores), the
  // engines taking turns in two rounds, so a busy spell on the machine falls on each alike. Two
  // at once as the worker runs them (OCR_CONCURRENCY 2): one extractor with two engines, which
  // knows it has two labels under way (it then makes no re-read page early: label.extractor.ts).
  const rates = {};
  const count = Math.max(4, labels.length);
  const laned = plan.engines?.lanes === false ? [] : kinds.filter((k) => k !== 'native_process');
  const pairs = {};
  for (const kind of laned) {
    pairs[kind] = await createExtractor({ workers: 2, cacheDir, engine: choice(kind) });
    scope.defer(() => pairs[kind].close());
    await Promise.all([pairs[kind].extract(first), pairs[kind].extract(first)]);
    rates[kind] = { one: [], two: [] };
  }
  // The bare CLI too (one tesseract process a label, its reading parsed): what two native processes read at once.
  const cliRates = { one: [], two: [] };
  const cliLanes = binary && plan.engines?.lanes !== false;
  for (let round = 0; round < 2; round++) {
    for (const kind of laned) {
      say(`engines: round ${round + 1}/2, ${kind}, ${Math.ceil(count / 2)} labels one at a time, then two at once`);
      rates[kind].one.push(await lanesRate([extractors[kind]], labels, Math.ceil(count / 2)));
      rates[kind].two.push(await lanesRate([pairs[kind], pairs[kind]], labels, count));
    }
    if (cliLanes) {
      say(`engines: round ${round + 1}/2, bare CLI, ${Math.ceil(count / 2)} labels one at a time, then two at once`);
      cliRates.one.push(await lanesRate([cliExtractor(binary, modelDir)], labels, Math.ceil(count / 2)));
      cliRates.two.push(await lanesRate([cliExtractor(binary, modelDir), cliExtractor(binary, modelDir)], labels, count));
    }
  }
  const mean = (xs) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  for (const kind of laned) rates[kind] = { one: mean(rates[kind].one), two: mean(rates[kind].two) };

  const values = {};
  const rows = [];
  for (const kind of kinds) {
    const p = per[kind];
    const score = scorePredictions(p.lines, labels);
    const v = {
      [`engine_${kind}_median_ms`]: round(median(p.ms)),
      [`engine_${kind}_p90_ms`]: round(percentile(p.ms, 90)),
      [`engine_${kind}_cpu_s_per_label`]: round(p.cpu / labels.length, 3),
      [`engine_${kind}_labels_per_min_1w`]: rates[kind]?.one ?? null,
      [`engine_${kind}_labels_per_min_2w`]: rates[kind]?.two ?? null,
      [`engine_${kind}_critical`]: score?.critical_all_correct ?? null,
      [`engine_${kind}_silent_error_rate`]: score?.silent_error_rate ?? null,
      [`engine_${kind}_confident_wrong_fields`]: score?.confident_wrong_fields ?? null,
      [`engine_${kind}_second_pass_share`]: round(p.second / labels.length, 3),
      // Per label: recognition of the page (deskewed, 1 or 2 passes), of the re-read lines, and all else.
      [`engine_${kind}_cpu_s_read`]: round(meters[kind].read.cpu / labels.length, 3),
      [`engine_${kind}_cpu_s_reread`]: round(meters[kind].reread.cpu / labels.length, 3),
      [`engine_${kind}_cpu_s_other`]: round((p.cpu - meters[kind].read.cpu - meters[kind].reread.cpu) / labels.length, 3),
      [`engine_${kind}_rereads_per_label`]: round(meters[kind].reread.calls / labels.length, 2),
    };
    Object.assign(values, v);
    rows.push(
      [
        `engine ${kind} (${labels.length} labels)`,
        `median ${v[`engine_${kind}_median_ms`]} ms, p90 ${v[`engine_${kind}_p90_ms`]} ms`,
        `cpu ${v[`engine_${kind}_cpu_s_per_label`]} s/label; ${rates[kind] ? `${rates[kind].one} labels/min alone, ${rates[kind].two} two at once; ` : ''}critical ${v[`engine_${kind}_critical`] ?? 'n/a'}, silent ${v[`engine_${kind}_silent_error_rate`] ?? 'n/a'}, 2nd pass ${Math.round(v[`engine_${kind}_second_pass_share`] * 100)}%; cpu s/label: page reads ${v[`engine_${kind}_cpu_s_read`]}, ${v[`engine_${kind}_rereads_per_label`]} re-reads ${v[`engine_${kind}_cpu_s_reread`]}, the rest ${v[`engine_${kind}_cpu_s_other`]}`,
      ],
    );
  }
  if (binary) {
    const cliScore = scorePredictions(cli.lines, labels);
    Object.assign(values, {
      native_median_ms: round(median(cli.ms)),
      native_p90_ms: round(percentile(cli.ms, 90)),
      native_cpu_s_per_label: round(cli.cpu / labels.length, 3),
      native_critical: cliScore?.critical_all_correct ?? null,
      native_labels_per_min_1w: mean(cliRates.one),
      native_labels_per_min_2w: mean(cliRates.two),
      engine_native_vs_cli: ratio(median(per.native.ms), median(cli.ms)),
      engine_wasm_vs_native: ratio(median(per.wasm.ms), median(per.native.ms)),
      engine_wasm_vs_native_cpu: ratio(per.wasm.cpu, per.native.cpu),
      // What keeping the model loaded saves: the per-call command against the warm library.
      engine_native_process_vs_library_cpu: per.native_process ? ratio(per.native_process.cpu, per.native.cpu) : null,
      native_process_median_ms: round(median(blank.ms)),
      native_process_cpu_s: round(blank.cpu / blank.ms.length, 3),
    });
    rows.push(
      [`  bare native CLI, same model`, `median ${values.native_median_ms} ms, p90 ${values.native_p90_ms} ms`, `cpu ${values.native_cpu_s_per_label} s/label; ${values.native_labels_per_min_1w ?? 'n/a'} labels/min alone, ${values.native_labels_per_min_2w ?? 'n/a'} two at once; critical ${values.native_critical ?? 'n/a'}; engine/CLI ${values.engine_native_vs_cli}; wasm/native ${values.engine_wasm_vs_native} (cpu ${values.engine_wasm_vs_native_cpu}); process/library cpu ${values.engine_native_process_vs_library_cpu}`],
      [`  one tesseract process, blank image`, `median ${values.native_process_median_ms} ms`, `cpu ${values.native_process_cpu_s} s: start-up and model load, paid by every call of native_process`],
    );
  } else {
    rows.push(['engine native', 'not measured', 'no tesseract on PATH or TESSERACT_PATH (apt-get install tesseract-ocr)']);
  }
  return { values, rows };
}
