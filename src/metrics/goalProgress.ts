import { pipelineCond, sourceCond } from './filters.js';
import { CLOSE_TIME, IS_CLOSED, IS_WON, LIVE } from './leadFacts.js';
import { rounded } from './leadMeasures.js';
import { runSql } from './runSql.js';
import { SqlParams } from './sqlParams.js';
import type { MetricDefinition, MetricParams, MetricRow } from './types.js';
import { LIVE_FRESHNESS } from './volume.js';

/** Mon–Fri dates from a to b (inclusive). */
const workingDays = (a: string, b: string) =>
  `(SELECT count(*) FROM generate_series((${a})::timestamp, (${b})::timestamp, interval '1 day') d WHERE extract(isodow FROM d) < 6)`;

function goalProgressSql(p: MetricParams): { text: string; values: unknown[] } {
  const sql = new SqlParams();
  const tz = sql.p(p.timezone);
  const to = sql.p(p.to);
  const per = { tz, hi: `((${to}::date + 1)::timestamp AT TIME ZONE ${tz})` };
  const owners = p.owners?.filter((o): o is string => o !== null);
  const ownerFilter = owners ? `g.scope = 'owner' AND g.owner_email = ANY(${sql.p(owners)}::text[])` : 'TRUE';
  const text = `
WITH asof AS (SELECT least(${per.hi}, now()) AS t),
g AS (
  SELECT g.*,
    (g.period_start::timestamp AT TIME ZONE ${per.tz}) AS starts_at,
    (g.period_start + CASE g.period WHEN 'month' THEN interval '1 month' ELSE interval '1 year' END)::date - 1 AS last_day,
    ((SELECT t FROM asof) - interval '1 microsecond') AT TIME ZONE ${per.tz} AS asof_local
  FROM leadhouse.goals g
  WHERE ${sourceCond(sql, p, 'g.source_id')} AND ${ownerFilter}
    AND g.period_start = date_trunc(g.period, ${to}::date::timestamp)::date),
won AS MATERIALIZED (
  SELECT l.source_id, l.owner_email, date_trunc('month', ${CLOSE_TIME} AT TIME ZONE ${per.tz}) AS month,
    count(*) AS n, COALESCE(sum(l.amount), 0) AS amount
  FROM leadhouse.leads l
  WHERE ${LIVE} AND ${IS_CLOSED} AND ${IS_WON} AND ${sourceCond(sql, p)} AND ${pipelineCond(sql, p)}
    AND ${CLOSE_TIME} >= (SELECT min(starts_at) FROM g) AND ${CLOSE_TIME} < (SELECT t FROM asof)
  GROUP BY 1, 2, 3),
progress AS (
  SELECT g.*,
    (SELECT CASE g.metric WHEN 'leads_won' THEN COALESCE(sum(w.n), 0) ELSE COALESCE(sum(w.amount), 0) END
     FROM won w WHERE w.source_id = g.source_id AND w.month >= g.period_start::timestamp
       AND (g.owner_email IS NULL OR w.owner_email = g.owner_email)) AS actual,
    ${workingDays('g.period_start', 'g.last_day')} AS wd_total,
    ${workingDays('g.period_start', 'least(g.asof_local::date, g.last_day)')} AS wd_elapsed,
    ${workingDays('g.asof_local::date + 1', 'g.last_day')} AS wd_left
  FROM g)
SELECT g.scope, g.source_id AS source, g.owner_email AS owner, g.metric, g.period,
  to_char(g.period_start, CASE g.period WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY' END) AS period_start,
  g.target::float8 AS target, round(g.actual, 2)::float8 AS actual,
  ${rounded('g.actual / g.target', 'ratio')} AS value,
  round(g.target * g.wd_elapsed / NULLIF(g.wd_total, 0), 2)::float8 AS expected,
  round(greatest(g.target - g.actual, 0), 2)::float8 AS remaining,
  g.wd_left::int AS working_days_left,
  round(greatest(g.target - g.actual, 0) / NULLIF(g.wd_left, 0), 2)::float8 AS pace_needed,
  g.id::int AS goal_id
FROM progress g
ORDER BY g.source_id, g.scope, g.owner_email NULLS FIRST, g.metric, g.period DESC`;
  return { text, values: sql.values };
}

const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * "All offices": per metric and period, the office goals added up (target, actual, expected) —
 * only offices that have such a goal count, so the row says how many (`offices`).
 */
function totals(rows: readonly MetricRow[]): MetricRow[] {
  const groups = new Map<string, MetricRow[]>();
  for (const r of rows) {
    if (r['scope'] !== 'office') continue;
    const k = `${r['metric']}|${r['period']}|${r['period_start']}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const first = g[0] as MetricRow;
    const target = g.reduce((s, r) => s + n(r['target']), 0);
    const actual = g.reduce((s, r) => s + n(r['actual']), 0);
    const left = first['working_days_left'];
    const remaining = Math.max(target - actual, 0);
    return {
      scope: 'all',
      source: null,
      owner: null,
      metric: first['metric'] ?? null,
      period: first['period'] ?? null,
      period_start: first['period_start'] ?? null,
      target: round(target, 2),
      actual: round(actual, 2),
      value: round(actual / target, 6),
      expected: round(
        g.reduce((s, r) => s + n(r['expected']), 0),
        2,
      ),
      remaining: round(remaining, 2),
      working_days_left: left ?? null,
      pace_needed: typeof left === 'number' && left > 0 ? round(remaining / left, 2) : null,
      offices: g.length,
    };
  });
}

export const goalProgressMetric: MetricDefinition = {
  name: 'goal_progress',
  asOf: 'the end of `to`, never later than now',
  title: 'Goal progress',
  family: 'goals',
  unit: 'ratio',
  definition:
    "Progress towards the goals in effect on the `to` date (its month's and its year's), for an office or an agent: actual is the goal's metric (leads_won or sales_amount, by close time) from the start of the goal's period to the end of `to` (or now), value = actual ÷ target, expected = the target × the share of the period's working days (Mon–Fri) elapsed, pace_needed = what is left ÷ the working days left after the as-of day. Over several offices (no source, or several, and no owner filter) a row with scope `all` adds up the offices' goals of each metric and period.",
  dimensions: [],
  buckets: false,
  filters: ['to', 'source', 'owner', 'pipeline'],
  fixedKeys: ['scope', 'source', 'owner', 'metric', 'period', 'period_start'],
  freshness: LIVE_FRESHNESS,
  run: async (db, p) => {
    const rows = await runSql(db, goalProgressSql(p));
    return p.owners || p.sources?.length === 1 ? rows : [...totals(rows), ...rows];
  },
};
