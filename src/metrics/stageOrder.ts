import type { SqlParams } from './sqlParams.js';
import type { MetricParams } from './types.js';

/**
 * CTEs defining `ord(source_id, step_id, name, position)`: each source's funnel order, keyed by
 * step id. Per source, the first that exists wins: the configured `stages:` list (names, matched
 * to the steps the source's history named); the positions synced from the CRM (/steps); else the
 * order of the step ids of every step the source's history named (leadhouse.stages rows without
 * a position, registered by the ingest). Positions count from 0 in every case.
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
cfg_names AS (SELECT * FROM unnest(${sql.p(src)}::text[], ${sql.p(names)}::text[], ${sql.p(pos)}::int[]) AS c(source_id, name, position)),
cfg AS (
  SELECT c.source_id, s.step_id, c.name, c.position FROM cfg_names c
  LEFT JOIN leadhouse.stages s ON s.source_id = c.source_id AND s.name = c.name),
synced AS (
  SELECT s.source_id, s.step_id, s.name,
    (dense_rank() OVER (PARTITION BY s.source_id ORDER BY s.position, s.name) - 1)::int AS position
  FROM leadhouse.stages s
  WHERE s.position IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cfg_names c WHERE c.source_id = s.source_id)),
byid AS (
  SELECT s.source_id, s.step_id, s.name, (row_number() OVER (PARTITION BY s.source_id ORDER BY s.step_id) - 1)::int AS position
  FROM leadhouse.stages s
  WHERE NOT EXISTS (SELECT 1 FROM cfg_names c WHERE c.source_id = s.source_id)
    AND NOT EXISTS (SELECT 1 FROM leadhouse.stages x WHERE x.source_id = s.source_id AND x.position IS NOT NULL)),
ord AS (SELECT * FROM cfg UNION ALL SELECT * FROM synced UNION ALL SELECT * FROM byid)`;
}
