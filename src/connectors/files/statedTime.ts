/**
 * A timestamp as a file states it: with a zone it is an instant (`text` is ISO UTC, `…Z`);
 * without one it is a wall-clock time (`text` is `YYYY-MM-DDTHH:MM:SS.mmm`) that the reader
 * places in the source's time zone.
 */
export interface StatedTime {
  text: string;
  zoned: boolean;
}

const STAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Reads ISO 8601 (`2025-03-31T23:30:00.000Z`, `…+02:00`) and the common export forms
 * `2025-03-31 23:30`, `2025-03-31 23:30:00 +0200`, `… UTC`, or a bare date (midnight).
 * Undefined for anything else, for impossible dates and times, and for years outside 1900–2999.
 */
export function readStatedTime(value: string): StatedTime | undefined {
  return wallClockFast(value) ?? readGeneral(value);
}

const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const num = (s: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + digit(s, i);
  return n;
};
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The common export form `YYYY-MM-DD HH:MM:SS` (or with `T`), checked without a regex or a Date. */
function wallClockFast(s: string): StatedTime | undefined {
  if (s.length !== 19 || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return undefined;
  if (s[10] !== ' ' && s[10] !== 'T') return undefined;
  const year = num(s, 0, 4);
  const month = num(s, 5, 7);
  const day = num(s, 8, 10);
  const hour = num(s, 11, 13);
  const minute = num(s, 14, 16);
  const second = num(s, 17, 19);
  if (!(year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1)) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
  if (!(day <= days && hour <= 23 && minute <= 59 && second <= 59)) return undefined;
  return { text: `${s.slice(0, 10)}T${s.slice(11)}.000`, zoned: false };
}

function readGeneral(value: string): StatedTime | undefined {
  const m = STAMP.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  if (year < 1900 || year > 2999 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (zone === undefined)
    return {
      text: `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.${pad(ms, 3)}`,
      zoned: false,
    };
  let offsetMin = 0;
  if (/^[+-]/.test(zone)) {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 15 || om > 59) return undefined;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return { text: new Date(wall - offsetMin * 60_000).toISOString(), zoned: true };
}
