import type { SqlParams } from './sqlParams.js';
import type { MetricParams } from './types.js';

/**
 * CTEs defining `ord(source_id, name, position)`: the funnel order of each source's stages.
 * Per source, the first that exists wins: the configured `stages:` list; the positions synced from
 * the CRM (/steps, leadhouse.stages); else the order of the step ids of every step the source's history named (leadhouse.stages
 * rows without a position, registered by the ingest) and of `seen` (a CTE the caller defines with
 * source_id, name, step_id). Positions count from 0 in every case.
 */
export function stageOrderCtes(sql: SqlParams, p: MetricParams): string {
  const src: string[] = [];
  const names: string[] = [];
  const pos: number[] = [];
  for (const [source, stages] of Object.entries(p.stageOrder))
    stages.forEach((name, i) => {
      src.push(source);
      names.push(name);
      pos.push(i);
    });
  return `
cfg AS (SELECT * FROM unnest(${sql.p(src)}::text[], ${sql.p(names)}::text[], ${sql.p(pos)}::int[]) AS c(source_id, name, position)),
synced AS (
  SELECT n.source_id, n.name, (dense_rank() OVER (PARTITION BY n.source_id ORDER BY n.position, n.name) - 1)::int AS position
  FROM (SELECT s.source_id, s.name, min(s.position) AS position FROM leadhouse.stages s
        WHERE s.position IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cfg WHERE cfg.source_id = s.source_id)
        GROUP BY 1, 2) n),
byid AS (
  SELECT v.source_id, v.name, (dense_rank() OVER (PARTITION BY v.source_id ORDER BY v.step_id NULLS LAST, v.name) - 1)::int AS position
  FROM (SELECT source_id, name, min(step_id) AS step_id
        FROM (SELECT source_id, name, step_id FROM seen
              UNION ALL SELECT source_id, name, step_id FROM leadhouse.stages WHERE position IS NULL) k
        WHERE name IS NOT NULL GROUP BY 1, 2) v
  WHERE NOT EXISTS (SELECT 1 FROM cfg WHERE cfg.source_id = v.source_id)
    AND NOT EXISTS (SELECT 1 FROM synced WHERE synced.source_id = v.source_id)),
ord AS (SELECT source_id, name, position FROM cfg UNION ALL SELECT * FROM synced UNION ALL SELECT * FROM byid)`;
}

/** A stage name as of now: a step renamed in the CRM is matched by its id (leadhouse.stages). */
export const STEP_NAME = (alias: string, step: string, stepId: string) =>
  `COALESCE((SELECT st.name FROM leadhouse.stages st WHERE st.source_id = ${alias}.source_id AND st.step_id = ${stepId}), ${step})`;
