// The template's guidance questions, shown under each matching `## Heading` as muted widgets.
// They are decorations, not text: the document (the entry's Markdown) never contains them, and
// they are hidden when printing (`.cm-prompt-hint` in app.css).

import { type EditorState, Facet, RangeSetBuilder, StateField, type Extension } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, WidgetType } from "@codemirror/view";
import type { Prompt } from "../../ipc";
import { findPromptHeadings } from "../../lib/prompts";

/** The prompts of the entry's template (empty: no hints). */
export const promptsFacet = Facet.define<readonly Prompt[], readonly Prompt[]>({
  combine: (values) => values[values.length - 1] ?? [],
});

class HintWidget extends WidgetType {
  constructor(readonly guidance: readonly string[]) {
    super();
  }
  override eq(other: HintWidget): boolean {
    return other.guidance.join("\n") === this.guidance.join("\n");
  }
  toDOM(): HTMLElement {
    const box = document.createElement("div");
    box.className = "cm-prompt-hint";
    box.setAttribute("aria-hidden", "true");
    for (const q of this.guidance) {
      const line = document.createElement("div");
      // textContent, never innerHTML: template text is data.
      line.textContent = q;
      box.appendChild(line);
    }
    return box;
  }
  override ignoreEvent(): boolean {
    return true;
  }
}

function build(state: EditorState): DecorationSet {
  const prompts = state.facet(promptsFacet);
  const builder = new RangeSetBuilder<Decoration>();
  if (prompts.length === 0) return builder.finish();
  const lines: string[] = [];
  for (let i = 1; i <= state.doc.lines; i++) lines.push(state.doc.line(i).text);
  for (const h of findPromptHeadings(lines, prompts)) {
    const line = state.doc.line(h.line + 1);
    builder.add(line.to, line.to, Decoration.widget({ widget: new HintWidget(h.guidance), block: true, side: 1 }));
  }
  return builder.finish();
}

const hintField = StateField.define<DecorationSet>({
  create: build,
  update(value, tr) {
    if (tr.docChanged || tr.startState.facet(promptsFacet) !== tr.state.facet(promptsFacet)) return build(tr.state);
    return value;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function promptHints(prompts: readonly Prompt[]): Extension {
  return [promptsFacet.of(prompts), hintField];
}
