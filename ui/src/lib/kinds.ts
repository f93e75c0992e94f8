import type { EntryKind } from "../ipc";

export const KIND_LABELS: Record<EntryKind, string> = {
  reflection: "Reflection",
  quick_note: "Quick note",
  session_record: "Session record",
};

export const KINDS: EntryKind[] = ["reflection", "quick_note", "session_record"];
