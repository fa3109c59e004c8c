import { ownerCond, pipelineCond, sourceCond } from './filters.js';
import { LEAD_DIMENSION_SQL, LIVE } from './leadFacts.js';
import { groupKeys, rounded } from './leadMeasures.js';
import { period } from './period.js';
import { runSql } from './runSql.js';
import { SqlParams } from './sqlParams.js';
import { stageOrderCtes } from './stageOrder.js';
import type { MetricDefinition, MetricParams } from './types.js';
import { LIVE_FRESHNESS } from './volume.js';

function stageDurationSql(p: MetricParams): { text: string; values: unknown[] } {
  const sql = new SqlParams();
  const per = period(sql, p);
  const keys = groupKeys(p);
  const endKeys = [
    ...(p.bucket ? [`${per.bucket('sc.changed_at', p.bucket)} AS ${p.bucket}`] : []),
    ...p.dimensions.map((d) => `${LEAD_DIMENSION_SQL[d]} AS ${d}`),
  ];
  const k = (a: string) => keys.map((x) => `${a}.${x}`);
  // A stay ends at a change of step; it began at the lead's previous change of step (or entry).
  const text = `
WITH ends AS (
  SELECT ${['sc.source_id', 'sc.lead_id', 'sc.seq', 'sc.changed_at AS ended_at', ...endKeys].join(', ')},
    sc.from_step AS hist_name, sc.from_step_id AS step_id
  FROM leadhouse.stage_changes sc
  JOIN leadhouse.leads l ON l.source_id = sc.source_id AND l.lead_id = sc.lead_id
  WHERE ${sourceCond(sql, p, 'sc.source_id')} AND sc.changed_at >= ${per.lo} AND sc.changed_at < ${per.hi}
    AND sc.seq > 1 AND sc.from_step IS NOT NULL AND sc.to_step IS DISTINCT FROM sc.from_step
    AND ${LIVE} AND ${ownerCond(sql, p)} AND ${pipelineCond(sql, p)}),
stays AS (
  SELECT e.*, extract(epoch FROM e.ended_at - (
    SELECT max(s.changed_at) FROM leadhouse.stage_changes s
    WHERE s.source_id = e.source_id AND s.lead_id = e.lead_id AND s.seq < e.seq
      AND (s.seq = 1 OR s.to_step IS DISTINCT FROM s.from_step))) / 86400 AS days
  FROM ends e),
${stageOrderCtes(sql, p)}
SELECT ${[...k('s'), 'COALESCE(o.name, s.hist_name) AS stage'].join(', ')}, min(o.position) AS position,
  ${rounded('percentile_cont(0.5) WITHIN GROUP (ORDER BY s.days)', 'days')} AS value,
  ${rounded('avg(s.days)', 'days')} AS mean_days, count(*)::int AS stays
FROM stays s LEFT JOIN ord o ON o.source_id = s.source_id AND o.step_id = s.step_id
GROUP BY ${[...k('s'), 'COALESCE(o.name, s.hist_name)'].join(', ')}
ORDER BY ${[...k('s'), 'min(o.position) NULLS LAST', 'COALESCE(o.name, s.hist_name)'].join(', ')}`;
  return { text, values: sql.values };
}

export const stageDurationMetric: MetricDefinition = {
  name: 'stage_duration',
  title: 'Time in stage',
  family: 'conversion',
  unit: 'days',
  definition:
    "How long leads stay in each stage, in days: value is the median, mean_days the mean, stays how many. A stay runs from entering a step to the next change of step (a status change alone does not end it); it counts in the period in which it ended. Stays still in progress are not counted (see the open leads' aging instead).",
  dimensions: ['source', 'owner', 'pipeline'],
  buckets: true,
  filters: ['from', 'to', 'source', 'owner', 'pipeline'],
  fixedKeys: ['stage', 'position'],
  freshness: LIVE_FRESHNESS,
  run: (db, p) => runSql(db, stageDurationSql(p)),
};
