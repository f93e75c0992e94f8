// Arithmetic for the virtual list: where each row starts, and which rows a window shows.

/** offsets[i] is where row i starts; offsets[rows.length] is the total height. */
export function offsetsOf<T>(rows: readonly T[], heightOf: (row: T) => number): number[] {
  const out = new Array<number>(rows.length + 1);
  let y = 0;
  for (let i = 0; i < rows.length; i++) {
    out[i] = y;
    y += heightOf(rows[i] as T);
  }
  out[rows.length] = y;
  return out;
}

/** The first row that ends after `y` (binary search over the offsets). */
function rowAt(offsets: readonly number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows [start, end) that overlap the window [top, bottom). */
export function visibleRange(offsets: readonly number[], top: number, bottom: number): { start: number; end: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const start = rowAt(offsets, Math.max(0, top));
  let end = rowAt(offsets, Math.max(0, bottom)) + 1;
  if (end > count) end = count;
  return { start, end };
}
