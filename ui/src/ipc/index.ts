// The UI's only door to Rust.
//
// `bindings.ts` is generated from the Rust commands (tauri-specta): every fallible command
// resolves to `{status: "ok", data} | {status: "error", error: {kind, message, field}}`. Feature code
// should not branch on that shape at every call site, so this wrapper unwraps `data` and
// throws an `IpcError` for every failure — the error object from Rust, a rejected invoke, or
// anything else — so a caller has one `try/catch` and one type to show.
//
// In `vite dev` outside the shell (plain browser, headless screenshots) there is no Tauri
// runtime; there, and only there, an in-memory mock backend answers. The condition starts
// with `import.meta.env.DEV`, which Vite replaces with `false` in `vite build`, so the mock
// module is never part of a production bundle.

import { convertFileSrc } from "@tauri-apps/api/core";
import { TauriEvent } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { commands, events } from "./bindings";
import type {
  AppInfo,
  AttachmentMeta,
  Draft,
  Entry,
  EntryFilter,
  EntryInput,
  EntryKind,
  EntrySummary,
  ErrorKind,
  ExportSummary,
  Format,
  FormatInfo,
  ImportReport,
  Limits,
  Page,
  Person,
  PersonInput,
  Prompt,
  SavedEntry,
  SearchHit,
  SearchRequest,
  SessionFacts,
  TagCount,
  Template,
  TemplateInput,
} from "./bindings";

export type {
  AppInfo,
  AttachmentMeta,
  Draft,
  Entry,
  EntryFilter,
  EntryInput,
  EntryKind,
  EntrySummary,
  ErrorKind,
  ExportSummary,
  Format,
  FormatInfo,
  ImportReport,
  Limits,
  Page,
  Person,
  PersonInput,
  Prompt,
  SavedEntry,
  SearchHit,
  SearchRequest,
  SessionFacts,
  TagCount,
  Template,
  TemplateInput,
};

// Named through what uses them, so the UI does not depend on how the generator names them.
export type Theme = AppInfo["theme"];
/** How far a running export or import has got (the `exchangeProgress` event). */
export type Progress = Parameters<Parameters<typeof events.exchangeProgress.listen>[0]>[0]["payload"];
/** A failure reported by the core (or by the bridge to it), with a kind to branch on. */
export class IpcError extends Error {
  readonly kind: ErrorKind;
  /** For `Invalid`, the field that was wrong, as the model names it. */
  readonly field: string | null;

  constructor(kind: ErrorKind, message: string, field: string | null = null) {
    super(message);
    this.name = "IpcError";
    this.kind = kind;
    this.field = field;
  }
}

/** Turns anything a command can reject or fail with into an `IpcError`. */
export function toIpcError(e: unknown): IpcError {
  if (e instanceof IpcError) return e;
  if (typeof e === "object" && e !== null) {
    const o = e as { kind?: unknown; message?: unknown; field?: unknown };
    // The shape of the generated `IpcError`: its kind is one of the core's `ErrorKind`s.
    if (typeof o.kind === "string" && typeof o.message === "string")
      return new IpcError(o.kind as ErrorKind, o.message, typeof o.field === "string" ? o.field : null);
  }
  if (e instanceof Error) return new IpcError("Internal", e.message);
  if (typeof e === "string") return new IpcError("Internal", e);
  return new IpcError("Internal", "an unexpected error occurred");
}

type Unwrapped<R> = R extends { status: "ok"; data: infer T } ? T : R extends { status: "error" } ? never : R;

/** Unwraps a tauri-specta `Result` (or passes a plain value through); throws `IpcError`. */
export async function unwrap<R>(pending: Promise<R>): Promise<Unwrapped<R>> {
  let value: R;
  try {
    value = await pending;
  } catch (e) {
    throw toIpcError(e);
  }
  if (typeof value === "object" && value !== null && "status" in value) {
    const r = value as { status: unknown; data?: unknown; error?: unknown };
    if (r.status === "ok" && "data" in r) return r.data as Unwrapped<R>;
    if (r.status === "error") throw toIpcError(r.error);
  }
  return value as Unwrapped<R>;
}

export interface Backend {
  commands: typeof commands;
  events: typeof events;
  attachmentUrl?: (id: string) => string;
}

const useMock =
  import.meta.env.DEV &&
  import.meta.env.MODE !== "test" &&
  typeof window !== "undefined" &&
  !("__TAURI_INTERNALS__" in window);

let backendPromise: Promise<Backend> | null = null;
let mockAttachmentUrl: ((id: string) => string) | null = null;

function backend(): Promise<Backend> {
  if (!backendPromise) {
    if (import.meta.env.DEV && useMock) {
      backendPromise = import("./mock").then((m) => {
        const b = m.createMockBackend();
        mockAttachmentUrl = b.attachmentUrl ?? null;
        return b;
      });
    } else {
      backendPromise = Promise.resolve({ commands, events });
    }
  }
  return backendPromise;
}

/** True when the UI runs without the desktop shell (development only). */
export const isMockBackend = useMock;

type Commands = typeof commands;

function call<R>(run: (c: Commands) => Promise<R>): Promise<Unwrapped<R>> {
  return unwrap(backend().then((b) => run(b.commands)));
}

// App and profile

export const appInfo = () => call((c) => c.appInfo());
export const journalHealth = () => call((c) => c.journalHealth());
export const outsideChanges = () => call((c) => c.outsideChanges());
export const limits = () => call((c) => c.limits());
export const finishWelcome = (profile: PersonInput, sample: boolean) => call((c) => c.finishWelcome(profile, sample));
export const setTheme = (theme: Theme) => call((c) => c.setTheme(theme));
export const switchJournal = (sample: boolean) => call((c) => c.switchJournal(sample));
export const getOwner = () => call((c) => c.getOwner());
export const setOwner = (input: PersonInput) => call((c) => c.setOwner(input));

// Entries

export const listEntries = (filter: EntryFilter) => call((c) => c.listEntries(filter));
export const countEntries = (filter: EntryFilter) => call((c) => c.countEntries(filter));
export const getEntry = (id: string) => call((c) => c.getEntry(id));
export const newEntryInput = (kind: EntryKind, templateId: string | null) => call((c) => c.newEntryInput(kind, templateId));
export const createEntry = (input: EntryInput) => call((c) => c.createEntry(input));
/** Saves an entry; with `basedOn` (the `updated_at` the editor loaded) it is refused, kind
 * `Changed`, when someone else saved the entry since. */
export const updateEntry = (id: string, input: EntryInput, basedOn: string | null = null) =>
  call((c) => c.updateEntry(id, input, basedOn));
export const trashEntry = (id: string) => call((c) => c.trashEntry(id));
export const restoreEntry = (id: string) => call((c) => c.restoreEntry(id));
export const purgeEntry = (id: string) => call((c) => c.purgeEntry(id));
export const renderEntry = (input: EntryInput) => call((c) => c.renderEntry(input));
export const listTags = () => call((c) => c.listTags());
export const search = (req: SearchRequest) => call((c) => c.search(req));

// Templates

export const listTemplates = () => call((c) => c.listTemplates());
export const createTemplate = (input: TemplateInput) => call((c) => c.createTemplate(input));
export const updateTemplate = (id: string, input: TemplateInput) => call((c) => c.updateTemplate(id, input));
export const copyTemplate = (idOrKey: string, name: string | null) => call((c) => c.copyTemplate(idOrKey, name));
export const deleteTemplate = (id: string) => call((c) => c.deleteTemplate(id));

// Drafts

export const saveDraft = (entryId: string | null, key: string, content: EntryInput) =>
  call((c) => c.saveDraft(entryId, key, content));
export const listDrafts = () => call((c) => c.listDrafts());
export const discardDraft = (entryId: string | null, key: string) => call((c) => c.discardDraft(entryId, key));

// Attachments (Rust opens the native file dialog; `null` means the person cancelled)

export const addAttachment = (entryId: string) => call((c) => c.addAttachment(entryId));
export const removeAttachment = (id: string) => call((c) => c.removeAttachment(id));
export const openAttachment = (id: string) => call((c) => c.openAttachment(id));

/** The scheme the shell serves attachment bytes on (registered in src-tauri). */
export const ATTACHMENT_SCHEME = "reprise-attachment";

/** Where an attachment's bytes can be loaded from, for `<audio>` and `<img>`. */
export function attachmentUrl(id: string): string {
  if (import.meta.env.DEV && useMock) return mockAttachmentUrl?.(id) ?? "";
  return convertFileSrc(id, ATTACHMENT_SCHEME);
}

/**
 * An attachment's bytes as a `blob:` URL the page owns, for `<audio>` and `<video>`: WebKitGTK's
 * media player cannot read the attachment scheme itself, but the page can fetch from it. Call
 * `URL.revokeObjectURL` when the player goes, so the bytes are let go.
 */
export async function attachmentMediaUrl(id: string): Promise<string> {
  const url = attachmentUrl(id);
  if (url.startsWith("data:")) return url;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw toIpcError(e);
  }
  if (!response.ok) throw new IpcError(response.status === 404 ? "NotFound" : "Io", (await response.text()) || `the attachment could not be read (${response.status})`);
  return URL.createObjectURL(await response.blob());
}

// Exchange (Rust opens the native save/open dialog; `null` means the person cancelled)

export const exchangeFormats = () => call((c) => c.exchangeFormats());
export const exportJournal = (format: Format) => call((c) => c.exportJournal(format));
export const importJournal = (format: Format) => call((c) => c.importJournal(format));
export const openExternal = (url: string) => call((c) => c.openExternal(url));

/** Calls `handler` with each progress report of a running export or import. */
export async function onExchangeProgress(handler: (p: Progress) => void): Promise<() => void> {
  const b = await backend();
  return b.events.exchangeProgress.listen((event) => handler(event.payload));
}

/** Why the window did not close when asked. */
export type CloseProblem = { kind: "unsaved" } | { kind: "cannot-close"; error: IpcError };

/**
 * Runs `beforeClose` when the window is asked to close, then closes it.
 *
 * While a page listens for `close-requested`, Tauri holds the close and leaves it to the page to
 * destroy the window, which is what lets the editor commit the last keystrokes first.
 * When `beforeClose` reports unsaved text, the first request is refused (`onProblem` says why)
 * and a second one closes anyway. Destroying needs the `core:window:allow-destroy` permission;
 * should it be missing, the listener removes itself so the next click on close works as usual,
 * rather than leaving a window that cannot be closed. Outside the shell: `pagehide`.
 */
export async function onWindowClose(
  beforeClose: () => Promise<boolean>,
  onProblem: (problem: CloseProblem) => void,
): Promise<() => void> {
  if (import.meta.env.DEV && useMock) {
    const h = () => void beforeClose();
    window.addEventListener("pagehide", h);
    return () => window.removeEventListener("pagehide", h);
  }
  let unlisten: (() => void) | null = null;
  let warned = false;
  try {
    const win = getCurrentWindow();
    unlisten = await win.listen(TauriEvent.WINDOW_CLOSE_REQUESTED, async () => {
      const saved = await beforeClose().catch(() => false);
      if (!saved && !warned) {
        warned = true;
        onProblem({ kind: "unsaved" });
        return;
      }
      try {
        await win.destroy();
      } catch (e) {
        unlisten?.();
        unlisten = null;
        onProblem({ kind: "cannot-close", error: toIpcError(e) });
      }
    });
  } catch {
    // No window API (tests): nothing to hook.
  }
  return () => unlisten?.();
}
