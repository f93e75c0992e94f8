// The shell's state: which view is showing, the journal's info, the theme, the open overlays
// and the banner for a damaged journal. What the views share about the journal's contents
// (tags, templates, filters) is the journal feature's, in features/journal/journal.svelte.ts.

import * as ipc from "../ipc";
import type { AppInfo, Theme } from "../ipc";
import { describeError } from "./errors";
import { showToast } from "./toasts.svelte";

export type View = "journal" | "search" | "trash" | "settings";

export const app = $state({
  info: null as AppInfo | null,
  view: "journal" as View,
  /** True while the operating system (or the chosen theme) makes the UI dark. */
  dark: false,
  paletteOpen: false,
  chooserOpen: false,
  /** What is wrong with the journal, when its check at launch found damage. */
  damage: null as string | null,
});

export function setView(view: View): void {
  app.view = view;
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
