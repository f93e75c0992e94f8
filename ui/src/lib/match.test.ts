import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce } from "./debounce";
import { emptyFilters } from "./filters";
import { entryMatches } from "./match";

const facts = { setting: "Sunflower Nursery", group: "Toddlers", age_range: null, participants: null, duration_minutes: null, activities: null };
const e = { tags: ["ks3", "singing"], kind: "reflection" as const, template_id: "t-1", occurred_on: "2026-11-03", starred: false, session: facts };
const key = (id: string) => (id === "t-1" ? "gibbs" : null);

describe("whether a saved entry still belongs in a filtered timeline", () => {
  it("matches every filter the way the core does", () => {
    expect(entryMatches(e, emptyFilters(), key)).toBe(true);
    expect(entryMatches(e, { ...emptyFilters(), tags: ["ks3"] }, key)).toBe(true);
    expect(entryMatches(e, { ...emptyFilters(), tags: ["ks3", "send"] }, key)).toBe(false);
    expect(entryMatches(e, { ...emptyFilters(), kind: "quick_note" }, key)).toBe(false);
    expect(entryMatches(e, { ...emptyFilters(), template: "gibbs" }, key)).toBe(true);
    expect(entryMatches(e, { ...emptyFilters(), template: "t-1" }, key)).toBe(true);
    expect(entryMatches(e, { ...emptyFilters(), since: "2026-11-04" }, key)).toBe(false);
    expect(entryMatches(e, { ...emptyFilters(), until: "2026-11-03" }, key)).toBe(true);
    expect(entryMatches(e, { ...emptyFilters(), starred: true }, key)).toBe(false);
    expect(entryMatches(e, { ...emptyFilters(), setting: "sunflower nursery" }, key)).toBe(true);
    expect(entryMatches(e, { ...emptyFilters(), setting: "Bluebell" }, key)).toBe(false);
    expect(entryMatches({ ...e, session: null }, { ...emptyFilters(), group: "Toddlers" }, key)).toBe(false);
  });
});

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("calls once with the last arguments after the quiet period, and can flush or cancel", () => {
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d("a");
    d("b");
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledExactlyOnceWith("b");
    d("c");
    d.flush();
    expect(fn).toHaveBeenLastCalledWith("c");
    d("d");
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
