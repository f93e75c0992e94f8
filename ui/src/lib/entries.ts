// Entry-shaped values the editor and the timeline build without asking the core.

import type { Entry, EntryInput, EntryKind, EntrySummary, SessionFacts } from "../ipc";

export function blankSession(): SessionFacts {
  return { setting: null, group: null, age_range: null, participants: null, duration_minutes: null, activities: null };
}

/** True when any session fact is filled in. */
export function hasFacts(f: SessionFacts | null): f is SessionFacts {
  return f !== null && Object.values(f).some((v) => v !== null && v !== "");
}

export function blankInput(kind: EntryKind, day: string): EntryInput {
  return {
    kind,
    title: "",
    body: "",
    occurred_on: day,
    occurred_time: null,
    template_id: null,
    starred: false,
    tags: [],
    session: kind === "session_record" ? blankSession() : null,
    linked_entries: [],
    linked_cpd: [],
    linked_relationships: [],
  };
}

export function inputFromEntry(e: Entry): EntryInput {
  return {
    kind: e.kind,
    title: e.title,
    body: e.body,
    occurred_on: e.occurred_on,
    occurred_time: e.occurred_time,
    template_id: e.template_id,
    starred: e.starred,
    tags: [...e.tags],
    session: e.session ? { ...e.session } : null,
    linked_entries: [...e.linked_entries],
    linked_cpd: [...e.linked_cpd],
    linked_relationships: [...e.linked_relationships],
  };
}

/** True when two inputs would save the same entry (used to skip drafts that add nothing). */
export function sameInput(a: EntryInput, b: EntryInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Newest first: by day, then by id (UUIDv7 ids sort by creation), as the core orders them. */
function before(a: EntrySummary, b: EntrySummary): boolean {
  return a.occurred_on === b.occurred_on ? a.id > b.id : a.occurred_on > b.occurred_on;
}

/**
 * Puts a changed or new summary where the core would list it. When more pages exist and the
 * row sorts after everything loaded, it is left out: the next page brings it.
 */
export function upsertSorted(items: readonly EntrySummary[], s: EntrySummary, complete: boolean): EntrySummary[] {
  const rest = items.filter((x) => x.id !== s.id);
  const at = rest.findIndex((x) => before(s, x));
  if (at === -1) return complete ? [...rest, s] : rest;
  return [...rest.slice(0, at), s, ...rest.slice(at)];
}
