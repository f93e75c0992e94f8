import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Entry, EntryInput, SavedEntry } from "../../ipc";

const failing = vi.hoisted(() => ({ trash: false, restore: false }));
/** What `getEntry` answers when set: the entry as the command line saved it meanwhile. */
const outside = vi.hoisted(() => ({ entry: null as import("../../ipc").Entry | null }));

vi.mock("../../ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../ipc")>();
  const { blankInput } = await import("../../lib/entries");
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
  const storage = () => Promise.reject(new real.IpcError("Storage", "storage: disk I/O error"));
  return {
    ...real,
    createEntry: vi.fn((input: EntryInput) => Promise.resolve(saved("e1", input))),
    updateEntry: vi.fn((id: string, input: EntryInput) => Promise.resolve(saved(id, input))),
    newEntryInput: vi.fn((kind: EntryInput["kind"]) => Promise.resolve(blankInput(kind, "2026-11-22"))),
    getEntry: vi.fn((id: string) => outside.entry ? Promise.resolve(outside.entry) : Promise.resolve(entry(id, { ...blankInput("quick_note", "2026-11-22"), title: "Rounds" }))),
    saveDraft: vi.fn(() => Promise.resolve(null)),
    discardDraft: vi.fn(() => Promise.resolve(null)),
    listTags: vi.fn(() => Promise.resolve([])),
    trashEntry: vi.fn(() => (failing.trash ? storage() : Promise.resolve(null))),
    restoreEntry: vi.fn(() => (failing.restore ? storage() : Promise.resolve(null))),
  };
});

import { toasts } from "../../lib/toasts.svelte";
import * as ipc from "../../ipc";
import { editor, noticeOutsideChange, startNew, trashOpenEntry, useOutsideVersion } from "./controller.svelte";

async function openSaved(title: string) {
  await startNew("quick_note");
  editor.session?.change({ title, body: "Rounds in three parts" });
  expect(await editor.session?.flush()).toBe(true);
}

describe("moving the open entry to the trash", () => {
  beforeEach(() => {
    failing.trash = false;
    failing.restore = false;
    toasts.length = 0;
    editor.session = null;
  });

  it("keeps the entry open and says why when the core refuses", async () => {
    await openSaved("Rounds");
    failing.trash = true;
    await expect(trashOpenEntry()).resolves.toBeUndefined();
    expect(editor.session?.entryId).toBe("e1");
    expect(toasts.map((t) => [t.kind, t.message])).toEqual([
      ["error", "“Rounds” could not be moved to the trash: Storage: disk I/O error"],
    ]);
  });

  it("offers Undo, and a failed Undo says the entry is still in the trash", async () => {
    await openSaved("Rounds");
    await trashOpenEntry();
    expect(editor.session).toBeNull();
    const undo = toasts.at(-1)?.action;
    expect(undo?.label).toBe("Undo");
    failing.restore = true;
    await expect(undo?.run()).resolves.toBeUndefined();
    expect(toasts.at(-1)).toMatchObject({
      kind: "error",
      message: "“Rounds” could not be brought back, so it is still in the trash: Storage: disk I/O error",
    });
    expect(editor.session).toBeNull();
  });

  it("reopens the entry when Undo works", async () => {
    await openSaved("Rounds");
    await trashOpenEntry();
    await toasts.at(-1)?.action?.run();
    expect(editor.session?.entryId).toBe("e1");
  });
});

describe("an open entry changed outside the app", () => {
  beforeEach(() => {
    outside.entry = null;
    toasts.length = 0;
    editor.session = null;
    vi.mocked(ipc.updateEntry).mockClear();
  });

  const changedOutside = () => {
    const e = editor.session?.entry;
    if (!e) throw new Error("no entry open");
    return { ...e, title: "Changed from the command line", updated_at: "2026-11-22T11:00:00Z" };
  };

  it("shows the other version when nothing here is unsaved", async () => {
    await openSaved("Rounds");
    outside.entry = changedOutside();
    await noticeOutsideChange();
    expect(editor.session?.input.title).toBe("Changed from the command line");
    expect(editor.session?.outside).toBeNull();
  });

  it("holds unsaved typing, saves nothing over the other version, and lets the person choose", async () => {
    await openSaved("Rounds");
    editor.session?.change({ body: "typed here, not yet saved" });
    outside.entry = changedOutside();
    await noticeOutsideChange();
    const s = editor.session;
    expect(s?.outside?.title).toBe("Changed from the command line");
    expect(await s?.flush()).toBe(false);
    expect(ipc.updateEntry).not.toHaveBeenCalled();
    expect(s?.input.body).toBe("typed here, not yet saved");
    // Keeping mine saves it over theirs.
    expect(await s?.keepMine()).toBe(true);
    expect(ipc.updateEntry).toHaveBeenCalledOnce();
  });

  it("can drop the typing for the other version", async () => {
    await openSaved("Rounds");
    editor.session?.change({ body: "typed here" });
    outside.entry = changedOutside();
    await noticeOutsideChange();
    useOutsideVersion();
    expect(editor.session?.input.title).toBe("Changed from the command line");
    expect(editor.session?.dirty).toBe(false);
  });
});
