import type { JobStatusView, Medication } from '@rxscan/bus-contracts';
import { statusUrlOf, type ApiClient } from './api.client.js';
import { errorFromThrown } from './api.errors.js';
import { isTerminal, pollJob, type PollOptions, type Poller } from './status.poller.js';
import { jobIdOf, newScan, uploadAccepted, uploadFailed, withStatus, type ScanJob } from './scan-job.state.js';

export interface ScanSessionOptions {
  api: ApiClient;
  /** The cards to show, newest first; a new array on every change. */
  onChange(jobs: readonly ScanJob[]): void;
  /** A reading finished or a medication was confirmed: fetch the list again. */
  onListChanged(): void;
  pushLive?: () => boolean;
  now?: () => number;
  newKey?: () => string;
  poll?: Pick<PollOptions, 'firstDelayMs' | 'intervalMs' | 'pushIntervalMs' | 'maxBackoffMs'>;
}

const messageOf = (err: unknown): string => errorFromThrown(err).message;

/**
 * The photos taken on this tablet since the page opened: sends each, follows it by
 * polling (and by push when live) until it is read, and runs confirm and retry.
 */
export class ScanSession {
  private jobs: ScanJob[] = [];
  private readonly pollers = new Map<string, Poller>();
  private readonly now: () => number;
  private readonly newKey: () => string;
  private counter = 0;

  constructor(private readonly opts: ScanSessionOptions) {
    this.now = opts.now ?? Date.now;
    // Not crypto.randomUUID: it is missing on a tablet reaching the server over plain http on the LAN.
    this.newKey = opts.newKey ?? (() => `scan-${Date.now().toString(36)}-${this.counter}`);
  }

  get current(): readonly ScanJob[] {
    return this.jobs;
  }

  /** Adds a card at once and sends the photo; `key` names the card, `sent` settles when the upload has. */
  submit(photo: Blob, fileName: string): { key: string; sent: Promise<void> } {
    this.counter += 1;
    const key = this.newKey();
    this.jobs = [newScan(key, this.counter, fileName, this.now()), ...this.jobs];
    this.emit();
    return { key, sent: this.send(key, photo, fileName) };
  }

  private async send(key: string, photo: Blob, fileName: string): Promise<void> {
    try {
      const accepted = await this.opts.api.upload(photo, fileName);
      this.update(key, (j) => uploadAccepted(j, accepted));
      this.follow(key);
    } catch (err) {
      this.update(key, (j) => uploadFailed(j, messageOf(err), this.now()));
    }
  }

  /** A status pushed by med-store; polls and pushes may arrive in any order. */
  applyPush(view: JobStatusView): void {
    const job = this.jobs.find((j) => jobIdOf(j) === view.job_id);
    if (job) this.applyStatus(job.key, view);
  }

  /** Poll every unfinished job now: after push reconnects, something may have been missed. */
  pokeAll(): void {
    for (const p of this.pollers.values()) p.poke();
  }

  async retry(key: string): Promise<void> {
    const job = this.find(key);
    const jobId = job && jobIdOf(job);
    if (!jobId) return;
    this.update(key, (j) => ({ ...j, action: 'retrying', actionProblem: undefined }));
    try {
      const view = await this.opts.api.retry(jobId);
      this.update(key, (j) => ({ ...j, action: undefined }));
      this.applyStatus(key, view);
      if (!isTerminal(view)) this.follow(key);
    } catch (err) {
      this.update(key, (j) => ({ ...j, action: undefined, actionProblem: messageOf(err) }));
    }
  }

  async confirm(key: string, changes?: Partial<Medication>): Promise<void> {
    const medId = this.find(key)?.view?.result?.medication_id;
    if (!medId) {
      this.update(key, (j) => ({ ...j, actionProblem: 'There is no medication from this scan to confirm. Scan the label again.' }));
      return;
    }
    this.update(key, (j) => ({ ...j, action: 'confirming', actionProblem: undefined }));
    try {
      const saved = await this.opts.api.confirm(medId, changes);
      this.update(key, (j) => ({ ...j, action: 'confirmed', confirmedAs: saved }));
      this.opts.onListChanged();
    } catch (err) {
      this.update(key, (j) => ({ ...j, action: undefined, actionProblem: messageOf(err) }));
    }
  }

  /** Removes a finished card from the screen (the job itself stays on the server). */
  dismiss(key: string): void {
    this.pollers.get(key)?.stop();
    this.pollers.delete(key);
    this.jobs = this.jobs.filter((j) => j.key !== key);
    this.emit();
  }

  dispose(): void {
    for (const p of this.pollers.values()) p.stop();
    this.pollers.clear();
  }

  private follow(key: string): void {
    const accepted = this.find(key)?.accepted;
    if (!accepted) return;
    this.pollers.get(key)?.stop();
    const poller = pollJob({
      ...this.opts.poll,
      url: statusUrlOf(accepted),
      fetchStatus: (url) => this.opts.api.status(url),
      onStatus: (view) => this.applyStatus(key, view),
      onTrouble: (err) => this.update(key, (j) => ({ ...j, notice: `${messageOf(err)} Still trying…` })),
      onGiveUp: (err) => {
        this.pollers.delete(key);
        this.update(key, (j) => ({ ...j, phase: 'failed', problem: err.message, notice: undefined, finishedAt: this.now() }));
      },
      ...(this.opts.pushLive && { pushLive: this.opts.pushLive }),
    });
    this.pollers.set(key, poller);
  }

  private applyStatus(key: string, view: JobStatusView): void {
    const before = this.find(key);
    if (!before) return;
    const after = withStatus(before, view, this.now());
    if (after === before) return;
    this.replace(after);
    if (isTerminal(view)) {
      this.pollers.get(key)?.stop();
      this.pollers.delete(key);
    }
    if (after.phase === 'completed' && before.phase !== 'completed') this.opts.onListChanged();
  }

  private find(key: string): ScanJob | undefined {
    return this.jobs.find((j) => j.key === key);
  }

  private update(key: string, fn: (job: ScanJob) => ScanJob): void {
    const job = this.find(key);
    if (job) this.replace(fn(job));
  }

  private replace(job: ScanJob): void {
    this.jobs = this.jobs.map((j) => (j.key === job.key ? withoutUndefined(job) : j));
    this.emit();
  }

  private emit(): void {
    this.opts.onChange(this.jobs);
  }
}

/** Drops keys set to undefined, so "cleared" and "never set" look the same to the view. */
function withoutUndefined(job: ScanJob): ScanJob {
  return Object.fromEntries(Object.entries(job).filter(([, v]) => v !== undefined)) as unknown as ScanJob;
}
