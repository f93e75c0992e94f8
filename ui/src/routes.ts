// The views the app can show, one row each. The sidebar, the keyboard shortcuts, the command
// palette and the main area are all drawn from this table, so a new view is one row here plus
// its own folder under features/ (see docs/ARCHITECTURE.md, "How to add a view").

import type { Component } from "svelte";
import type { IconName } from "./components/Icon.svelte";
import Timeline from "./features/journal/Timeline.svelte";
import Trash from "./features/journal/Trash.svelte";
import SearchView from "./features/search/SearchView.svelte";
import Settings from "./features/settings/Settings.svelte";
import { setEditorViews, setView } from "./lib/app.svelte";
import type { PaletteCommand } from "./lib/commands";
import { findBinding, type KeyLike } from "./lib/shortcuts";

/** A command-palette entry that opens the view, or one of its sections. */
export interface PaletteEntry {
  /** Stable: it names the entry in tests (`palette-command-<id>`). */
  id: string;
  label: string;
  /** Other words that should find it. */
  keywords: string;
  /** The part of the view to bring into sight: an element id inside it (see `app.section`). */
  section?: string;
}

export type Route = {
  id: string;
  /** The sidebar's label, and the main area's accessible name while the view shows. */
  label: string;
  icon: IconName;
  /** Its keyboard shortcut, shown in the sidebar and the palette ("Mod+1"). */
  keys?: string;
  palette: readonly PaletteEntry[];
  /**
   * Lists entries beside the editor. The editor stays mounted while moving between such
   * views, and opening or starting an entry from any other view comes to the journal.
   */
  withEditor?: boolean;
} & (
  | { component: Component }
  /** Fetched on the first visit, for a view whose code would otherwise slow down launch. */
  | { load: () => Promise<{ default: Component }> }
);

// The journal is the first view shown, so its code is part of the launch bundle (launch time
// is measured, see PERFORMANCE.md); the others are small enough that loading them on demand
// would only add a blank frame to their first visit.
const table = [
  {
    id: "journal",
    label: "Journal",
    icon: "journal",
    keys: "Mod+1",
    palette: [{ id: "go-journal", label: "Go to Journal", keywords: "timeline entries" }],
    withEditor: true,
    component: Timeline,
  },
  {
    id: "search",
    label: "Search",
    icon: "search",
    keys: "Mod+2",
    palette: [{ id: "go-search", label: "Go to Search", keywords: "find" }],
    withEditor: true,
    component: SearchView,
  },
  {
    id: "trash",
    label: "Trash",
    icon: "trash",
    palette: [{ id: "go-trash", label: "Go to Trash", keywords: "deleted restore" }],
    component: Trash,
  },
  {
    id: "settings",
    label: "Settings",
    icon: "settings",
    keys: "Mod+3",
    palette: [
      { id: "settings", label: "Settings", keywords: "profile preferences templates" },
      { id: "export", label: "Export…", keywords: "backup json markdown", section: "exchange" },
      { id: "import", label: "Import…", keywords: "jrnl json", section: "exchange" },
    ],
    component: Settings,
  },
] as const satisfies readonly Route[];

/** A view's id, as the table spells it. */
export type View = (typeof table)[number]["id"];

export const routes: readonly (Route & { id: View })[] = table;

setEditorViews(routes.filter((r) => r.withEditor).map((r) => r.id));

/** The row of `view`; the first row for an id no row has (which the type rules out). */
export function routeFor(view: View): Route & { id: View } {
  return routes.find((r) => r.id === view) ?? table[0];
}

/** The palette's entries for every view, in the table's order. */
export function routeCommands(): (PaletteCommand & { run: () => void })[] {
  return routes.flatMap((r) =>
    r.palette.map((p) => ({
      id: p.id,
      label: p.label,
      keywords: p.keywords,
      // A section's entry is not what the view's shortcut does, so it does not show it.
      shortcut: p.section ? undefined : r.keys,
      run: () => setView(r.id, p.section ?? null),
    })),
  );
}

/** The view whose shortcut the key press is, if any. */
export function viewForShortcut(e: KeyLike, mac?: boolean): View | null {
  return findBinding(
    e,
    routes.flatMap((r) => (r.keys ? [{ keys: r.keys, action: r.id }] : [])),
    mac,
  );
}
