import { ownerCond, pipelineCond, sourceCond } from './filters.js';
import { IS_WON, LIVE } from './leadFacts.js';
import { combinedSql } from './leadMeasures.js';
import { period } from './period.js';
import { runSql } from './runSql.js';
import { SqlParams } from './sqlParams.js';
import type { MetricDefinition, MetricParams, MetricRow } from './types.js';
import { LIVE_FRESHNESS } from './volume.js';

const num = (v: unknown) => (typeof v === 'number' ? v : -1);

async function leaderboard(
  db: Parameters<MetricDefinition['run']>[0],
  p: MetricParams,
): Promise<MetricRow[]> {
  const q: MetricParams = {
    ...p,
    bucket: undefined,
    dimensions: ['owner', ...p.dimensions.filter((d) => d !== 'owner')],
  };
  const rows = await runSql(
    db,
    combinedSql(
      q,
      [
        { basis: 'closed', where: IS_WON, agg: 'sum(l.amount)' },
        { basis: 'closed', where: IS_WON, agg: 'count(*)' },
        { basis: 'entered', agg: 'count(*)' },
        { basis: 'closed', where: IS_WON, agg: 'count(l.amount)' },
      ],
      (m) => `COALESCE(${m[0]}, 0)`,
      'currency',
      (m) => ({
        sales_amount: `round(COALESCE(${m[0]}, 0), 2)::float8`,
        leads_won: `COALESCE(${m[1]}, 0)::float8`,
        leads_entered: `COALESCE(${m[2]}, 0)::float8`,
        conversion_rate: `round(COALESCE(${m[1]}, 0) / NULLIF(${m[2]}, 0), 6)::float8`,
        ticket_average: `round(${m[0]} / NULLIF(${m[3]}, 0), 2)::float8`,
      }),
    ),
  );
  const groupOf = (r: MetricRow) => (p.dimensions.includes('source') ? String(r['source']) : '');
  rows.sort(
    (a, b) =>
      groupOf(a).localeCompare(groupOf(b)) ||
      num(b['sales_amount']) - num(a['sales_amount']) ||
      num(b['leads_won']) - num(a['leads_won']) ||
      num(b['conversion_rate']) - num(a['conversion_rate']) ||
      String(a['owner'] ?? '').localeCompare(String(b['owner'] ?? '')),
  );
  let rank = 0;
  let group: string | undefined;
  return rows.map((r) => {
    if (groupOf(r) !== group) {
      group = groupOf(r);
      rank = 0;
    }
    rank += 1;
    const { owner, value, ...rest } = r;
    return { owner: owner ?? null, rank, value: value ?? 0, ...rest };
  });
}

function activitySql(p: MetricParams): { text: string; values: unknown[] } {
  const sql = new SqlParams();
  const per = period(sql, p);
  const keys = [
    ...(p.bucket ? [`${per.bucket('sc.changed_at', p.bucket)} AS ${p.bucket}`] : []),
    ...(p.dimensions.includes('source') ? ['sc.source_id AS source'] : []),
    'sc.moved_by AS owner',
  ];
  const text = `
SELECT ${keys.join(', ')}, count(*)::float8 AS value,
  count(*) FILTER (WHERE sc.to_step IS DISTINCT FROM sc.from_step)::float8 AS step_moves,
  count(*) FILTER (WHERE sc.to_status IS DISTINCT FROM sc.from_status)::float8 AS status_changes
FROM leadhouse.stage_changes sc
JOIN leadhouse.leads l ON l.source_id = sc.source_id AND l.lead_id = sc.lead_id
WHERE ${sourceCond(sql, p, 'sc.source_id')} AND sc.changed_at >= ${per.lo} AND sc.changed_at < ${per.hi}
  AND sc.seq > 1 AND ${LIVE} AND ${ownerCond(sql, p, 'sc.moved_by')} AND ${pipelineCond(sql, p)}
GROUP BY ${keys.map((_, i) => i + 1).join(', ')}
ORDER BY ${keys.map((_, i) => i + 1).join(', ')}`;
  return { text, values: sql.values };
}

export const peopleMetrics: MetricDefinition[] = [
  {
    name: 'leaderboard',
    title: 'Agent leaderboard',
    family: 'people',
    unit: 'currency',
    definition:
      "The leads' current owners ranked by sales_amount, then leads_won, then conversion_rate, over the period (each figure as its own metric defines it). value is the sales amount; rank restarts per source when grouped by source. Leads without an owner appear as owner null.",
    dimensions: ['source'],
    buckets: false,
    filters: ['from', 'to', 'source', 'owner', 'pipeline'],
    fixedKeys: ['owner', 'rank'],
    freshness: LIVE_FRESHNESS,
    run: leaderboard,
  },
  {
    name: 'activity',
    title: 'Activity',
    family: 'people',
    unit: 'count',
    definition:
      "Stage moves per person in the period: every change of a lead's step or status after its entry, counted for who made it (the actor when the CRM names one, otherwise the lead's owner at that moment). step_moves and status_changes split it (a change of both counts in each). The owner filter selects the actor.",
    dimensions: ['source'],
    buckets: true,
    filters: ['from', 'to', 'source', 'owner', 'pipeline'],
    fixedKeys: ['owner'],
    freshness: LIVE_FRESHNESS,
    run: (db, p) => runSql(db, activitySql(p)),
  },
];
