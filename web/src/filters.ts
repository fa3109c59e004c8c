/**
 * The dashboard's filters live in the query string, so a view is a URL to share:
 * `?source=office_a&year=2026&month=11&owner=ana@x` — no month means the whole year. Only date
 * arithmetic happens here (period bounds); numbers come from the API.
 */

export interface Filters {
  /** Source id of the office; '' = all offices. */
  source: string;
  year: number;
  /** 1–12, or null for the year view. */
  month: number | null;
  /** Agent e-mail; '' = everyone. */
  owner: string;
}

export interface Period {
  from: string;
  to: string;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function today(): { year: number; month: number; iso: string } {
  const d = new Date();
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    iso: isoDate(d.getFullYear(), d.getMonth() + 1, d.getDate()),
  };
}

export function readFilters(q: URLSearchParams = new URLSearchParams(location.search)): Filters {
  const now = today();
  const year = Number(q.get('year'));
  const month = Number(q.get('month'));
  const hasYear = Number.isInteger(year) && year >= 2000 && year <= 2100;
  const hasMonth = Number.isInteger(month) && month >= 1 && month <= 12;
  return {
    source: q.get('source') ?? '',
    year: hasYear ? year : now.year,
    // No year and no month: this month. A year alone: the whole year.
    month: hasMonth ? month : hasYear ? null : now.month,
    owner: q.get('owner') ?? '',
  };
}

/** The filters as query parameters (the year and the month always written, so a URL is exact). */
export function filterParams(f: Filters): Record<string, string> {
  const out: Record<string, string> = { year: String(f.year) };
  if (f.month !== null) out['month'] = String(f.month);
  if (f.source) out['source'] = f.source;
  if (f.owner) out['owner'] = f.owner;
  return out;
}

export function period(f: Pick<Filters, 'year' | 'month'>): Period {
  if (f.month === null)
    return { from: isoDate(f.year, 1, 1), to: isoDate(f.year, 12, 31), label: String(f.year) };
  return {
    from: isoDate(f.year, f.month, 1),
    to: isoDate(f.year, f.month, lastDay(f.year, f.month)),
    label: `${new Intl.DateTimeFormat('en-IE', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(f.year, f.month - 1, 1))} ${f.year}`,
  };
}

/** The previous month (January → December of the year before), or the previous year. */
export function previousPeriod(f: Pick<Filters, 'year' | 'month'>): Period {
  if (f.month === null) return period({ year: f.year - 1, month: null });
  return f.month === 1
    ? period({ year: f.year - 1, month: 12 })
    : period({ year: f.year, month: f.month - 1 });
}

/** The whole year of the filters (charts by month). */
export const yearPeriod = (f: Pick<Filters, 'year'>): Period => period({ year: f.year, month: null });

/** The dates a bucket key covers: 2026-03, 2026-W05, 2026-03-14, 2026-Q1, 2026. */
export function bucketRange(key: string): { from: string; to: string } | undefined {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { from: isoDate(y, mo, 1), to: isoDate(y, mo, lastDay(y, mo)) };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const jan4 = Date.UTC(y, 0, 4);
    const monday = jan4 - (((new Date(jan4).getUTCDay() + 6) % 7) - (Number(m[2]) - 1) * 7) * 86_400_000;
    const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
    return { from: iso(monday), to: iso(monday + 6 * 86_400_000) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return { from: key, to: key };
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return { from: isoDate(y, q * 3 - 2, 1), to: isoDate(y, q * 3, lastDay(y, q * 3)) };
  }
  if (/^\d{4}$/.test(key)) return { from: `${key}-01-01`, to: `${key}-12-31` };
  return undefined;
}
