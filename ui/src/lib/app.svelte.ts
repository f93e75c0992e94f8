// The shell's state: which view is showing (the views are listed in routes.ts), the journal's
// info, the theme, the open overlays and the banner for a damaged journal. What the views share
// about the journal's contents (tags, templates, filters) is the journal feature's, in
// features/journal/journal.svelte.ts.

import * as ipc from "../ipc";
import type { AppInfo, Limits, Theme } from "../ipc";
import type { View } from "../routes";
import { describeError } from "./errors";
import { showToast } from "./toasts.svelte";

export const app = $state({
  info: null as AppInfo | null,
  view: "journal" as View,
  /** The part of the view to bring into sight as it opens (a Settings section's id), if any. */
  section: null as string | null,
  /** True while the operating system (or the chosen theme) makes the UI dark. */
  dark: false,
  paletteOpen: false,
  chooserOpen: false,
  /** What is wrong with the journal, when its check at launch found damage. */
  damage: null as string | null,
  /** The journal's limits (lengths, sizes, counts), for fields to keep as they are typed. */
  limits: null as Limits | null,
});

export function setView(view: View, section: string | null = null): void {
  app.view = view;
  app.section = section;
}

// Which views show the editor is a fact of the route table, which hands it over here rather
// than being imported: the table imports the views, and they import this file.
let editorViews: ReadonlySet<View> = new Set();

/** Called once by routes.ts with the views that list entries beside the editor. */
export function setEditorViews(views: Iterable<View>): void {
  editorViews = new Set(views);
}

/** Puts the editor on screen: a view beside it stays, any other gives way to the journal. */
export function showEditor(): void {
  if (!editorViews.has(app.view)) setView("journal");
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
