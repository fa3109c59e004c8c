import type { MetricRow } from './types.js';

const cell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // Quote what needs it; a leading =, +, - or @ is prefixed so spreadsheets do not run it.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Rows as RFC 4180 CSV with a header row (the union of the rows' keys, in first-seen order). */
export function toCsv(rows: readonly MetricRow[], first: readonly string[] = []): string {
  const cols = [...first];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const lines = [cols.map(cell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
