// Errors in plain words, next to what caused them.

import { toIpcError, type ErrorKind } from "../ipc";

const REPLACEMENTS: Partial<Record<ErrorKind, string>> = {
  DiskFull: "The disk is full. Your text is still here; free some space, then try again.",
};

/** Names the core gives fields, as the form labels them. */
const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  body: "Text",
  tags: "Tags",
  occurred_on: "Date",
  occurred_time: "Time",
  "session.setting": "Setting",
  "session.group": "Group",
  "session.age_range": "Age range",
  "session.participants": "Participants",
  "session.duration_minutes": "Duration",
  "session.activities": "Activities",
  display_name: "Name",
  role_words: "Role",
  contact: "Contact",
  name: "Name",
  description: "Description",
  prompts: "Prompts",
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One sentence a person can act on, for any failure. */
export function describeError(e: unknown): string {
  const err = toIpcError(e);
  const replacement = REPLACEMENTS[err.kind];
  if (replacement) return replacement;
  const message = err.message.trim() || "something went wrong";
  if (err.kind === "Invalid" && err.field) {
    const label = FIELD_LABELS[err.field] ?? capitalise(err.field.replace(/[._]/g, " "));
    return `${label}: ${message}`;
  }
  return capitalise(message);
}

/** The field an `Invalid` error names, as the model names it (e.g. "session.participants"). */
export function invalidField(e: unknown): string | null {
  const err = toIpcError(e);
  return err.kind === "Invalid" ? err.field : null;
}
