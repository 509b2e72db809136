import type { PersonView, PushMessage } from '@rxscan/contracts';
import type { ApiClient } from './api.client.js';
import { errorFromThrown } from './api.errors.js';

export interface PeopleState {
  /** By name. */
  people: readonly PersonView[];
  loaded: boolean;
}

const byName = (a: PersonView, b: PersonView) => a.name.localeCompare(b.name);

/**
 * The household's people: fetched, kept current by pushes, renamed and merged by a person.
 * A merge moves medications, so `onMerged` tells the page to fetch the list again.
 */
export class PeopleListState {
  private state: PeopleState = { people: [], loaded: false };

  constructor(
    private readonly opts: {
      api: Pick<ApiClient, 'people' | 'renamePerson' | 'mergePerson'>;
      onChange(state: PeopleState): void;
      onMerged(): void;
    },
  ) {}

  get current(): PeopleState {
    return this.state;
  }

  async refresh(): Promise<void> {
    try {
      this.set({ people: [...(await this.opts.api.people())].sort(byName), loaded: true });
    } catch {
      // The list shows without names; the next push or refresh brings them.
      this.set({ loaded: true });
    }
  }

  applyPush(msg: Extract<PushMessage, { type: 'person' }>): void {
    const others = this.state.people.filter((p) => p.id !== msg.person.id);
    this.set({ people: msg.merged_into ? others : [...others, msg.person].sort(byName) });
    if (msg.merged_into) this.opts.onMerged();
  }

  async rename(id: string, name: string): Promise<void> {
    const saved = await this.call(() => this.opts.api.renamePerson(id, name));
    this.set({ people: [...this.state.people.filter((p) => p.id !== id), saved].sort(byName) });
  }

  /** `id` goes; their medications are `into`'s from now on. */
  async merge(id: string, into: string): Promise<void> {
    await this.call(() => this.opts.api.mergePerson(id, into));
    this.set({ people: this.state.people.filter((p) => p.id !== id) });
    this.opts.onMerged();
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw errorFromThrown(err);
    }
  }

  private set(patch: Partial<PeopleState>): void {
    this.state = { ...this.state, ...patch };
    this.opts.onChange(this.state);
  }
}
