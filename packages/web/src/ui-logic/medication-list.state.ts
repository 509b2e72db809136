import type { DeletedMedicationView, Medication, MedicationView, PushMessage } from '@rxscan/contracts';
import type { ApiClient, PersonFields } from './api.client.js';
import { errorFromThrown } from './api.errors.js';
import { withMedication, withoutMedication } from './medication-list.rule.js';
import type { SaveAction } from './review-subject.rule.js';

export interface MedicationState {
  /** Newest first, as med-store lists them. */
  list: readonly MedicationView[];
  loaded: boolean;
  /** Why the list could not be fetched, in plain words. */
  problem: string | null;
  /** Removed from this tablet while the page was open: a scan card says "discarded". */
  removed: ReadonlySet<string>;
  /** Readings recorded as refills from this tablet: draft id → the medication refilled. */
  refilled?: ReadonlyMap<string, string>;
  /** Deleted lately, still in time to be undone (after a reload too). */
  deleted?: readonly DeletedMedicationView[];
}

export interface MedicationListStateOptions {
  api: Pick<ApiClient, 'medications' | 'add' | 'confirm' | 'update' | 'remove'> &
    Partial<Pick<ApiClient, 'refill' | 'stop' | 'resume' | 'restore' | 'deleted'>>;
  onChange(state: MedicationState): void;
}

type MedicationPush = Extract<PushMessage, { type: 'medication' | 'medication-deleted' }>;

/**
 * The household's medication list: fetched, kept current by pushes, and changed by
 * the person. Each change resolves with the saved row, or rejects with an `ApiError`
 * whose message can be shown as it is.
 */
export class MedicationListState {
  private state: MedicationState = { list: [], loaded: false, problem: null, removed: new Set() };
  private request = 0;

  constructor(private readonly opts: MedicationListStateOptions) {}

  get current(): MedicationState {
    return this.state;
  }

  find(id: string | null | undefined): MedicationView | undefined {
    return id ? this.state.list.find((m) => m.id === id) : undefined;
  }

  async refresh(): Promise<void> {
    const mine = ++this.request;
    try {
      const [list, deleted] = await Promise.all([this.opts.api.medications(), this.opts.api.deleted?.() ?? Promise.resolve(undefined)]);
      // An answer to an older request must not overwrite a newer one.
      if (mine === this.request) this.set({ list, problem: null, loaded: true, ...(deleted && { deleted }) });
    } catch (err) {
      if (mine === this.request) this.set({ problem: errorFromThrown(err).message, loaded: true });
    }
  }

  /** The deleted ones worth an "Undo": fetched again after a delete or a restore. */
  private async refreshDeleted(): Promise<void> {
    const deleted = await this.opts.api.deleted?.().catch(() => undefined);
    if (deleted) this.set({ deleted });
  }

  applyPush(msg: MedicationPush): void {
    if (msg.type === 'medication') {
      this.set({ list: withMedication(this.state.list, msg.medication), deleted: (this.state.deleted ?? []).filter((d) => d.id !== msg.medication.id) });
    } else {
      const known = this.state.list.some((m) => m.id === msg.id);
      this.set({ list: withoutMedication(this.state.list, msg.id) });
      // Deleted on another tablet: it can be undone here too.
      if (known) void this.refreshDeleted();
    }
  }

  add(fields: Partial<Medication>, person?: PersonFields): Promise<MedicationView> {
    return this.saving(() => (person ? this.opts.api.add(fields, person) : this.opts.api.add(fields)));
  }

  confirm(id: string, changes: Partial<Medication>, person?: PersonFields): Promise<MedicationView> {
    return this.saving(() => (person ? this.opts.api.confirm(id, changes, person) : this.opts.api.confirm(id, changes)));
  }

  update(id: string, changes: Partial<Medication>, person?: Pick<PersonFields, 'person_id'>): Promise<MedicationView> {
    return this.saving(() => (person ? this.opts.api.update(id, changes, person) : this.opts.api.update(id, changes)));
  }

  /** The draft `id` recorded as a new fill of `of`: the draft leaves the list, `of` shows the new fill. */
  async refill(id: string, of: string, changes: Partial<Medication>): Promise<MedicationView> {
    const saved = await this.saving(() => this.need('refill')(id, of, changes));
    this.set({ list: withoutMedication(this.state.list, id), refilled: new Map([...(this.state.refilled ?? []), [id, of]]) });
    return saved;
  }

  stop(id: string): Promise<MedicationView> {
    return this.saving(() => this.need('stop')(id));
  }

  resume(id: string): Promise<MedicationView> {
    return this.saving(() => this.need('resume')(id));
  }

  /** Undoes a delete: the medication is back as it was (stopped or not, whoever's it was). */
  async restore(id: string): Promise<MedicationView> {
    const saved = await this.saving(() => this.need('restore')(id));
    const removed = new Set(this.state.removed);
    removed.delete(id);
    this.set({ deleted: (this.state.deleted ?? []).filter((d) => d.id !== id), removed });
    return saved;
  }

  private need<K extends 'refill' | 'stop' | 'resume' | 'restore'>(call: K): NonNullable<ApiClient[K]> {
    const fn = this.opts.api[call];
    if (!fn) throw new Error(`this list cannot ${call}`);
    return fn as NonNullable<ApiClient[K]>;
  }

  /** What the review dialog asked for; a typed-in medication replaces the nameless draft it came from. */
  async save(action: Exclude<SaveAction, { kind: 'none' | 'invalid' }>): Promise<MedicationView> {
    switch (action.kind) {
      case 'add': {
        const saved = await this.add(action.fields, action.person);
        // If deleting the draft fails, it just stays on the list to be deleted by hand.
        if (action.replaces) await this.remove(action.replaces).catch(() => {});
        return saved;
      }
      case 'confirm':
        return this.confirm(action.id, action.changes, action.person);
      case 'update':
        return this.update(action.id, action.changes, action.person);
      case 'refill':
        return this.refill(action.id, action.of, action.changes);
      default: {
        const unhandled: never = action;
        throw new Error(`unknown save ${(unhandled as SaveAction).kind}`);
      }
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.opts.api.remove(id);
    } catch (err) {
      throw errorFromThrown(err);
    }
    this.set({ list: withoutMedication(this.state.list, id), removed: new Set([...this.state.removed, id]) });
    await this.refreshDeleted();
  }

  private async saving(write: () => Promise<MedicationView>): Promise<MedicationView> {
    let saved: MedicationView;
    try {
      saved = await write();
    } catch (err) {
      throw errorFromThrown(err);
    }
    this.set({ list: withMedication(this.state.list, saved) });
    return saved;
  }

  private set(patch: Partial<MedicationState>): void {
    this.state = { ...this.state, ...patch };
    this.opts.onChange(this.state);
  }
}
