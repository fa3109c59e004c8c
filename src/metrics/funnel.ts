import { leadFilters, sourceCond } from './filters.js';
import { LEAD_DIMENSION_SQL, LIVE } from './leadFacts.js';
import { groupKeys, rounded } from './leadMeasures.js';
import { mergeFunnels } from './mergeFunnels.js';
import { period } from './period.js';
import { runSql } from './runSql.js';
import { SqlParams } from './sqlParams.js';
import { stageOrderCtes } from './stageOrder.js';
import type { MetricDefinition, MetricParams } from './types.js';
import { LIVE_FRESHNESS } from './volume.js';

/**
 * The cohort's leads with the steps they have been in (`leads.reached_steps`, and `reached_names`
 * for history rows without a step id, kept by the projection), the stage order of each source as
 * two small lookup arrays (by id, by name), evaluated once per distinct path (leads that went
 * through the same steps share one), the furthest position each reached by its source's order, then per stage how many
 * reached it or beyond (from the count of leads per furthest position): one index range of the
 * period's entries, no history scan.
 */
function funnelSql(p: MetricParams): { text: string; values: unknown[] } {
  const sql = new SqlParams();
  const per = period(sql, p);
  const keys = groupKeys(p);
  const cohortKeys = [
    ...(p.bucket ? [`${per.bucket('l.created_at', p.bucket)} AS ${p.bucket}`] : []),
    ...p.dimensions.map((d) => `${LEAD_DIMENSION_SQL[d]} AS ${d}`),
  ];
  const k = (a: string) => keys.map((x) => `${a}.${x}`);
  const part = keys.length > 0 ? `PARTITION BY ${k('c').join(', ')}` : '';
  const text = `
WITH cohort AS (
  SELECT ${['l.source_id', 'l.reached_steps', 'l.reached_names', ...cohortKeys].join(', ')} FROM leadhouse.leads l
  WHERE ${LIVE} AND l.created_at >= ${per.lo} AND l.created_at < ${per.hi} AND ${leadFilters(sql, p)}),
${stageOrderCtes(sql, p)},
ordmap AS (
  SELECT o.source_id,
    array_agg(o.step_id ORDER BY o.step_id) FILTER (WHERE o.step_id IS NOT NULL) AS ids,
    array_agg(o.position ORDER BY o.step_id) FILTER (WHERE o.step_id IS NOT NULL) AS id_pos,
    array_agg(o.name ORDER BY o.name) AS names, array_agg(o.position ORDER BY o.name) AS name_pos
  FROM ord o GROUP BY o.source_id),
paths AS (
  SELECT ${['c.source_id', ...k('c'), 'c.reached_steps', 'c.reached_names'].join(', ')}, count(*) AS n FROM cohort c
  GROUP BY ${['c.source_id', ...k('c'), 'c.reached_steps', 'c.reached_names'].join(', ')}),
reach AS (
  SELECT ${['c.source_id', ...k('c')].join(', ')}, c.n,
    GREATEST(
      (SELECT max(m.id_pos[array_position(m.ids, x)]) FROM unnest(c.reached_steps) x),
      (SELECT max(m.name_pos[array_position(m.names, x)]) FROM unnest(c.reached_names) x)) AS top
  FROM paths c JOIN ordmap m ON m.source_id = c.source_id),
tops AS (
  SELECT ${['c.source_id', ...k('c')].join(', ')}, c.top, sum(c.n) AS n FROM reach c
  GROUP BY ${['c.source_id', ...k('c'), 'c.top'].join(', ')}),
stages AS (SELECT DISTINCT o.source_id, o.name, o.position FROM ord o WHERE ${sourceCond(sql, p, 'o.source_id')}),
counts AS (
  SELECT ${[...k('r'), 'o.name AS stage'].join(', ')}, min(o.position) AS position,
    COALESCE(sum(r.n) FILTER (WHERE r.top >= o.position), 0) AS n
  FROM stages o ${keys.length > 0 ? 'JOIN' : 'LEFT JOIN'} tops r ON r.source_id = o.source_id
  GROUP BY ${[...k('r'), 'o.name'].join(', ')})
SELECT ${[...k('c'), 'c.stage', 'c.position'].join(', ')}, c.n::float8 AS value,
  ${rounded(`c.n::numeric / NULLIF(lag(c.n) OVER (${part} ORDER BY c.position, c.stage), 0)`, 'ratio')} AS step_conversion,
  ${rounded(`c.n::numeric / NULLIF(first_value(c.n) OVER (${part} ORDER BY c.position, c.stage), 0)`, 'ratio')} AS from_first
FROM counts c ORDER BY ${[...k('c'), 'c.position', 'c.stage'].join(', ')}`;
  return { text, values: sql.values };
}

export const funnelMetric: MetricDefinition = {
  name: 'funnel',
  title: 'Funnel',
  family: 'conversion',
  unit: 'count',
  definition:
    "Of the leads entered in the period, how many reached each stage, in the pipeline's stage order: a lead reached a stage when its stage history (its current stage included) holds that stage or a later one. step_conversion is a stage's count over the previous stage's; from_first over the first stage's. Stage order: the source's configured `stages:`, else the positions synced from the CRM, else the step ids. Several offices together are added up stage by stage when their stages are the same; otherwise group by source.",
  dimensions: ['source', 'owner', 'pipeline', 'channel'],
  buckets: true,
  filters: ['from', 'to', 'source', 'owner', 'pipeline'],
  fixedKeys: ['stage', 'position'],
  freshness: LIVE_FRESHNESS,
  run: async (db, p) => {
    if (p.dimensions.includes('source')) return runSql(db, funnelSql(p));
    // Computed per office (each by its own stage order), then added up.
    const rows = await runSql(db, funnelSql({ ...p, dimensions: ['source', ...p.dimensions] }));
    return mergeFunnels(rows, groupKeys(p));
  },
};
