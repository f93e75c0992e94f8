// The open journal's data that several views share: its tags and templates, the timeline's
// filters, and a counter that tells lists to reload. The shell's own state (view, theme,
// info, damage banner) is in lib/app.svelte.ts.

import * as ipc from "../../ipc";
import type { TagCount, Template } from "../../ipc";
import { describeError } from "../../lib/errors";
import { emptyFilters, type FilterState } from "../../lib/filters";
import { showToast } from "../../lib/toasts.svelte";

export const journal = $state({
  tags: [] as TagCount[],
  templates: [] as Template[],
  filters: emptyFilters() as FilterState,
  /** Bumped when entries were added, removed or restored, so lists and counts reload. */
  dataVersion: 0,
  tagsError: null as string | null,
  /** False until the first list of tags has arrived. */
  tagsLoaded: false,
});

let firstPageShown: () => void = () => {};
/**
 * Settles once the timeline's first page has arrived (or failed). The journal has one
 * connection, so launch waits for it before asking for anything slower, such as tag counts.
 */
export const firstPage = new Promise<void>((resolve) => (firstPageShown = resolve));

export function markFirstPage(): void {
  firstPageShown();
}

export function bumpData(): void {
  journal.dataVersion += 1;
}

export async function loadTags(): Promise<void> {
  try {
    journal.tags = await ipc.listTags();
    journal.tagsError = null;
  } catch (e) {
    journal.tagsError = describeError(e);
  } finally {
    journal.tagsLoaded = true;
  }
}

export async function loadTemplates(): Promise<void> {
  try {
    journal.templates = await ipc.listTemplates();
  } catch (e) {
    showToast(`Templates could not be loaded: ${describeError(e)}`, { kind: "error" });
  }
}

export function templateById(id: string | null | undefined): Template | null {
  if (!id) return null;
  return journal.templates.find((t) => t.id === id) ?? null;
}
