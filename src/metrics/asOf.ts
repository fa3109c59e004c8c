import { leadFilters } from './filters.js';
import { CLOSE_TIME, IS_CLOSED, IS_OPEN, LEAD_DIMENSION_SQL, LIVE } from './leadFacts.js';
import { rounded } from './leadMeasures.js';
import { period } from './period.js';
import { SqlParams } from './sqlParams.js';
import type { MetricParams, Unit } from './types.js';

/**
 * Metrics of the leads open at an instant: the end of `to` (capped at now), or with a bucket the
 * end of each bucket. A lead is open at T when it entered before T and had not closed by T: its
 * status is open now, or it closed at or after T. Two parts, one per partial index (open now;
 * closed later), so the cost follows the open leads, not the whole history.
 */
export function asOfSql(p: MetricParams, agg: string, unit: Unit): { text: string; values: unknown[] } {
  const sql = new SqlParams();
  const per = period(sql, p);
  const points = p.bucket
    ? per.bucketSeries(p.bucket)
    : `(SELECT NULL::text AS label, least(${per.hi}, now()) AS end_at)`;
  const dims = p.dimensions.map((d) => `${LEAD_DIMENSION_SQL[d]} AS ${d}`);
  const filters = leadFilters(sql, p);
  const part = (cond: string) =>
    `SELECT t.label, ${[...dims, 'l.amount', 'l.probability'].join(', ')}
     FROM ${points} t JOIN leadhouse.leads l ON l.created_at < t.end_at
     WHERE ${LIVE} AND ${cond} AND ${filters}`;
  const open = `${part(IS_OPEN)}\nUNION ALL\n${part(`${IS_CLOSED} AND ${CLOSE_TIME} >= t.end_at`)}`;
  const keys = [...(p.bucket ? [p.bucket] : []), ...p.dimensions];
  const sel = [...(p.bucket ? [`o.label AS ${p.bucket}`] : []), ...p.dimensions.map((d) => `o.${d}`)];
  const value = `${rounded(agg, unit)} AS value`;
  if (p.bucket && p.dimensions.length === 0) {
    const text = `SELECT s.label AS ${p.bucket}, COALESCE(g.value, 0) AS value
      FROM ${per.bucketSeries(p.bucket)} s
      LEFT JOIN (SELECT o.label, ${value} FROM (${open}) o GROUP BY o.label) g ON g.label = s.label
      ORDER BY s.label`;
    return { text, values: sql.values };
  }
  const group = sel.length > 0 ? `GROUP BY ${sel.map((_, i) => i + 1).join(', ')}` : '';
  const order = keys.length > 0 ? `ORDER BY ${keys.map((_, i) => i + 1).join(', ')}` : '';
  const text = `SELECT ${[...sel, value].join(', ')} FROM (${open}) o ${group} ${order}`;
  return { text, values: sql.values };
}
