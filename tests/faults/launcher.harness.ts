import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { JobStatusView, MedicationView } from '@rxscan/contracts';
import { distinctPhoto, eventually, labelFixture, type RunningSystem } from '@rxscan/test-utils';

/**
 * Drives a whole system started as `npm start` does (startSystem) the way a tablet
 * would: through web, with a paired device's token.
 */
export class TabletDriver {
  /** Every job an upload was answered 202 for. */
  readonly accepted: string[] = [];

  private constructor(
    readonly sys: RunningSystem,
    readonly headers: { authorization: string },
    private readonly photo: Buffer,
  ) {}

  static async pair(sys: RunningSystem, label = 'dev-000-clean'): Promise<TabletDriver> {
    const paired = await sys.pair();
    return new TabletDriver(sys, paired.headers, await readFile(labelFixture(label).image));
  }

  /** The same tablet (token, accepted jobs) talking to another run of the system on the same DATA_DIR. */
  on(sys: RunningSystem): TabletDriver {
    const driver = new TabletDriver(sys, this.headers, this.photo);
    driver.accepted.push(...this.accepted);
    return driver;
  }

  get image(): Buffer {
    return this.photo;
  }

  /** One upload; status 0 when the connection itself failed. */
  async upload(): Promise<{ status: number; code?: string; jobId?: string }> {
    const form = new FormData();
    // A new scan each time: the same bytes again would be answered with the earlier job.
    form.append('image', new Blob([new Uint8Array(distinctPhoto(this.photo))], { type: 'image/jpeg' }), 'label.jpg');
    try {
      const res = await fetch(`${this.sys.url}/meds/extract`, { method: 'POST', body: form, headers: this.headers, signal: AbortSignal.timeout(30_000) });
      const body = (await res.json()) as { job_id?: string; error?: { code: string } };
      if (res.status === 202) this.accepted.push(body.job_id!);
      return { status: res.status, code: body.error?.code, jobId: body.job_id };
    } catch {
      return { status: 0 };
    }
  }

  /** Uploads until one is accepted; resolves with the milliseconds it took from `since`. */
  async uploadUntilAccepted(since: number, timeoutMs = 60_000, everyMs = 250): Promise<number> {
    await eventually(async () => ((await this.upload()).status === 202 ? true : undefined), timeoutMs, everyMs);
    return Date.now() - since;
  }

  /** A job's status as the tablet asks for it: HTTP status and, when 200, the view. */
  async status(jobId: string): Promise<{ http: number; view?: JobStatusView }> {
    try {
      const res = await fetch(`${this.sys.url}/meds/extract/${jobId}/status`, { headers: this.headers, signal: AbortSignal.timeout(30_000) });
      return { http: res.status, view: res.status === 200 ? ((await res.json()) as JobStatusView) : undefined };
    } catch {
      return { http: 0 };
    }
  }

  /**
   * Waits until every accepted job has completed, never hearing 404 for any of them, then
   * checks that each gave exactly one medication.
   */
  async expectEveryAcceptedJobCompletedOnce(timeoutMs = 240_000): Promise<void> {
    for (const jobId of this.accepted) {
      const done = await eventually(async () => {
        const { http, view } = await this.status(jobId);
        expect(http, `status of ${jobId}`).not.toBe(404);
        return view && (view.status === 'completed' || view.status === 'failed') ? view : undefined;
      }, timeoutMs, 500);
      expect(done.status, `job ${jobId}`).toBe('completed');
    }
    const meds = (await (await fetch(`${this.sys.url}/meds/medications`, { headers: this.headers })).json()) as MedicationView[];
    for (const jobId of this.accepted) expect(meds.filter((m) => m.source_job_id === jobId), `medications of ${jobId}`).toHaveLength(1);
  }
}

/** DATA_DIR/runtime.json of a running system: its services' pids and URLs. */
export async function runtimeOf(sys: RunningSystem): Promise<{ pids: Record<string, number>; urls: Record<string, string> }> {
  return JSON.parse(await readFile(path.join(sys.dataDir, 'runtime.json'), 'utf8'));
}

/** How many times the worker(s) said they completed each job, in these launcher outputs. */
export function completionsByJob(...outputs: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of outputs.flat()) {
    const m = /^\[ocr-worker[^\]]*\] (\{.*\})$/.exec(line);
    if (!m) continue;
    const entry = JSON.parse(m[1]!) as { msg?: string; job_id?: string };
    if (entry.msg === 'job completed' && entry.job_id) counts.set(entry.job_id, (counts.get(entry.job_id) ?? 0) + 1);
  }
  return counts;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
