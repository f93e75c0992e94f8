/// <reference types="node" />
// The palette in app.css must keep every text colour readable (WCAG AA, 4.5:1) on every
// background it is drawn on, in both themes. This reads the CSS so the test follows edits.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const css = readFileSync(fileURLToPath(new URL("../app.css", import.meta.url)), "utf8");

function block(marker: string): Record<string, string> {
  const start = css.indexOf(marker);
  if (start < 0) throw new Error(`no "${marker}" in app.css`);
  const end = css.indexOf("}", start);
  const vars: Record<string, string> = {};
  for (const m of css.slice(start, end).matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) vars[m[1] as string] = m[2] as string;
  return vars;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

const texts = ["text", "text-muted", "text-faint", "accent", "danger", "hint"];
const backgrounds = ["bg", "bg-sidebar", "surface", "bg-selected", "bg-hover"];
const pairs: [string, string][] = [
  ...texts.flatMap((t) => backgrounds.map((b) => [t, b] as [string, string])),
  ["accent-text", "accent"],
  ["badge-text", "badge"],
  ["text", "mark"],
  ["text", "accent-soft"],
  ["surface", "danger"],
];

describe.each([
  ["light", "/* palette: light */"],
  ["dark", "/* palette: dark */"],
  ["dark (system)", "/* palette: dark (system)"],
])("the %s palette", (_name, marker) => {
  const vars = block(marker);
  it.each(pairs)("--%s on --%s reads at 4.5:1 or more", (fg, bg) => {
    const a = vars[fg];
    const b = vars[bg];
    expect(a, `--${fg}`).toBeDefined();
    expect(b, `--${bg}`).toBeDefined();
    expect(contrast(a as string, b as string)).toBeGreaterThanOrEqual(4.5);
  });
});

describe("the dark palettes", () => {
  it("are the same for the dark theme and for following a dark system", () => {
    expect(block("/* palette: dark (system)")).toEqual(block("/* palette: dark */"));
  });
});
