import { describe, expect, it } from "vitest";
import { offsetsOf, visibleRange } from "./virtual";

describe("virtual list arithmetic", () => {
  const rows = ["h", "e", "e", "h", "e"];
  const offsets = offsetsOf(rows, (r) => (r === "h" ? 40 : 100));

  it("knows where every row starts and the total height", () => {
    expect(offsets).toEqual([0, 40, 140, 240, 280, 380]);
  });

  it("renders only the rows that overlap the window", () => {
    expect(visibleRange(offsets, 0, 100)).toEqual({ start: 0, end: 2 });
    expect(visibleRange(offsets, 150, 260)).toEqual({ start: 2, end: 4 });
    expect(visibleRange(offsets, 1000, 2000)).toEqual({ start: 4, end: 5 });
  });

  it("stays cheap for 50,000 rows", () => {
    const big = offsetsOf(new Array(50_000).fill("e"), () => 100);
    const t = performance.now();
    for (let i = 0; i < 1000; i++) visibleRange(big, i * 4000, i * 4000 + 800);
    expect(performance.now() - t).toBeLessThan(50);
    expect(visibleRange(big, 2_500_000, 2_500_800)).toEqual({ start: 25_000, end: 25_009 });
  });

  it("handles an empty list", () => {
    expect(visibleRange(offsetsOf([], () => 10), 0, 100)).toEqual({ start: 0, end: 0 });
  });
});
