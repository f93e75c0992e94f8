import { describe, expect, it } from "vitest";
import type { EntrySummary } from "../ipc";
import { blankInput, upsertSorted } from "./entries";

const s = (id: string, occurred_on: string): EntrySummary => ({
  id,
  kind: "reflection",
  title: id,
  occurred_on,
  template_name: null,
  tags: [],
  excerpt: "",
  starred: false,
  updated_at: "2026-11-01T00:00:00Z",
  deleted_at: null,
});

describe("keeping a timeline in step with a save", () => {
  const items = [s("0c", "2026-11-20"), s("0b", "2026-11-10"), s("0a", "2026-10-01")];

  it("puts a new entry where the core would list it (by day, then id)", () => {
    expect(upsertSorted(items, s("0d", "2026-11-10"), true).map((i) => i.id)).toEqual(["0c", "0d", "0b", "0a"]);
    expect(upsertSorted(items, s("0e", "2026-12-01"), true).map((i) => i.id)).toEqual(["0e", "0c", "0b", "0a"]);
  });

  it("moves an entry whose day changed, without duplicating it", () => {
    expect(upsertSorted(items, s("0a", "2026-11-30"), true).map((i) => i.id)).toEqual(["0a", "0c", "0b"]);
  });

  it("leaves an entry older than everything loaded to the next page", () => {
    expect(upsertSorted(items, s("0z", "2020-01-01"), false).map((i) => i.id)).toEqual(["0c", "0b", "0a"]);
    expect(upsertSorted(items, s("0z", "2020-01-01"), true).map((i) => i.id)).toEqual(["0c", "0b", "0a", "0z"]);
  });
});

describe("entry text helpers", () => {
  it("starts session records with empty session facts and others without", () => {
    expect(blankInput("session_record", "2026-11-22").session).toEqual({
      setting: null,
      group: null,
      age_range: null,
      participants: null,
      duration_minutes: null,
      activities: null,
    });
    expect(blankInput("quick_note", "2026-11-22").session).toBeNull();
  });
});

describe("session facts", () => {
  it("count as present when any one is filled in", async () => {
    const { hasFacts, blankSession } = await import("./entries");
    expect(hasFacts(null)).toBe(false);
    expect(hasFacts(blankSession())).toBe(false);
    expect(hasFacts({ ...blankSession(), setting: "Sunflower Nursery" })).toBe(true);
    expect(hasFacts({ ...blankSession(), participants: 0 })).toBe(true);
  });
});
