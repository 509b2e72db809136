import type { JobStatusView } from '@rxscan/contracts';
import { statusUrlOf, statusUrlOfJob, type ApiClient } from './api.client.js';
import { errorFromThrown } from './api.errors.js';
import { isTerminal, pollJob, type PollOptions, type Poller } from './status.poller.js';
import { jobIdOf, newScan, restoredScan, uploadAccepted, uploadFailed, withStatus, type ScanJob } from './scan-job.state.js';

export interface ScanSessionOptions {
  api: Pick<ApiClient, 'upload' | 'status' | 'retry'>;
  /** The cards to show, newest first; a new array on every change. */
  onChange(jobs: readonly ScanJob[]): void;
  /** A reading finished: its draft is now in the list, so fetch the list again. */
  onListChanged(): void;
  pushLive?: () => boolean;
  now?: () => number;
  newKey?: () => string;
  poll?: Pick<PollOptions, 'firstDelayMs' | 'intervalMs' | 'pushIntervalMs' | 'maxBackoffMs'>;
}

const messageOf = (err: unknown): string => errorFromThrown(err).message;

/**
 * The scans on screen: photos taken since the page opened, and those found again on
 * the server after a reload. Sends each photo, follows each job by polling (and by
 * push when live) until it is read, and runs retries.
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

  /**
   * Shows jobs found on the server (after a reload) as cards, oldest given to it first,
   * and follows those still in progress. A job already on screen is left alone.
   */
  restore(views: readonly JobStatusView[]): void {
    const added = views.filter((v) => !this.byJobId(v.job_id));
    if (added.length === 0) return;
    const cards = added.map((v) => {
      this.counter += 1;
      return restoredScan(this.newKey(), this.counter, v, this.now());
    });
    this.jobs = [...cards.reverse(), ...this.jobs];
    this.emit();
    for (const card of cards) if (!isTerminal(card.view!)) this.follow(card.key);
  }

  /** The card of a job, shown first if it is not on screen (a retry from the Recent scans list). */
  track(view: JobStatusView): string {
    const shown = this.byJobId(view.job_id);
    if (shown) return shown.key;
    this.restore([view]);
    return this.byJobId(view.job_id)!.key;
  }

  private async send(key: string, photo: Blob, fileName: string): Promise<void> {
    try {
      const accepted = await this.opts.api.upload(photo, fileName);
      // A restore that ran while this upload was answered may already show the job.
      const twin = this.byJobId(accepted.job_id);
      if (twin && twin.key !== key) this.dismiss(twin.key);
      this.update(key, (j) => uploadAccepted(j, accepted));
      this.follow(key);
    } catch (err) {
      this.update(key, (j) => uploadFailed(j, messageOf(err), this.now()));
    }
  }

  /** A status pushed by med-store; polls and pushes may arrive in any order. */
  applyPush(view: JobStatusView): void {
    const job = this.byJobId(view.job_id);
    if (job) this.applyStatus(job.key, view);
  }

  /** Poll every unfinished job now: push reconnected (something may have been missed) or dropped (polling takes over). */
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
    const job = this.find(key);
    const jobId = job && jobIdOf(job);
    if (!job || !jobId) return;
    this.pollers.get(key)?.stop();
    const poller = pollJob({
      ...this.opts.poll,
      url: job.accepted ? statusUrlOf(job.accepted) : statusUrlOfJob(jobId),
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

  private byJobId(jobId: string): ScanJob | undefined {
    return this.jobs.find((j) => jobIdOf(j) === jobId);
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
