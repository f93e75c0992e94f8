import { describe, expect, it } from "vitest";
import { filterCommands } from "./commands";
import { normaliseTag, suggestTags } from "./tags";

const commands = [
  { id: "new", label: "New entry", keywords: "write" },
  { id: "quick", label: "New quick note" },
  { id: "trash", label: "Go to Trash", keywords: "deleted" },
  { id: "theme", label: "Toggle theme", keywords: "dark light" },
];

describe("command palette filtering", () => {
  it("lists every command for an empty query", () => {
    expect(filterCommands("", commands)).toHaveLength(4);
  });

  it("matches words in labels and keywords, prefix matches first", () => {
    expect(filterCommands("dark", commands).map((c) => c.id)).toEqual(["theme"]);
    expect(filterCommands("new note", commands).map((c) => c.id)).toEqual(["quick"]);
    expect(filterCommands("trash", commands).map((c) => c.id)).toEqual(["trash"]);
  });
});

describe("tags", () => {
  it("normalises like the core: no #, spaces become dashes", () => {
    expect(normaliseTag("  #Early years ")).toBe("Early-years");
  });

  it("suggests existing tags by prefix, then by substring, skipping chosen ones", () => {
    const all = [
      { name: "singing", entries: 3 },
      { name: "ks3", entries: 9 },
      { name: "group-singing", entries: 1 },
    ];
    expect(suggestTags("sing", all, [], 5).map((t) => t.name)).toEqual(["singing", "group-singing"]);
    expect(suggestTags("", all, ["ks3"], 5).map((t) => t.name)).toEqual(["singing", "group-singing"]);
  });
});
