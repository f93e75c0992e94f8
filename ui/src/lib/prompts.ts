// A template's prompts inside an entry body. The body holds only `## Heading` lines (the core
// writes them when a new entry starts from a template); the
// guidance questions are shown beside matching headings by the editor and never written into
// the Markdown, so an entry reads well anywhere.

import type { Prompt } from "../ipc";

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

export interface PromptHeading {
  /** Zero-based line number of the heading. */
  line: number;
  guidance: string[];
}

/**
 * Lines that are `##` headings matching a prompt, with that prompt's guidance. Each prompt
 * matches once (the first heading with its text), and headings inside fenced code are ignored.
 */
export function findPromptHeadings(lines: readonly string[], prompts: readonly Prompt[]): PromptHeading[] {
  const wanted = new Map<string, string[]>();
  for (const p of prompts) {
    const guidance = p.guidance ?? [];
    if (guidance.length > 0 && !wanted.has(norm(p.heading))) wanted.set(norm(p.heading), guidance);
  }
  const out: PromptHeading[] = [];
  let fenced = false;
  lines.forEach((text, line) => {
    if (/^\s{0,3}(```|~~~)/.test(text)) fenced = !fenced;
    if (fenced) return;
    const m = /^\s{0,3}##\s+(.+?)\s*#*\s*$/.exec(text);
    if (!m || m[1] === undefined) return;
    const guidance = wanted.get(norm(m[1]));
    if (guidance) {
      out.push({ line, guidance });
      wanted.delete(norm(m[1]));
    }
  });
  return out;
}
