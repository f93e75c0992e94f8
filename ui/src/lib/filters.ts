// What the filter bars edit, and how it becomes the core's `EntryFilter`.

import type { EntryFilter, EntryKind } from "../ipc";
import { isDay } from "./dates";

export interface FilterState {
  tags: string[];
  kind: EntryKind | "";
  template: string;
  since: string;
  until: string;
  /** A setting or group named in session facts (matched whatever its case). */
  setting: string;
  group: string;
  starred: boolean;
}

export const emptyFilters = (): FilterState => ({ tags: [], kind: "", template: "", since: "", until: "", setting: "", group: "", starred: false });

export interface FilterProblem {
  field: "since" | "until";
  message: string;
}

/** Problems a person can fix before the filter is sent (the core would refuse them too). */
export function filterProblems(f: FilterState): FilterProblem[] {
  const out: FilterProblem[] = [];
  if (f.since && !isDay(f.since)) out.push({ field: "since", message: "“From” is not a date." });
  if (f.until && !isDay(f.until)) out.push({ field: "until", message: "“To” is not a date." });
  if (f.since && f.until && isDay(f.since) && isDay(f.until) && f.since > f.until)
    out.push({ field: "until", message: "“To” is before “From”." });
  return out;
}

export function toEntryFilter(
  f: FilterState,
  extra: { trash?: boolean; cursor?: string | null; limit?: number | null } = {},
): EntryFilter {
  return {
    tags: [...new Set(f.tags.map((t) => t.trim()).filter(Boolean))],
    kind: f.kind === "" ? null : f.kind,
    template: f.template.trim() || null,
    relationship: null,
    since: isDay(f.since) ? f.since : null,
    until: isDay(f.until) ? f.until : null,
    setting: f.setting.trim() || null,
    group: f.group.trim() || null,
    starred: f.starred,
    trash: extra.trash ?? false,
    cursor: extra.cursor ?? null,
    limit: extra.limit ?? null,
  };
}

export function activeFilterCount(f: FilterState): number {
  return f.tags.length + (f.kind ? 1 : 0) + (f.template ? 1 : 0) + (f.since ? 1 : 0) + (f.until ? 1 : 0) + (f.setting.trim() ? 1 : 0) + (f.group.trim() ? 1 : 0) + (f.starred ? 1 : 0);
}

export function toggleTag(f: FilterState, tag: string): FilterState {
  const tags = f.tags.includes(tag) ? f.tags.filter((t) => t !== tag) : [...f.tags, tag];
  return { ...f, tags };
}

/** A stable string for "did the filter change?" checks. */
export function filterKey(f: FilterState): string {
  return JSON.stringify(toEntryFilter(f));
}
