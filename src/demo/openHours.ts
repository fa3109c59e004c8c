/** When the simulated offices work, so a seeded history looks like real office activity. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Opening hours per UTC weekday (0 = Sunday), roughly 9:00–20:00 Madrid time; Saturday mornings. */
const OPEN: ReadonlyArray<readonly [number, number] | undefined> = [
  undefined,
  [8, 19],
  [8, 19],
  [8, 19],
  [8, 19],
  [8, 19],
  [9, 13],
];

/** The open intervals `[from, to)` (epoch ms) between `start` and `end`. */
export function openIntervals(start: number, end: number): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
    const hours = OPEN[new Date(day).getUTCDay()];
    if (!hours) continue;
    const from = Math.max(start, day + hours[0] * HOUR);
    const to = Math.min(end, day + hours[1] * HOUR);
    if (to > from) out.push([from, to]);
  }
  return out;
}

/**
 * Maps ascending fractions in [0, 1] of the open time between `start` and `end` to wall-clock
 * times (epoch ms), so 0 is the first open moment and 1 the last. Falls back to plain linear time
 * when the range holds no open hours.
 */
export function spreadOverOpenHours(start: Date, end: Date, fractions: readonly number[]): number[] {
  const s = start.getTime();
  const e = end.getTime();
  const intervals = openIntervals(s, e);
  const total = intervals.reduce((sum, [from, to]) => sum + (to - from), 0);
  if (total === 0) return fractions.map((f) => s + f * (e - s));
  let i = 0;
  let before = 0;
  return fractions.map((f) => {
    const target = Math.min(1, Math.max(0, f)) * total;
    let [from, to] = intervals[i]!;
    while (i < intervals.length - 1 && before + (to - from) < target) {
      before += to - from;
      i++;
      [from, to] = intervals[i]!;
    }
    return from + Math.min(target - before, to - from);
  });
}
