import { describe, expect, it } from "vitest";
import { findPromptHeadings } from "./prompts";

const prompts = [
  { heading: "Description", guidance: ["What happened?"] },
  { heading: "Feelings", guidance: ["How did it feel?", "What did they feel?"] },
  { heading: "No hints", guidance: [] },
];

describe("template prompts in an entry", () => {
  it("finds the headings that match prompts, ignoring case and spacing", () => {
    const lines = ["## description", "text", "##   Feelings  ", "", "## Something else"];
    expect(findPromptHeadings(lines, prompts)).toEqual([
      { line: 0, guidance: ["What happened?"] },
      { line: 2, guidance: ["How did it feel?", "What did they feel?"] },
    ]);
  });

  it("shows each prompt's hints once, under its first heading", () => {
    expect(findPromptHeadings(["## Feelings", "## Feelings"], prompts).map((h) => h.line)).toEqual([0]);
  });

  it("ignores other heading levels and headings inside fenced code", () => {
    expect(findPromptHeadings(["# Description", "### Feelings", "```", "## Description", "```"], prompts)).toEqual([]);
  });

  it("shows nothing without a template", () => {
    expect(findPromptHeadings(["## Description"], [])).toEqual([]);
  });
});
