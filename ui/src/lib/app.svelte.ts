// State shared across views: which view is showing, the journal's info, tags and templates,
// the timeline's filters, and the theme.

import * as ipc from "../ipc";
import type { AppInfo, TagCount, Template, Theme } from "../ipc";
import { describeError } from "./errors";
import { emptyFilters, type FilterState } from "./filters";
import { showToast } from "./toasts.svelte";

export type View = "journal" | "search" | "trash" | "settings";

export const app = $state({
  info: null as AppInfo | null,
  view: "journal" as View,
  tags: [] as TagCount[],
  templates: [] as Template[],
  filters: emptyFilters() as FilterState,
  searchFilters: emptyFilters() as FilterState,
  /** True while the operating system (or the chosen theme) makes the UI dark. */
  dark: false,
  paletteOpen: false,
  chooserOpen: false,
  /** Bumped when entries were added, removed or restored, so lists and counts reload. */
  dataVersion: 0,
  tagsError: null as string | null,
  /** False until the first list of tags has arrived. */
  tagsLoaded: false,
  /** What is wrong with the journal, when its check at launch found damage. */
  damage: null as string | null,
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

export function setView(view: View): void {
  app.view = view;
}

export function bumpData(): void {
  app.dataVersion += 1;
}

export async function loadTags(): Promise<void> {
  try {
    app.tags = await ipc.listTags();
    app.tagsError = null;
  } catch (e) {
    app.tagsError = describeError(e);
  } finally {
    app.tagsLoaded = true;
  }
}

/**
 * Waits for the journal's check for damage, which runs in the background while the timeline
 * shows; damage is kept in `app.damage` for a banner (nothing can be saved then). A check that
 * could not run is tried again by the next save, which reports its own error.
 */
let healthWatch = 0;

export async function watchJournalHealth(): Promise<void> {
  // After a switch of journal, only the newest watch speaks: an older one reports on the
  // journal that was open before.
  const mine = ++healthWatch;
  try {
    await ipc.journalHealth();
    if (mine === healthWatch) app.damage = null;
  } catch (e) {
    if (mine === healthWatch && ipc.toIpcError(e).kind === "Damaged") app.damage = describeError(e);
  }
}

export async function loadTemplates(): Promise<void> {
  try {
    app.templates = await ipc.listTemplates();
  } catch (e) {
    showToast(`Templates could not be loaded: ${describeError(e)}`, { kind: "error" });
  }
}

export function templateById(id: string | null | undefined): Template | null {
  if (!id) return null;
  return app.templates.find((t) => t.id === id) ?? null;
}

const systemDark = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset["theme"] = theme;
  app.dark = theme === "dark" || (theme === "system" && !!systemDark?.matches);
}

systemDark?.addEventListener("change", () => {
  if (app.info) applyTheme(app.info.theme);
});

export async function chooseTheme(theme: Theme): Promise<void> {
  const before = app.info?.theme ?? "system";
  if (app.info) app.info = { ...app.info, theme };
  applyTheme(theme);
  try {
    await ipc.setTheme(theme);
  } catch (e) {
    if (app.info) app.info = { ...app.info, theme: before };
    applyTheme(before);
    throw e;
  }
}

/** Switches to the opposite of what is showing now (the palette's "Toggle theme"). */
export async function toggleTheme(): Promise<void> {
  const next: Theme = app.dark ? "light" : "dark";
  try {
    await chooseTheme(next);
  } catch (e) {
    showToast(`The theme could not be saved: ${describeError(e)}`, { kind: "error" });
  }
}
