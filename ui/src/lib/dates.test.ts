import { describe, expect, it } from "vitest";
import { formatDay, groupByMonth, isDay, localToday, monthLabel } from "./dates";

const e = (id: string, occurred_on: string) => ({ id, occurred_on });

describe("month grouping", () => {
  it("puts one header before each month, newest first, as the rows arrive", () => {
    const rows = groupByMonth([e("a", "2026-11-20"), e("b", "2026-11-03"), e("c", "2026-10-31"), e("d", "2025-10-02")]);
    expect(rows.map((r) => (r.type === "month" ? `# ${r.label}` : r.item.id))).toEqual([
      "# November 2026",
      "a",
      "b",
      "# October 2026",
      "c",
      "# October 2025",
      "d",
    ]);
  });

  it("gives a month that spans two pages a single header", () => {
    const first = [e("a", "2026-11-20"), e("b", "2026-11-19")];
    const both = [...first, e("c", "2026-11-02")];
    expect(groupByMonth(both).filter((r) => r.type === "month")).toHaveLength(1);
  });

  it("gives every row a unique key", () => {
    const rows = groupByMonth([e("a", "2026-11-20"), e("b", "2026-10-20"), e("c", "2026-11-01")]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it("returns no rows for no entries", () => {
    expect(groupByMonth([])).toEqual([]);
  });
});

describe("day formatting", () => {
  it("names months and weekdays without shifting the day by the time zone", () => {
    expect(monthLabel("2026-01")).toBe("January 2026");
    expect(formatDay("2026-11-03")).toBe("Tue 3 Nov");
    expect(formatDay("2024-02-29")).toBe("Thu 29 Feb");
  });

  it("accepts only real calendar days", () => {
    expect(isDay("2026-02-28")).toBe(true);
    expect(isDay("2026-02-30")).toBe(false);
    expect(isDay("2026-2-3")).toBe(false);
    expect(isDay("")).toBe(false);
  });

  it("writes today in the local calendar", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});
