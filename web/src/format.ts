/** Number and date formatting only — every value shown comes from the API as it is. */

const LOCALE = 'en-IE';

const money = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const moneyCents = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR' });
const count = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });
const compactMoney = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: 'EUR',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const day = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric' });
const dayTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const monthName = new Intl.DateTimeFormat(LOCALE, { month: 'long', timeZone: 'UTC' });
const monthShort = new Intl.DateTimeFormat(LOCALE, { month: 'short', year: 'numeric', timeZone: 'UTC' });

export type Unit = 'count' | 'currency' | 'ratio' | 'days' | string;

const DASH = '—';

/** A metric value in its unit: currency in EUR, ratios as percentages, counts as integers. */
export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH;
  switch (unit) {
    case 'currency':
      return money.format(v);
    case 'ratio':
      return percent.format(v);
    case 'days':
      return `${decimal.format(v)} d`;
    case 'count':
      return count.format(v);
    default:
      return decimal.format(v);
  }
}

export const formatMoney = (v: number | null | undefined, cents = false): string =>
  v === null || v === undefined ? DASH : (cents ? moneyCents : money).format(v);
export const formatCompactMoney = (v: number | null | undefined): string =>
  v === null || v === undefined ? DASH : compactMoney.format(v);
export const formatCount = (v: number | null | undefined): string =>
  v === null || v === undefined ? DASH : count.format(v);
export const formatPercent = (v: number | null | undefined): string =>
  v === null || v === undefined ? DASH : percent.format(v);

/** An axis label for a unit (compact money, percentages). */
export function formatAxis(v: number, unit: Unit): string {
  if (unit === 'currency') return compactMoney.format(v);
  if (unit === 'ratio') return percent.format(v);
  return count.format(v);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : day.format(d);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dayTime.format(d);
}

/** "November" for month 11. */
export const formatMonthName = (month: number): string => monthName.format(Date.UTC(2000, month - 1, 1));

/** A bucket key as a short label: 2026-03 → "Mar 2026", 2026-W05 → "W05 2026", days as dates. */
export function formatBucket(key: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return monthShort.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  const w = /^(\d{4})-W(\d{2})$/.exec(key);
  if (w) return `W${w[2]} ${w[1]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return day.format(new Date(`${key}T00:00:00`));
  return key;
}

/** "ana.garcia@office-a.example" → "ana.garcia" — the agent as people call them. */
export const ownerLabel = (email: string | null | undefined): string =>
  email ? (email.split('@')[0] ?? email) : 'Unassigned';

/** Seconds as "3 min", "2 h", "4 d" ago. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return DASH;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}
