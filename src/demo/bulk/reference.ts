import type { Db } from '../../store/db.js';
import { writeOfficeSteps } from '../syncDemoSteps.js';
import { BULK_OFFICES } from './offices.js';

/** The three offices' pipeline and ordered steps, as an API sync of `/pipelines` and `/steps` writes them. */
export async function writeStages(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [i, { sourceId, office }] of BULK_OFFICES.entries()) {
      const pipelineId = String(100 + i);
      await tx.query(
        `INSERT INTO leadhouse.pipelines (source_id, pipeline_id, name, is_default, synced_at)
         VALUES ($1, $2, $3, true, now())
         ON CONFLICT (source_id, pipeline_id) DO UPDATE SET name = excluded.name, is_default = true, synced_at = now()`,
        [sourceId, pipelineId, office.pipeline],
      );
      await writeOfficeSteps(tx, sourceId, office, pipelineId);
    }
  });
}

/**
 * Goals, when `leadhouse.goals` exists: per office, a month goal for each month of the last
 * year and the current one (won leads and sales), a year goal for this year and the last;
 * per agent, a sales goal for the last and the current month. Targets are the office's (or
 * agent's) average over the data, plus 10%, rounded. Returns the goals written, or a reason
 * they were not (no table, or a table of another shape).
 */
export async function writeGoals(db: Db, now: Date): Promise<{ goals: number } | { skipped: string }> {
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('leadhouse.goals')::text AS t`);
  if (!rows[0]?.t) return { skipped: 'no leadhouse.goals table' };
  const won = `l.status = 'won' AND l.deleted_at IS NULL AND l.closed_at IS NOT NULL`;
  const sql = `
WITH per_month AS (
  SELECT l.source_id, l.owner_email, count(*) AS n, COALESCE(sum(l.amount), 0) AS amount
  FROM leadhouse.leads l WHERE ${won} AND l.closed_at >= $1::date - interval '12 months'
  GROUP BY GROUPING SETS ((l.source_id), (l.source_id, l.owner_email))
),
avg AS (SELECT source_id, owner_email, n / 12.0 AS n, amount / 12.0 AS amount FROM per_month),
months AS (
  SELECT (date_trunc('month', $1::date) - make_interval(months => k))::date AS m FROM generate_series(0, 12) k
),
years AS (SELECT (date_trunc('year', $1::date) - make_interval(years => k))::date AS y FROM generate_series(0, 1) k),
planned AS (
  SELECT 'office' AS scope, a.source_id, NULL::text AS owner_email, x.metric, 'month' AS period, m.m AS period_start,
         round(CASE x.metric WHEN 'leads_won' THEN a.n ELSE a.amount END * 1.1, -1 * (x.metric = 'sales_amount')::int * 3) AS target
  FROM avg a CROSS JOIN months m CROSS JOIN (VALUES ('leads_won'), ('sales_amount')) x(metric)
  WHERE a.owner_email IS NULL
  UNION ALL
  SELECT 'office', a.source_id, NULL, x.metric, 'year', y.y,
         round(CASE x.metric WHEN 'leads_won' THEN a.n ELSE a.amount END * 12 * 1.1, -1 * (x.metric = 'sales_amount')::int * 3)
  FROM avg a CROSS JOIN years y CROSS JOIN (VALUES ('leads_won'), ('sales_amount')) x(metric)
  WHERE a.owner_email IS NULL
  UNION ALL
  SELECT 'owner', a.source_id, a.owner_email, 'sales_amount', 'month', m.m, round(a.amount * 1.1, -3)
  FROM avg a CROSS JOIN (SELECT m FROM months ORDER BY m DESC LIMIT 2) m
  WHERE a.owner_email IS NOT NULL
)
INSERT INTO leadhouse.goals (scope, source_id, owner_email, metric, period, period_start, target)
SELECT scope, source_id, owner_email, metric, period, period_start, GREATEST(target, 1) FROM planned
ON CONFLICT DO NOTHING`;
  try {
    const r = await db.query(sql, [now.toISOString().slice(0, 10)]);
    return { goals: r.rowCount };
  } catch (e) {
    return { skipped: `leadhouse.goals not written: ${(e as Error).message}` };
  }
}
