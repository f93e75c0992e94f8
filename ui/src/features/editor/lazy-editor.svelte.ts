// CodeMirror is about half of the UI's code, and nothing needs it until an entry is opened:
// it is loaded as its own chunk once the journal is showing, so the first start does not wait
// for it.

import type MarkdownEditorType from "./MarkdownEditor.svelte";

type EditorComponent = typeof MarkdownEditorType;

const loaded = $state<{ component: EditorComponent | null; error: string | null }>({ component: null, error: null });
let loading: Promise<void> | null = null;

/** Starts loading the Markdown editor (once); resolves when it is ready or has failed. */
export function loadMarkdownEditor(): Promise<void> {
  if (!loading) loaded.error = null;
  loading ??= import("./MarkdownEditor.svelte").then(
    (m) => {
      loaded.component = m.default;
    },
    (e: unknown) => {
      loading = null; // let a later call try again
      loaded.error = e instanceof Error ? e.message : String(e);
    },
  );
  return loading;
}

/** The editor component once loaded, else null; and why loading failed, if it did. */
export const markdownEditor = {
  get component(): EditorComponent | null {
    return loaded.component;
  },
  get error(): string | null {
    return loaded.error;
  },
};
