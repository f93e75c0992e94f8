import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Entry, EntryInput, SavedEntry } from "../../ipc";

const calls = vi.hoisted(() => [] as string[]);
const failing = vi.hoisted(() => ({ save: false }));

vi.mock("../../ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../ipc")>();
  const entry = (id: string, input: EntryInput): Entry => ({
    ...input,
    id,
    title: input.title || "Untitled reflection",
    occurred_on: input.occurred_on ?? "2026-11-22",
    attachments: [],
    created_at: "2026-11-22T10:00:00Z",
    updated_at: "2026-11-22T10:00:00Z",
    deleted_at: null,
  });
  // What the core answers a save with: the entry and its timeline row.
  const saved = (id: string, input: EntryInput): SavedEntry => {
    const e = entry(id, input);
    const { body: _b, occurred_time: _t, template_id: _i, session: _s, linked_entries: _l, linked_cpd: _c, linked_relationships: _r, attachments: _a, created_at: _ca, ...row } = e;
    return { entry: e, summary: { ...row, template_name: null, excerpt: input.body } };
  };
  const fail = () => Promise.reject(new real.IpcError("DiskFull", "storage: database or disk is full"));
  return {
    ...real,
    createEntry: vi.fn((input: EntryInput) => (calls.push(`create ${input.body}`), failing.save ? fail() : Promise.resolve(saved("e1", input)))),
    updateEntry: vi.fn((id: string, input: EntryInput) => (calls.push(`update ${id} ${input.body}`), failing.save ? fail() : Promise.resolve(saved(id, input)))),
    saveDraft: vi.fn((id: string | null, key: string, c: EntryInput) => (calls.push(`draft ${id ?? key} ${c.body}`), Promise.resolve(null))),
    discardDraft: vi.fn((id: string | null, key: string) => (calls.push(`discard ${id ?? key}`), Promise.resolve(null))),
  };
});

import { blankInput } from "../../lib/entries";
import { EditorSession } from "./session.svelte";

describe("an editor session", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    calls.length = 0;
    failing.save = false;
  });
  afterEach(() => vi.useRealTimers());

  const fresh = () => new EditorSession({ input: blankInput("reflection", "2026-11-22"), draftKey: "k1", onCommitted: () => {} });

  it("keeps a draft 300 ms after typing and commits a second after typing stops", async () => {
    const s = fresh();
    s.change({ body: "We sang" });
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toEqual(["draft k1 We sang"]);
    await vi.advanceTimersByTimeAsync(700);
    expect(calls).toEqual(["draft k1 We sang", "create We sang", "discard k1"]);
    expect(s.save.kind).toBe("saved");
    expect(s.entryId).toBe("e1");
  });

  it("creates a new entry on its first save and updates it afterwards", async () => {
    const s = fresh();
    s.change({ body: "one" });
    await s.flush();
    s.change({ body: "one two" });
    await s.flush();
    expect(calls.filter((c) => !c.startsWith("draft") && !c.startsWith("discard"))).toEqual(["create one", "update e1 one two"]);
  });

  it("keeps the text and the draft when a save fails, and says why", async () => {
    failing.save = true;
    const s = fresh();
    s.change({ body: "precious words" });
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.save).toEqual({ kind: "error", message: "The disk is full. Your text is still here; free some space, then try again." });
    expect(s.input.body).toBe("precious words");
    expect(calls).toContain("draft k1 precious words");
    expect(calls.some((c) => c.startsWith("discard"))).toBe(false);
    failing.save = false;
    await expect(s.retry()).resolves.toBe(true);
    expect(s.save.kind).toBe("saved");
  });

  it("shows an Invalid error beside the field it names", async () => {
    const ipc = await import("../../ipc");
    vi.mocked(ipc.createEntry).mockRejectedValueOnce(new ipc.IpcError("Invalid", "200000 is more than 100000", "session.participants"));
    const s = fresh();
    s.change({ body: "x" });
    await s.flush();
    expect(s.fieldError).toEqual({ field: "session.participants", message: "Participants: 200000 is more than 100000" });
  });
});
