// Type-ahead full-text search: the query is sent ~120 ms after typing stops, with the last
// word as a prefix; results page in with the cursor; an answer to an older query is dropped.

import * as ipc from "../../ipc";
import type { SearchHit } from "../../ipc";
import { describeError } from "../../lib/errors";
import { emptyFilters, toEntryFilter, type FilterState } from "../../lib/filters";

export const SEARCH_DEBOUNCE_MS = 120;

/** The search view's filters, kept while another view shows (the search view is unmounted then). */
export const searchView = $state({ filters: emptyFilters() as FilterState });

export class SearchState {
  query = $state("");
  hits = $state.raw<SearchHit[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  /** A query the core could not understand (kind "Query"), in plain words. */
  queryError = $state<string | null>(null);
  error = $state<string | null>(null);
  searched = $state("");

  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  // A page is about three screens of results; more come as the list nears its end. Each
  // result's snippet costs the core a lookup, so a longer first page only delays it.
  constructor(private readonly limit = 25) {}

  /** Schedules a search for `query` with `filters`. */
  schedule(query: string, filters: FilterState, immediate = false): void {
    this.query = query;
    if (this.timer) clearTimeout(this.timer);
    const run = () => void this.run(query, filters, null);
    if (immediate) run();
    else this.timer = setTimeout(run, SEARCH_DEBOUNCE_MS);
  }

  async loadMore(filters: FilterState): Promise<void> {
    if (this.loading || this.next === null || !this.searched) return;
    await this.run(this.searched, filters, this.next);
  }

  private async run(query: string, filters: FilterState, cursor: string | null): Promise<void> {
    const q = query.trim();
    const mine = cursor ? this.generation : ++this.generation;
    if (!q) {
      this.hits = [];
      this.next = null;
      this.queryError = null;
      this.error = null;
      this.searched = "";
      this.loading = false;
      return;
    }
    this.loading = true;
    try {
      const page = await ipc.search({
        query: q,
        prefix_last: true,
        order: "relevance",
        filter: toEntryFilter(filters, { cursor, limit: this.limit }),
      });
      if (mine !== this.generation) return;
      this.hits = cursor ? [...this.hits, ...page.items] : page.items;
      this.next = page.next;
      this.searched = q;
      this.queryError = null;
      this.error = null;
    } catch (e) {
      if (mine !== this.generation) return;
      const err = ipc.toIpcError(e);
      if (err.kind === "Query") {
        this.queryError = describeQueryError(err.message);
      } else {
        this.error = describeError(e);
      }
      if (!cursor) {
        this.hits = [];
        this.next = null;
      }
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }
}

/** "search query: unterminated string" → words for someone who did not mean to write syntax. */
export function describeQueryError(message: string): string {
  const detail = message.replace(/^search query:\s*/i, "").trim();
  return `Reprise could not read this search${detail ? ` (${detail})` : ""}. Try plain words, or close any open quotes or brackets.`;
}
