// Tags the way the core normalises them: no leading '#', spaces become '-', trimmed.

export function normaliseTag(raw: string): string {
  return raw.trim().replace(/^#+/, "").trim().replace(/\s+/g, "-");
}

/** Existing tags that start with (then contain) what was typed, skipping ones already chosen. */
export function suggestTags<T extends { name: string; entries: number }>(
  typed: string,
  all: readonly T[],
  chosen: readonly string[],
  max: number,
): T[] {
  const q = normaliseTag(typed).toLowerCase();
  const pool = all.filter((t) => !chosen.includes(t.name));
  if (!q) return [...pool].sort((a, b) => b.entries - a.entries).slice(0, max);
  const starts = pool.filter((t) => t.name.toLowerCase().startsWith(q));
  const contains = pool.filter((t) => !t.name.toLowerCase().startsWith(q) && t.name.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, max);
}
