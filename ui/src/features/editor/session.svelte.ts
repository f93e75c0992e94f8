// One entry open in the editor: what is typed, what was last committed, and the saving of the
// one into the other. A new entry is created in the journal on its first save, so closing an
// untouched "New entry" leaves nothing behind.
//
// Two safety nets run side by side, because typing must never be lost: the autosave commits ~1 s after typing stops (and on
// blur, switching, closing and Ctrl+S), and every change is also kept as a draft ~300 ms later,
// so a crash between the two loses nothing. A draft is discarded once its content is committed.

import * as ipc from "../../ipc";
import type { AttachmentMeta, Entry, EntryInput, SavedEntry, Template } from "../../ipc";
import { Autosaver, type SaveState } from "../../lib/autosave";
import { debounce } from "../../lib/debounce";
import { describeError, invalidField } from "../../lib/errors";
import { inputFromEntry } from "../../lib/entries";
import { showToast } from "../../lib/toasts.svelte";

export const AUTOSAVE_MS = 1000;
export const DRAFT_MS = 300;

export interface SessionOptions {
  entry?: Entry;
  input?: EntryInput;
  template?: Template | null;
  draftKey?: string;
  /** Told of each commit, with the timeline row the core made for it. */
  onCommitted: (saved: SavedEntry, created: boolean) => void;
}

function newDraftKey(): string {
  const rnd = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  return `editor-${rnd}`;
}

export class EditorSession {
  entryId = $state<string | null>(null);
  input = $state<EntryInput>() as EntryInput;
  entry = $state<Entry | null>(null);
  attachments = $state<AttachmentMeta[]>([]);
  template = $state<Template | null>(null);
  save = $state<SaveState>({ kind: "idle" });
  /** An `Invalid` error that names a field, shown beside that field. */
  fieldError = $state<{ field: string; message: string } | null>(null);
  /**
   * The entry as someone else (the command line) saved it while this one had unsaved typing:
   * nothing is saved over it until the person chooses which version to keep.
   */
  outside = $state<Entry | null>(null);
  /** Bumped when the body is replaced from outside the editor (so CodeMirror reloads it). */
  revision = $state(0);

  readonly draftKey: string;
  private readonly onCommitted: SessionOptions["onCommitted"];
  private readonly autosaver: Autosaver<EntryInput>;
  private readonly keepDraft;
  private changes = 0;
  private draftWarned = false;

  constructor(opts: SessionOptions) {
    this.draftKey = opts.draftKey ?? newDraftKey();
    this.onCommitted = opts.onCommitted;
    this.template = opts.template ?? null;
    if (opts.entry) {
      this.entryId = opts.entry.id;
      this.entry = opts.entry;
      this.attachments = opts.entry.attachments;
    }
    this.input = opts.input ?? (opts.entry ? inputFromEntry(opts.entry) : (undefined as never));
    this.autosaver = new Autosaver<EntryInput>({
      delay: AUTOSAVE_MS,
      save: (content) => this.persist(content),
      onState: (s) => (this.save = s),
      describe: describeError,
    });
    this.keepDraft = debounce((content: EntryInput) => void this.writeDraft(content), DRAFT_MS);
  }

  get isNew(): boolean {
    return this.entryId === null;
  }

  get dirty(): boolean {
    return this.autosaver.dirty;
  }

  /** Applies an edit, schedules the autosave and the crash-safety draft. */
  change(patch: Partial<EntryInput>): void {
    this.input = { ...this.input, ...patch };
    this.changes += 1;
    if (this.fieldError && Object.keys(patch).some((k) => this.fieldError?.field.startsWith(k))) this.fieldError = null;
    const snapshot = $state.snapshot(this.input) as EntryInput;
    this.autosaver.change(snapshot);
    this.keepDraft(snapshot);
  }

  /** Marks content restored from a draft as unsaved, so it is committed like typing. */
  restored(content: EntryInput): void {
    this.revision += 1;
    this.change(content);
  }

  /** Commits now (Ctrl+S, blur, switching entry, closing). True when nothing is left unsaved. */
  flush(): Promise<boolean> {
    return this.autosaver.flush();
  }

  /** Keeps this version over the one saved outside: saves it now. */
  keepMine(): Promise<boolean> {
    // Saved over the version seen now, on purpose.
    if (this.outside) this.entry = this.outside;
    this.outside = null;
    return this.autosaver.retry();
  }

  retry(): Promise<boolean> {
    return this.autosaver.retry();
  }

  /** Keeps the draft immediately and stops timers; the session is no longer used. */
  dispose(): void {
    this.keepDraft.flush();
    this.autosaver.dispose();
  }

  private async persist(content: EntryInput): Promise<void> {
    if (this.outside) throw new Error("this entry was changed outside the app; choose which version to keep");
    const created = this.entryId === null;
    const at = this.changes;
    let saved: SavedEntry;
    try {
      saved =
        this.entryId === null
          ? await ipc.createEntry(content)
          : await ipc.updateEntry(this.entryId, content, this.entry?.updated_at ?? null);
    } catch (e) {
      // Saved elsewhere since it was opened: hold the typing and offer the choice.
      if (this.entryId !== null && ipc.toIpcError(e).kind === "Changed") {
        this.outside = await ipc.getEntry(this.entryId).catch(() => null);
      }
      const field = invalidField(e);
      this.fieldError = field ? { field, message: describeError(e) } : null;
      throw e;
    }
    this.fieldError = null;
    const entry = saved.entry;
    this.entryId = entry.id;
    this.entry = entry;
    this.attachments = entry.attachments;
    if (this.changes === at) {
      // Everything typed is committed: the draft would only repeat it.
      this.keepDraft.cancel();
      void this.dropDraft(created ? null : entry.id);
    } else if (created) {
      // Typing went on during the first save; its draft moves from the key to the entry.
      void this.dropDraft(null);
    }
    this.onCommitted(saved, created);
  }

  private async writeDraft(content: EntryInput): Promise<void> {
    try {
      await ipc.saveDraft(this.entryId, this.draftKey, content);
    } catch (e) {
      // A damaged journal refuses every write; the banner and the save status already say so.
      if (!this.draftWarned && ipc.toIpcError(e).kind !== "Damaged") {
        this.draftWarned = true;
        showToast(`The safety copy of your typing could not be kept: ${describeError(e)}`, { kind: "error" });
      }
    }
  }

  private async dropDraft(entryId: string | null): Promise<void> {
    try {
      await ipc.discardDraft(entryId, this.draftKey);
    } catch (e) {
      showToast(`An old draft could not be removed: ${describeError(e)}`, { kind: "error" });
    }
  }
}
