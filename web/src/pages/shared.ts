import { type MetricParams, type MetricRow, metric } from '../api';
import type { Filters, Period } from '../filters';

/** The common metric parameters of a filter state over a period. */
export const scope = (f: Filters, p: Period, extra: MetricParams = {}): MetricParams => ({
  from: p.from,
  to: p.to,
  source: f.source || undefined,
  owner: f.owner || undefined,
  ...extra,
});

/**
 * The goal_progress row of one office or agent for a period kind. Goals are set per office or per
 * agent: with "all offices" and no agent there is no single goal (the goal panel lists them).
 */
export function goalRow(
  rows: MetricRow[],
  o: { metric: string; period: 'month' | 'year'; source: string; owner: string },
): MetricRow | undefined {
  if (!o.source && !o.owner) return undefined;
  return rows.find(
    (r) =>
      r['metric'] === o.metric &&
      r['period'] === o.period &&
      (o.owner ? r['scope'] === 'owner' && r['owner'] === o.owner : r['scope'] === 'office') &&
      (!o.source || r['source'] === o.source),
  );
}

/** goal_progress takes no `from`: goals in effect on `to`, actual from each goal's period start. */
export const goalScope = (f: Filters, p: Period): MetricParams => ({
  to: p.to,
  source: f.source || undefined,
  owner: f.owner || undefined,
});

/** Reads a numeric field of a metric row (null when absent). */
export const num = (r: MetricRow | undefined, k = 'value'): number | null => {
  const v = r?.[k];
  return typeof v === 'number' ? v : v === null || v === undefined || v === '' ? null : Number(v);
};

export const str = (r: MetricRow, k: string): string => {
  const v = r[k];
  return v === null || v === undefined ? '' : String(v);
};

/** Rows keyed by a dimension, aligned to `keys` (null where a key has no row): chart series. */
export function align(rows: MetricRow[], dim: string, keys: string[], field = 'value'): (number | null)[] {
  const by = new Map(rows.map((r) => [str(r, dim), r]));
  return keys.map((k) => num(by.get(k), field));
}

/** Distinct values of a dimension, in the API's order. */
export const distinct = (rows: MetricRow[], dim: string): string[] => [
  ...new Set(rows.map((r) => str(r, dim))),
];

/** A leads-list URL (drill-down) from the filters plus the list's own parameters. */
export function leadsUrl(f: Filters, params: Record<string, string | undefined>, label: string): string {
  const q = new URLSearchParams();
  if (f.source) q.set('source', f.source);
  if (f.owner) q.set('owner', f.owner);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  q.set('label', label);
  return `/leads?${q}`;
}

export { metric };
