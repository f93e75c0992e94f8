// Dates as the journal stores them: "YYYY-MM-DD" days, no time zone. Formatting goes through
// UTC so a day never shifts by the machine's offset.

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function parts(day: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!match) return null;
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** "2026-11-03" → "2026-11". */
export function monthKey(day: string): string {
  return day.slice(0, 7);
}

/** "2026-11" (or a whole day) → "November 2026". */
export function monthLabel(key: string): string {
  const p = parts(`${key.slice(0, 7)}-01`);
  if (!p) return key;
  return `${MONTHS[p.m - 1] ?? "?"} ${p.y}`;
}

/** "2026-11-03" → "Tue 3 Nov". */
export function formatDay(day: string): string {
  const p = parts(day);
  if (!p) return day;
  const weekday = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
  return `${DAYS[weekday] ?? ""} ${p.d} ${(MONTHS[p.m - 1] ?? "").slice(0, 3)}`;
}

/** "2026-11-03" → "3 November 2026". */
export function formatLongDay(day: string): string {
  const p = parts(day);
  if (!p) return day;
  return `${p.d} ${MONTHS[p.m - 1] ?? "?"} ${p.y}`;
}

/** Today in the local calendar, as "YYYY-MM-DD". */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** True for a real calendar day written as "YYYY-MM-DD". */
export function isDay(s: string): boolean {
  const p = parts(s);
  if (!p || s.length !== 10) return false;
  const date = new Date(Date.UTC(p.y, p.m - 1, p.d));
  return date.getUTCFullYear() === p.y && date.getUTCMonth() === p.m - 1 && date.getUTCDate() === p.d;
}

export type TimelineRow<T> =
  | { type: "month"; key: string; label: string }
  | { type: "entry"; key: string; item: T };

/**
 * Interleaves month header rows with entries that are already sorted newest first.
 * A month whose entries arrive over several pages still gets one header.
 */
export function groupByMonth<T extends { id: string; occurred_on: string }>(
  items: readonly T[],
  dayOf: (item: T) => string = (item) => item.occurred_on,
): TimelineRow<T>[] {
  const rows: TimelineRow<T>[] = [];
  let current: string | null = null;
  for (const item of items) {
    const month = monthKey(dayOf(item));
    if (month !== current) {
      current = month;
      rows.push({ type: "month", key: `m:${month}:${rows.length}`, label: monthLabel(month) });
    }
    rows.push({ type: "entry", key: item.id, item });
  }
  return rows;
}
