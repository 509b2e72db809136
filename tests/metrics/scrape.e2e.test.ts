/**
 * Metrics as a Prometheus would see them under `npm start`: every service's scrape
 * address in one place, every metric the operations doc lists found at the service
 * it names, the job-duration histogram counting every finished job, and the shared
 * consumer gauges exported once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricFamilies, metricValue, parseMetrics, REPO_ROOT, startSystem, uploadLabel, waitForJob, type RunningSystem } from '@rxscan/test-utils';

/** The metrics table of docs/operations.md: `| \`rxscan_x{labels}\` | type | from | meaning |`. */
async function documentedMetrics(): Promise<{ name: string; type: string; from: string }[]> {
  const doc = await readFile(path.join(REPO_ROOT, 'docs/operations.md'), 'utf8');
  return [...doc.matchAll(/^\| `(rxscan_[a-z_]+)(?:\{[^}]*\})?` \| (\w+) \| ([a-z-]+) \|/gm)].map((m) => ({ name: m[1]!, type: m[2]!, from: m[3]! }));
}

describe('metrics under npm start', () => {
  let sys: RunningSystem;
  let headers: Record<string, string>;
  let targets: Record<string, string>;
  const scrape = async (service: string) => {
    const res = await fetch(targets[service]!);
    expect(res.status, service).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    sys = await startSystem({ env: { OCR_WORKERS: '2' } });
    headers = (await sys.pair()).headers;
    targets = JSON.parse(await readFile(path.join(sys.dataDir, 'runtime.json'), 'utf8')).metrics;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('lists every service’s scrape address, each worker’s included, in runtime.json and ops status', async () => {
    expect(Object.keys(targets).sort()).toEqual(['ingest', 'med-store', 'ocr-worker-1', 'ocr-worker-2', 'web']);
    for (const url of Object.values(targets)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    // web's metrics are not on the port the tablets use.
    expect(new URL(targets.web!).port).not.toBe(new URL(sys.url).port);
    const status = await sys.ops('status');
    for (const [service, url] of Object.entries(targets)) expect(status).toContain(`${service.padEnd(14)} ${url}`);
  });

  it('counts and times every job from upload to result, once, and labels web requests by route', { timeout: 240_000 }, async () => {
    const jobs = await Promise.all(['dev-000-clean', 'dev-001-clean', 'dev-000-clean'].map((n) => uploadLabel(sys.url, headers, n)));
    for (const job of jobs) expect((await waitForJob(sys.url, headers, job)).status).toBe('completed');

    const medStore = parseMetrics(await scrape('med-store'));
    const completed = { status: 'completed' };
    expect(metricValue(medStore, 'rxscan_job_duration_seconds_count', completed)).toBe(jobs.length);
    expect(metricValue(medStore, 'rxscan_jobs_finished_total', completed)).toBe(jobs.length);
    // Upload to result takes at least the OCR of each label, and not forever.
    const sum = metricValue(medStore, 'rxscan_job_duration_seconds_sum', completed)!;
    expect(sum).toBeGreaterThan(0.1 * jobs.length);
    expect(sum).toBeLessThan(240 * jobs.length);

    const ingest = parseMetrics(await scrape('ingest'));
    expect(metricValue(ingest, 'rxscan_uploads_total', { outcome: 'accepted' })).toBe(jobs.length);
    const workers = await Promise.all(['ocr-worker-1', 'ocr-worker-2'].map(async (w) => metricValue(parseMetrics(await scrape(w)), 'rxscan_jobs_total', completed) ?? 0));
    expect(workers[0]! + workers[1]!).toBe(jobs.length);

    const web = parseMetrics(await scrape('web'));
    const upload = { method: 'POST', route: '/meds/extract', status: '202' };
    expect(metricValue(web, 'rxscan_http_request_duration_seconds_count', upload)).toBe(jobs.length);
    const polls = { method: 'GET', route: '/meds/extract/{job_id}/status', status: '200' };
    expect(metricValue(web, 'rxscan_http_request_duration_seconds_count', polls)).toBeGreaterThanOrEqual(jobs.length);
    // A series per route pattern, never per job id.
    expect(web.some((s) => s.labels.route?.includes(jobs[0]!.job_id))).toBe(false);
  });

  it('finds every metric the operations doc lists at the service it names', async () => {
    const listed = await documentedMetrics();
    expect(listed.length).toBeGreaterThanOrEqual(12);
    const families: Record<string, Set<string>> = {};
    for (const service of Object.keys(targets)) families[service] = metricFamilies(await scrape(service));
    for (const m of listed) {
      const services = Object.keys(targets).filter((s) => s === m.from || s.startsWith(`${m.from}-`));
      expect(services.length, m.name).toBeGreaterThan(0);
      for (const s of services) {
        expect(families[s]!.has(m.name), `${m.name} at ${s}`).toBe(true);
      }
    }
  });

  it('exports each consumer’s queue once, so sum() over every target does not double it', async () => {
    const exporters: string[] = [];
    for (const service of Object.keys(targets)) {
      const samples = parseMetrics(await scrape(service));
      if (samples.some((s) => s.name === 'rxscan_consumer_pending' && s.labels.consumer === 'ocr-worker')) exporters.push(service);
      for (const s of samples.filter((x) => x.name.endsWith('_total') && x.name.startsWith('rxscan_'))) expect(s.value).toBeGreaterThanOrEqual(0);
    }
    expect(exporters).toEqual(['med-store']);
    expect(metricValue(parseMetrics(await scrape('med-store')), 'rxscan_consumer_pending', { stream: 'OCR', consumer: 'ocr-worker' })).toBe(0);
  });
});
