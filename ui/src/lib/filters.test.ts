import { describe, expect, it } from "vitest";
import { activeFilterCount, emptyFilters, filterProblems, toEntryFilter, toggleTag } from "./filters";

describe("filters to EntryFilter", () => {
  it("sends an empty filter as nulls and empty lists", () => {
    expect(toEntryFilter(emptyFilters())).toEqual({
      tags: [],
      kind: null,
      template: null,
      relationship: null,
      since: null,
      until: null,
      setting: null,
      group: null,
      starred: false,
      trash: false,
      cursor: null,
      limit: null,
    });
  });

  it("carries every chosen filter, the cursor and the page size", () => {
    const f = { tags: ["ks3", " singing ", "ks3"], kind: "session_record" as const, template: "gibbs", since: "2026-01-01", until: "2026-03-31", setting: " Sunflower Nursery ", group: "", starred: true };
    expect(toEntryFilter(f, { trash: true, cursor: "abc", limit: 200 })).toEqual({
      tags: ["ks3", "singing"],
      kind: "session_record",
      template: "gibbs",
      relationship: null,
      since: "2026-01-01",
      until: "2026-03-31",
      setting: "Sunflower Nursery",
      group: null,
      starred: true,
      trash: true,
      cursor: "abc",
      limit: 200,
    });
  });

  it("leaves out a date that is not a date instead of sending it", () => {
    expect(toEntryFilter({ ...emptyFilters(), since: "2026-13-01" }).since).toBeNull();
  });

  it("says when the range is back to front", () => {
    expect(filterProblems({ ...emptyFilters(), since: "2026-05-01", until: "2026-04-01" })).toEqual([
      { field: "until", message: "“To” is before “From”." },
    ]);
    expect(filterProblems({ ...emptyFilters(), since: "2026-04-01", until: "2026-05-01" })).toEqual([]);
  });

  it("toggles tags and counts active filters", () => {
    const one = toggleTag(emptyFilters(), "ks3");
    expect(one.tags).toEqual(["ks3"]);
    expect(toggleTag(one, "ks3").tags).toEqual([]);
    expect(activeFilterCount({ ...one, starred: true, kind: "quick_note" })).toBe(3);
  });
});
