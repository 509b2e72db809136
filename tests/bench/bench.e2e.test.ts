import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir, type TempDir } from '@rxscan/test-utils';

/** The keys `npm run bench -- --json` promises (issue 8); each a number, or null when not measured. */
const REQUIRED = [
  'accept_p50_ms',
  'accept_p99_ms',
  'status_p99_ms',
  'ocr_median_ms',
  'native_median_ms',
  'engine_native_median_ms',
  'engine_native_cpu_s_per_label',
  'engine_native_labels_per_min_2w',
  'engine_wasm_median_ms',
  'engine_wasm_cpu_s_per_label',
  'engine_wasm_labels_per_min_2w',
  'ocr_vs_native',
  'ocr_critical',
  'native_critical',
  'labels_per_min_1w',
  'labels_per_min_2w',
  'e2e_p50_ms',
  'push_p50_ms',
  'projection_events_per_s',
  'worker_rss_mb_10',
  'worker_rss_mb_300',
  'priority_scan_ms',
  'priority_backlog',
];

const RUN_LIMIT_MS = 200_000;

function runBench(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench/run.mjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // SIGTERM, not SIGKILL: the bench then stops what it started and removes its temp dirs.
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_LIMIT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench, on a tiny input', () => {
  let dir: TempDir;
  let run: Awaited<ReturnType<typeof runBench>>;
  const out = () => path.join(dir.path, 'bench.json');

  beforeAll(async () => {
    dir = await tempDir('rxscan-bench-test-');
    run = await runBench(['--quick', '--json', '--tiny', '--out', out()], { BENCH_TMPDIR: dir.path });
  }, RUN_LIMIT_MS + 20_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('runs every measure without an error', () => {
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
  });

  it('prints one JSON object with every required key as the last line of stdout', () => {
    const last = run.stdout.trim().split('\n').pop()!;
    const result = JSON.parse(last) as Record<string, unknown>;
    for (const key of REQUIRED) {
      expect(result, key).toHaveProperty(key);
      const v = result[key];
      expect(v === null || (typeof v === 'number' && Number.isFinite(v)), `${key} = ${JSON.stringify(v)}`).toBe(true);
    }
    expect(result.errors).toEqual({});
    // Measured even on the tiny input (native Tesseract and the 10/300-label memory points may not be).
    for (const key of ['accept_p50_ms', 'status_p99_ms', 'ocr_median_ms', 'labels_per_min_1w', 'labels_per_min_2w', 'push_p50_ms', 'projection_events_per_s']) {
      expect(result[key], key).toEqual(expect.any(Number));
    }
  });

  it('writes the same result to the file named by --out and leaves no temp dir behind', async () => {
    const last = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(JSON.parse(await readFile(out(), 'utf8'))).toEqual(last);
    expect(await readdir(dir.path)).toEqual(['bench.json']);
  });
});
