// The command palette's list, filtered by what was typed.

export interface PaletteCommand {
  id: string;
  label: string;
  keywords?: string;
  shortcut?: string;
}

/** Commands whose label or keywords contain every typed word, best (prefix) matches first. */
export function filterCommands<C extends PaletteCommand>(query: string, commands: readonly C[]): C[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...commands];
  const scored = commands
    .map((c) => {
      const hay = `${c.label} ${c.keywords ?? ""}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) return null;
      const first = words[0] ?? "";
      const score = c.label.toLowerCase().startsWith(first) ? 0 : c.label.toLowerCase().split(/\s+/).some((w) => w.startsWith(first)) ? 1 : 2;
      return { c, score };
    })
    .filter((x): x is { c: C; score: number } => x !== null);
  scored.sort((a, b) => a.score - b.score);
  return scored.map((x) => x.c);
}
