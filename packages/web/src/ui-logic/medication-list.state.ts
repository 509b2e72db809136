import type { Medication, MedicationView, PushMessage } from '@rxscan/contracts';
import type { ApiClient } from './api.client.js';
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
}

export interface MedicationListStateOptions {
  api: Pick<ApiClient, 'medications' | 'add' | 'confirm' | 'update' | 'remove'>;
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
      const list = await this.opts.api.medications();
      // An answer to an older request must not overwrite a newer one.
      if (mine === this.request) this.set({ list, problem: null, loaded: true });
    } catch (err) {
      if (mine === this.request) this.set({ problem: errorFromThrown(err).message, loaded: true });
    }
  }

  applyPush(msg: MedicationPush): void {
    if (msg.type === 'medication') this.set({ list: withMedication(this.state.list, msg.medication) });
    else this.set({ list: withoutMedication(this.state.list, msg.id) });
  }

  add(fields: Partial<Medication>): Promise<MedicationView> {
    return this.saving(() => this.opts.api.add(fields));
  }

  confirm(id: string, changes: Partial<Medication>): Promise<MedicationView> {
    return this.saving(() => this.opts.api.confirm(id, changes));
  }

  update(id: string, changes: Partial<Medication>): Promise<MedicationView> {
    return this.saving(() => this.opts.api.update(id, changes));
  }

  /** What the review dialog asked for; a typed-in medication replaces the nameless draft it came from. */
  async save(action: Exclude<SaveAction, { kind: 'none' | 'invalid' }>): Promise<MedicationView> {
    switch (action.kind) {
      case 'add': {
        const saved = await this.add(action.fields);
        // If deleting the draft fails, it just stays on the list to be deleted by hand.
        if (action.replaces) await this.remove(action.replaces).catch(() => {});
        return saved;
      }
      case 'confirm':
        return this.confirm(action.id, action.changes);
      case 'update':
        return this.update(action.id, action.changes);
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
