// Whether an entry belongs in a filtered list, to keep rows in step without asking the core.

import type { Entry } from "../ipc";
import type { FilterState } from "./filters";

export function entryMatches(e: Pick<Entry, "tags" | "kind" | "template_id" | "occurred_on" | "starred" | "session">, f: FilterState, templateKey: (id: string) => string | null): boolean {
  if (!f.tags.every((t) => e.tags.includes(t))) return false;
  if (f.kind && e.kind !== f.kind) return false;
  if (f.template && e.template_id !== f.template && (e.template_id === null || templateKey(e.template_id) !== f.template)) return false;
  if (f.since && e.occurred_on < f.since) return false;
  if (f.until && e.occurred_on > f.until) return false;
  if (f.starred && !e.starred) return false;
  const same = (a: string | null | undefined, b: string) => (a ?? "").trim().toLowerCase() === b.trim().toLowerCase();
  if (f.setting.trim() && !same(e.session?.setting, f.setting)) return false;
  if (f.group.trim() && !same(e.session?.group, f.group)) return false;
  return true;
}
