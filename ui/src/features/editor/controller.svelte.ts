// Which entry the editor shows, and the moves between entries. Leaving an entry commits it
// first; when that fails the editor stays put so the unsaved text is never dropped.

import * as ipc from "../../ipc";
import type { Entry, EntryInput, EntryKind, SavedEntry, Template } from "../../ipc";
import { showEditor } from "../../lib/app.svelte";
import { describeError } from "../../lib/errors";
import { showToast } from "../../lib/toasts.svelte";
import { bumpData, loadTags, templateById } from "../journal/journal.svelte";
import { EditorSession } from "./session.svelte";

type CommitListener = (saved: SavedEntry, created: boolean) => void;

export const editor = $state({
  session: null as EditorSession | null,
  loadingId: null as string | null,
  error: null as string | null,
});

const listeners = new Set<CommitListener>();

/** Lists subscribe to keep their rows in step with what the editor commits. */
export function onEntryCommitted(listener: CommitListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let tagsTimer: ReturnType<typeof setTimeout> | null = null;
function committed(saved: SavedEntry, created: boolean): void {
  for (const l of listeners) l(saved, created);
  if (created) bumpData();
  if (tagsTimer) clearTimeout(tagsTimer);
  tagsTimer = setTimeout(() => void loadTags(), 800);
}

function session(opts: { entry?: Entry; input?: EntryInput; template?: Template | null; draftKey?: string }): EditorSession {
  return new EditorSession({ ...opts, onCommitted: committed });
}

const LEAVE_FAILED = "The entry that is open could not be saved, so it stays open and this was not opened.";

/** Commits the open entry before something else replaces it; false when that failed. */
export async function leaveCurrent(): Promise<boolean> {
  const s = editor.session;
  if (!s) return true;
  const ok = await s.flush();
  if (!ok) {
    showToast("This entry could not be saved, so it stays open. Your text is still here.", { kind: "error" });
    return false;
  }
  s.dispose();
  return true;
}

export async function openEntry(id: string): Promise<void> {
  if (editor.session?.entryId === id) return;
  if (!(await leaveCurrent())) return;
  // The session left behind is disposed (its typing would no longer be saved): not shown.
  editor.session = null;
  editor.loadingId = id;
  editor.error = null;
  try {
    const entry = await ipc.getEntry(id);
    if (editor.loadingId !== id) return;
    editor.session = session({ entry, template: templateById(entry.template_id) });
  } catch (e) {
    if (editor.loadingId === id) {
      editor.session = null;
      editor.error = `This entry could not be opened: ${describeError(e)}`;
    }
  } finally {
    if (editor.loadingId === id) editor.loadingId = null;
  }
}

/** Starts an unsaved entry: from a template, or a blank quick note / session record. */
export async function startNew(kind: EntryKind, template: Template | null = null): Promise<boolean> {
  if (!(await leaveCurrent())) return false;
  let input: EntryInput;
  try {
    input = await ipc.newEntryInput(template?.kind ?? kind, template?.id ?? null);
  } catch (e) {
    showToast(`A new entry could not be started: ${describeError(e)}`, { kind: "error" });
    return false;
  }
  editor.error = null;
  editor.session = session({ input, template });
  showEditor();
  return true;
}

/** Opens a draft that belongs to no entry yet (crash recovery), as an unsaved new entry. */
export async function openDraftAsNew(content: EntryInput, draftKey: string): Promise<void> {
  if (!(await leaveCurrent())) throw new Error(LEAVE_FAILED);
  const s = session({ input: content, template: templateById(content.template_id), draftKey });
  editor.session = s;
  s.restored(content);
}

/**
 * Opens an entry with a draft's content in place of the committed text, ready to save.
 * Rejects (with the core's error) when the entry cannot be read; the draft is then kept.
 */
export async function openEntryWithDraft(id: string, content: EntryInput): Promise<void> {
  if (!(await leaveCurrent())) throw new Error(LEAVE_FAILED);
  editor.session = null;
  const entry = await ipc.getEntry(id);
  const s = session({ entry, template: templateById(content.template_id) });
  editor.session = s;
  s.restored(content);
}

/**
 * Something outside the app (the command line) wrote to the journal. When that changed the
 * open entry, the editor shows the new version if nothing is unsaved here; otherwise it holds
 * the typing, saves nothing over the other version, and asks which to keep.
 */
export async function noticeOutsideChange(): Promise<void> {
  const s = editor.session;
  if (!s || s.entryId === null || !s.entry) return;
  let latest: Entry;
  try {
    latest = await ipc.getEntry(s.entryId);
  } catch {
    return; // Gone or unreadable: the next save says so.
  }
  if (editor.session !== s || latest.updated_at === s.entry.updated_at) return;
  if (s.dirty) {
    s.outside = latest;
    return;
  }
  s.dispose();
  editor.session = session({ entry: latest, template: templateById(latest.template_id) });
  showToast("This entry was changed outside the app; it now shows that version.");
}

/** Drops the typing held since the entry changed outside, and shows that version. */
export function useOutsideVersion(): void {
  const s = editor.session;
  const latest = s?.outside;
  if (!s || !latest) return;
  s.dispose();
  void ipc.discardDraft(latest.id, s.draftKey).catch(() => {});
  editor.session = session({ entry: latest, template: templateById(latest.template_id) });
}

export async function closeEditor(): Promise<void> {
  if (await leaveCurrent()) editor.session = null;
}

/**
 * Moves the open entry to the trash, with an Undo in the toast. Never rejects: a failure is
 * shown in a toast and the entry stays open; a failed Undo says so and leaves it in the trash.
 */
export async function trashOpenEntry(): Promise<void> {
  const s = editor.session;
  if (!s) return;
  if (s.isNew && !s.dirty) {
    s.dispose();
    editor.session = null;
    return;
  }
  if (!(await s.flush())) {
    showToast("This entry could not be saved, so it was not moved to the trash.", { kind: "error" });
    return;
  }
  const id = s.entryId;
  if (!id) return;
  const title = s.input.title || s.entry?.title || "Untitled";
  try {
    await ipc.trashEntry(id);
  } catch (e) {
    showToast(`“${title}” could not be moved to the trash: ${describeError(e)}`, { kind: "error" });
    return;
  }
  s.dispose();
  if (editor.session === s) editor.session = null;
  bumpData();
  void loadTags();
  showToast(`“${title}” was moved to the trash.`, {
    action: {
      label: "Undo",
      run: async () => {
        try {
          await ipc.restoreEntry(id);
        } catch (e) {
          showToast(`“${title}” could not be brought back, so it is still in the trash: ${describeError(e)}`, { kind: "error" });
          return;
        }
        bumpData();
        void loadTags();
        await openEntry(id);
      },
    },
  });
}

/** Commits whatever is open (window closing); false when it could not be saved. */
export async function flushEditor(): Promise<boolean> {
  const s = editor.session;
  if (!s) return true;
  return s.flush();
}
