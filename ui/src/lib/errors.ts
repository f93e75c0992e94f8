// Errors in plain words, next to what caused them.

import { toIpcError } from "../ipc";

const REPLACEMENTS: Record<string, string> = {
  DiskFull: "The disk is full. Your text is still here; free some space, then try again.",
  Cancelled: "Cancelled.",
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
  if (err.kind === "Invalid") {
    const m = /^invalid ([\w.[\]]+):\s*(.*)$/s.exec(message);
    const label = m?.[1] !== undefined ? FIELD_LABELS[m[1]] : undefined;
    if (m && label) return `${label}: ${m[2] ?? ""}`;
  }
  return capitalise(message);
}

/** The field an `Invalid` error names ("invalid session.participants: …" → "session.participants"). */
export function invalidField(e: unknown): string | null {
  const err = toIpcError(e);
  if (err.kind !== "Invalid") return null;
  const m = /^invalid ([\w.[\]]+):/.exec(err.message);
  return m?.[1] ?? null;
}
