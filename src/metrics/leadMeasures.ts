import { leadFilters } from './filters.js';
import { CLOSE_TIME, ENTRY_TIME, IS_CLOSED, LEAD_DIMENSION_SQL, LIVE } from './leadFacts.js';
import { BUCKET_FORMAT, type Period, period } from './period.js';
import { SqlParams } from './sqlParams.js';
import type { MetricParams, Unit } from './types.js';

/** Which lead time a measure counts by, and which leads it can count. */
export type Basis = 'entered' | 'closed' | 'deleted';

const BASIS: Record<Basis, { time: string; cond: string }> = {
  entered: { time: ENTRY_TIME, cond: LIVE },
  closed: { time: CLOSE_TIME, cond: `${LIVE} AND ${IS_CLOSED}` },
  deleted: { time: 'l.deleted_at', cond: 'l.deleted_at IS NOT NULL' },
};

/** An aggregate over the leads whose `basis` time falls in the period (and bucket). */
export interface Measure {
  basis: Basis;
  /** Extra condition on `l` (e.g. IS_WON). */
  where?: string;
  /** The aggregate, e.g. `count(*)` or `sum(l.amount)`. */
  agg: string;
}

/** The group-key columns of a call: the bucket first, then the dimensions, in `by` order. */
export function groupKeys(p: MetricParams): string[] {
  return [...(p.bucket ? [p.bucket] : []), ...p.dimensions];
}

/**
 * `SELECT <keys>, <agg> AS v FROM leads … GROUP BY <keys>` for one measure. A bucket is grouped
 * by its truncated local time and labelled once per group (to_char per row costs more than the
 * index scan).
 */
export function measureSql(sql: SqlParams, per: Period, p: MetricParams, m: Measure): string {
  const { time, cond } = BASIS[m.basis];
  const keys = [
    ...(p.bucket ? [`${per.trunc(time, p.bucket)} AS ${p.bucket}`] : []),
    ...p.dimensions.map((d) => `${LEAD_DIMENSION_SQL[d]} AS ${d}`),
  ];
  const where = [cond, `${time} >= ${per.lo}`, `${time} < ${per.hi}`, leadFilters(sql, p)];
  if (m.where) where.push(m.where);
  const group = keys.length > 0 ? `GROUP BY ${keys.map((_, i) => i + 1).join(', ')}` : '';
  const inner = `SELECT ${[...keys, `${m.agg} AS v`].join(', ')} FROM leadhouse.leads l WHERE ${where.join(' AND ')} ${group}`;
  if (!p.bucket) return inner;
  const outer = [
    `to_char(q.${p.bucket}, '${BUCKET_FORMAT[p.bucket]}') AS ${p.bucket}`,
    ...p.dimensions.map((d) => `q.${d}`),
    'q.v',
  ];
  return `SELECT ${outer.join(', ')} FROM (${inner}) q`;
}

const DIGITS: Record<Unit, number> = { count: 0, currency: 2, ratio: 6, days: 2 };

/** Rounds a numeric SQL expression to the unit's precision, as a float8 (a JSON number). */
export function rounded(expr: string, unit: Unit): string {
  return `round((${expr})::numeric, ${DIGITS[unit]})::float8`;
}

/**
 * One or more measures combined into a value per group: `value(m)` gets the SQL names of the
 * measures' sums (m0, m1, …). Groups are matched with GROUP BY (NULL owner = NULL owner). With a
 * bucket and no other dimension, every bucket of the period appears (`empty` is the value of a
 * bucket without data: 0 for counts and sums, NULL for rates and averages).
 */
export function combinedSql(
  p: MetricParams,
  build: readonly Measure[] | ((sql: SqlParams, per: Period) => readonly Measure[]),
  value: (m: string[]) => string,
  unit: Unit,
  extra: (m: string[]) => Record<string, string> = () => ({}),
): { text: string; values: unknown[] } {
  const sql = new SqlParams();
  const per = period(sql, p);
  const measures = typeof build === 'function' ? build(sql, per) : build;
  const keys = groupKeys(p);
  const names = measures.map((_, i) => `m${i}`);
  const parts = measures.map((m, i) => {
    const cols = names.map((n, j) => (j === i ? `q.v::numeric AS ${n}` : `NULL::numeric AS ${n}`));
    return `SELECT ${[...keys.map((k) => `q.${k}`), ...cols].join(', ')} FROM (${measureSql(sql, per, p, m)}) q`;
  });
  const sums = names.map((n) => `sum(${n}) AS ${n}`);
  const grouped = `SELECT ${[...keys, ...sums].join(', ')} FROM (${parts.join('\nUNION ALL\n')}) u ${
    keys.length > 0 ? `GROUP BY ${keys.join(', ')}` : ''
  }`;
  const outCols = (src: string) => {
    const m = names.map((n) => `${src}.${n}`);
    const extras = Object.entries(extra(m)).map(([k, e]) => `${e} AS ${k}`);
    return [`${rounded(value(m), unit)} AS value`, ...extras];
  };
  if (p.bucket && p.dimensions.length === 0) {
    const text = `SELECT s.label AS ${p.bucket}, ${outCols('g').join(', ')}
      FROM ${per.bucketSeries(p.bucket)} s LEFT JOIN (${grouped}) g ON g.${p.bucket} = s.label
      ORDER BY s.label`;
    return { text, values: sql.values };
  }
  const order = keys.length > 0 ? `ORDER BY ${keys.map((k) => `g.${k}`).join(', ')}` : '';
  const text = `SELECT ${[...keys.map((k) => `g.${k}`), ...outCols('g')].join(', ')} FROM (${grouped}) g ${order}`;
  return { text, values: sql.values };
}
