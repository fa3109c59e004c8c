import { HttpError } from '../core/errors.js';
import type { MetricRow } from './types.js';

const ratio = (a: number, b: number | undefined) =>
  b === undefined || b === 0 ? null : Math.round((a / b) * 1e6) / 1e6;

/**
 * Adds up per-source funnels (rows grouped by source and `keys`) into one funnel per `keys`
 * group. Only funnels with the same stages in the same order can be added (a lead "reached" a
 * stage by its own office's order); otherwise the call must group by source or pick one.
 */
export function mergeFunnels(rows: readonly MetricRow[], keys: readonly string[]): MetricRow[] {
  const groups = new Map<string, { key: MetricRow; bySource: Map<string, MetricRow[]> }>();
  for (const r of rows) {
    const id = JSON.stringify(keys.map((k) => r[k] ?? null));
    let g = groups.get(id);
    if (!g) {
      g = { key: Object.fromEntries(keys.map((k) => [k, r[k] ?? null])), bySource: new Map() };
      groups.set(id, g);
    }
    const source = String(r['source']);
    g.bySource.set(source, [...(g.bySource.get(source) ?? []), r]);
  }
  const out: MetricRow[] = [];
  for (const { key, bySource } of groups.values()) {
    const lists = [...bySource.values()].map((l) =>
      [...l].sort((a, b) => Number(a['position']) - Number(b['position'])),
    );
    const stages = lists[0]?.map((r) => r['stage']) ?? [];
    for (const l of lists)
      if (l.length !== stages.length || l.some((r, i) => r['stage'] !== stages[i]))
        throw new HttpError(
          400,
          'invalid_parameter',
          `query parameter "source": these sources' funnels have different stages (${[...bySource.keys()].join(', ')}); add by=source or choose one source`,
        );
    const values = stages.map((_, i) => lists.reduce((sum, l) => sum + Number(l[i]?.['value'] ?? 0), 0));
    stages.forEach((stage, i) => {
      const value = values[i] as number;
      out.push({
        ...key,
        stage: stage ?? null,
        position: i,
        value,
        step_conversion: i === 0 ? null : ratio(value, values[i - 1]),
        from_first: ratio(value, values[0]),
      });
    });
  }
  return out;
}
