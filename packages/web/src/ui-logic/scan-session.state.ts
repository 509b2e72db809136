import type { JobStatusView } from '@rxscan/contracts';
import { statusUrlOf, statusUrlOfJob, type ApiClient } from './api.client.js';
import { errorFromThrown } from './api.errors.js';
import { isTerminal, pollJob, type PollOptions, type Poller } from './status.poller.js';
import { jobIdOf, newScan, restoredScan, uploadAccepted, uploadFailed, uploadStarted, uploadWaiting, withStatus, type ScanJob } from './scan-job.state.js';
import { memoryOutbox, type Outbox, type OutboxEntry } from './outbox.storage.js';
import { retryDelayMs, worthWaiting } from './upload-retry.rule.js';

/** The most photos one scan may have (the server's limit too). */
export const MAX_PHOTOS = 4;

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
  /** Where photos wait until the server has them; kept across reloads in the browser (IndexedDB). */
  outbox?: Outbox;
  /** Makes a photo ready to send (scaled down in the browser); as it is by default. */
  prepare?: (photo: Blob) => Promise<Blob>;
  /** The photos of a card as they are sent (after `prepare`, or found again in the outbox). */
  onPhotos?(key: string, photos: readonly Blob[]): void;
  /** Spread of the back-off between tries (tests fix it). */
  random?: () => number;
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
  /** Photos not yet accepted by the server, by card key, with how often they were tried. */
  private readonly unsent = new Map<string, { entry: OutboxEntry; tries: number; timer?: ReturnType<typeof setTimeout>; sending: boolean }>();
  private readonly outbox: Outbox;
  private readonly now: () => number;
  private readonly newKey: () => string;
  private counter = 0;

  constructor(private readonly opts: ScanSessionOptions) {
    this.now = opts.now ?? Date.now;
    this.outbox = opts.outbox ?? memoryOutbox();
    // Not crypto.randomUUID: it is missing on a tablet reaching the server over plain http on the LAN.
    this.newKey = opts.newKey ?? (() => `scan-${Date.now().toString(36)}-${this.counter}`);
  }

  get current(): readonly ScanJob[] {
    return this.jobs;
  }

  /**
   * Adds a card at once and sends the photos of one scan (1–4) in one request; `key`
   * names the card, `sent` settles when the upload has been accepted, refused, or left
   * waiting on the tablet to be sent by itself.
   */
  submit(photos: Blob | readonly Blob[], fileName: string): { key: string; sent: Promise<void> } {
    const list = (photos instanceof Blob ? [photos] : [...photos]).slice(0, MAX_PHOTOS);
    this.counter += 1;
    const key = this.newKey();
    this.jobs = [newScan(key, this.counter, fileName, this.now(), list.length), ...this.jobs];
    this.emit();
    return { key, sent: this.prepareAndSend(key, list, fileName) };
  }

  /**
   * Shows the photos left on the tablet by an earlier page (they could not be sent) as
   * waiting cards, and sends them now.
   */
  async resumeOutbox(): Promise<void> {
    let kept: OutboxEntry[];
    try {
      kept = await this.outbox.all();
    } catch {
      return;
    }
    for (const entry of kept) {
      if (this.unsent.has(entry.key) || this.find(entry.key)) continue;
      this.counter += 1;
      const card: ScanJob = { ...newScan(entry.key, this.counter, entry.fileName, entry.createdAt, entry.photos.length), phase: 'waiting', kept: true };
      this.jobs = [card, ...this.jobs];
      this.unsent.set(entry.key, { entry, tries: 0, sending: false });
      this.opts.onPhotos?.(entry.key, entry.photos);
    }
    this.emit();
    await Promise.all(kept.map((e) => this.attempt(e.key)));
  }

  /** The network is back (or the server answered something): every waiting photo is tried now rather than after its back-off. */
  sendWaitingNow(): void {
    for (const [key, u] of this.unsent) {
      if (u.sending) continue;
      clearTimeout(u.timer);
      void this.attempt(key);
    }
  }

  /** Photos waiting on the tablet, by card. */
  get waitingCount(): number {
    return this.unsent.size;
  }

  private async prepareAndSend(key: string, photos: Blob[], fileName: string): Promise<void> {
    const prepare = this.opts.prepare;
    const ready = prepare ? await Promise.all(photos.map((p) => prepare(p).catch(() => p))) : photos;
    const entry: OutboxEntry = { key, fileName, photos: ready, createdAt: this.now() };
    this.opts.onPhotos?.(key, ready);
    this.unsent.set(key, { entry, tries: 0, sending: false });
    // Kept before the first try: a reload or a closed tab during the upload loses nothing.
    try {
      await this.outbox.put(entry);
      this.update(key, (j) => ({ ...j, kept: true }));
    } catch {
      // No room or no IndexedDB: it is still sent, and still retried while the page lives.
    }
    await this.attempt(key);
  }

  private async attempt(key: string): Promise<void> {
    const u = this.unsent.get(key);
    if (!u || u.sending || !this.find(key)) return;
    clearTimeout(u.timer);
    u.sending = true;
    u.tries += 1;
    this.update(key, uploadStarted);
    let shown = 0;
    try {
      const accepted = await this.opts.api.upload(u.entry.photos, u.entry.fileName, (sent) => {
        // Whole percents only: the card re-renders on each change.
        const pct = Math.floor(sent * 100);
        if (pct === shown) return;
        shown = pct;
        this.update(key, (j) => (j.phase === 'uploading' ? { ...j, sent: pct / 100 } : j));
      });
      this.forget(key);
      // A restore that ran while this upload was answered may already show the job.
      const twin = this.byJobId(accepted.job_id);
      if (twin && twin.key !== key) this.dismiss(twin.key);
      this.update(key, (j) => uploadAccepted(j, accepted));
      this.follow(key);
    } catch (err) {
      u.sending = false;
      if (!this.unsent.has(key)) return;
      if (worthWaiting(err)) {
        const wait = retryDelayMs(u.tries, this.opts.random);
        u.timer = setTimeout(() => void this.attempt(key), wait);
        this.update(key, (j) => uploadWaiting(j, messageOf(err), this.now() + wait));
      } else {
        this.forget(key);
        this.update(key, (j) => uploadFailed(j, messageOf(err), this.now()));
      }
    }
  }

  /** The server has the photos (or refused them for good): off the tablet. */
  private forget(key: string): void {
    const u = this.unsent.get(key);
    if (u) clearTimeout(u.timer);
    this.unsent.delete(key);
    void this.outbox.remove(key).catch(() => {});
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

  /** Removes a card from the screen (the job itself stays on the server); photos still waiting to be sent are dropped. */
  dismiss(key: string): void {
    if (this.unsent.has(key)) this.forget(key);
    this.pollers.get(key)?.stop();
    this.pollers.delete(key);
    this.jobs = this.jobs.filter((j) => j.key !== key);
    this.emit();
  }

  dispose(): void {
    for (const u of this.unsent.values()) clearTimeout(u.timer);
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
