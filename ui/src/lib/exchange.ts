// The closing line of an import, in words.

import type { ImportReport } from "../ipc";

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** "Imported 12 entries (10 new, 2 updated); 3 already here. …" — or the core's own line if it sends one. */
export function importSummary(r: ImportReport): string {
  const own = (r as { summary?: unknown }).summary;
  if (typeof own === "string" && own.trim()) return own;
  const e = r.entries;
  const t = r.total;
  const changed = t.added + t.updated;
  if (changed === 0) return `Nothing new to import: all ${plural(t.skipped, "record was", "records were")} already in the journal.`;
  const parts = [`Imported ${plural(e.added + e.updated, "entry", "entries")} (${e.added} new, ${e.updated} updated)`];
  if (e.skipped > 0) parts.push(`${e.skipped} already here`);
  const others = changed - (e.added + e.updated);
  if (others > 0) parts.push(`${plural(others, "other record", "other records")} (templates, people, attachments…)`);
  let line = `${parts.join("; ")}.`;
  if (r.backup) line += ` A backup of the journal as it was is at ${r.backup}.`;
  return line;
}
