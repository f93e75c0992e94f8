// A timeline (or the trash) loaded page by page with the core's cursor, plus the number of
// entries matching the filter. Responses from an older filter are dropped.

import * as ipc from "../../ipc";
import type { EntrySummary, SavedEntry } from "../../ipc";
import { upsertSorted } from "../../lib/entries";
import { describeError } from "../../lib/errors";
import { toEntryFilter, type FilterState } from "../../lib/filters";
import { templateById } from "./journal.svelte";

export const PAGE_SIZE = 200;

export class EntryList {
  items = $state.raw<EntrySummary[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);
  total = $state<number | null>(null);
  countError = $state<string | null>(null);

  private generation = 0;
  private filters: FilterState | null = null;

  constructor(private readonly trash: boolean) {}

  get complete(): boolean {
    return this.loaded && this.next === null;
  }

  /** Starts over with a new filter (or the same one, to reload). */
  async reset(filters: FilterState): Promise<void> {
    this.filters = filters;
    const mine = ++this.generation;
    this.loading = true;
    this.error = null;
    // The page first: the journal answers one query at a time, and the count can follow.
    const pending = ipc.listEntries(toEntryFilter(filters, { trash: this.trash, limit: PAGE_SIZE }));
    void this.count(mine);
    try {
      const page = await pending;
      if (mine !== this.generation) return;
      this.items = page.items;
      this.next = page.next;
      this.loaded = true;
    } catch (e) {
      if (mine === this.generation) {
        this.items = [];
        this.next = null;
        this.error = describeError(e);
      }
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }

  /** Loads the next page, if there is one and none is loading. */
  async loadMore(): Promise<void> {
    if (!this.filters || this.loading || this.next === null || this.error) return;
    const mine = this.generation;
    this.loading = true;
    try {
      const page = await ipc.listEntries(toEntryFilter(this.filters, { trash: this.trash, cursor: this.next, limit: PAGE_SIZE }));
      if (mine !== this.generation) return;
      const seen = new Set(this.items.map((i) => i.id));
      this.items = [...this.items, ...page.items.filter((i) => !seen.has(i.id))];
      this.next = page.next;
    } catch (e) {
      if (mine === this.generation) this.error = describeError(e);
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }

  /** Tries the failed page again. */
  retry(): void {
    if (!this.filters) return;
    if (this.items.length === 0) void this.reset(this.filters);
    else {
      this.error = null;
      void this.loadMore();
    }
  }

  private async count(mine: number): Promise<void> {
    if (!this.filters) return;
    try {
      const n = await ipc.countEntries(toEntryFilter(this.filters, { trash: this.trash }));
      if (mine === this.generation) {
        this.total = n;
        this.countError = null;
      }
    } catch (e) {
      if (mine === this.generation) this.countError = describeError(e);
    }
  }

  /** Keeps a row in step with an entry the editor committed (unfiltered timelines only). */
  applyCommitted({ entry, summary: s }: SavedEntry, matchesFilter: boolean): void {
    if (!matchesFilter) {
      this.items = this.items.filter((i) => i.id !== entry.id);
      return;
    }
    const had = this.items.some((i) => i.id === entry.id);
    this.items = upsertSorted(this.items, s, this.next === null);
    if (!had && this.total !== null) this.total += 1;
  }

  remove(id: string): void {
    const before = this.items.length;
    this.items = this.items.filter((i) => i.id !== id);
    if (this.items.length < before && this.total !== null) this.total -= 1;
  }
}
