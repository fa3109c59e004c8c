import type { Queryable } from '../store/db.js';
import { EVENT_ORDER, type KeyScope, keyParams, keysCte, type LeadKey } from './leadKeys.js';

/** Each value carried forward from the latest event (by event time) that stated it. */
const CARRIED = ['step', 'step_id', 'status', 'pipeline', 'amount', 'owner_email'] as const;

function recomputeSql(scope: KeyScope): string {
  const w = `PARTITION BY e.source_id, e.entity_id ORDER BY ${EVENT_ORDER}`;
  const ff = (c: string) =>
    `first_value(e.data->>'${c}') OVER (PARTITION BY e.source_id, e.entity_id, e.g_${c} ORDER BY ${EVENT_ORDER}) AS ${c}`;
  return `
WITH ${keysCte(scope)},
ev AS (
  SELECT e.source_id, e.entity_id, e.external_id, e.occurred_at, e.data,
    ${CARRIED.map((c) => `count(CASE WHEN e.data ? '${c}' THEN 1 END) OVER (${w}) AS g_${c}`).join(',\n    ')}
  FROM leadhouse.events e
  JOIN keys k ON e.source_id = k.source_id AND e.entity_type = 'lead' AND e.entity_id = k.lead_id
  WHERE e.type <> 'lead.deleted'
),
state AS (
  SELECT e.source_id, e.entity_id, e.external_id, e.occurred_at, e.data->>'actor_email' AS actor_email,
    ${CARRIED.map(ff).join(',\n    ')}
  FROM ev e
),
changes AS (
  SELECT s.*,
    lag(s.step) OVER w AS prev_step, lag(s.step_id) OVER w AS prev_step_id, lag(s.status) OVER w AS prev_status,
    row_number() OVER w AS rn
  FROM state s
  WINDOW w AS (PARTITION BY s.source_id, s.entity_id ORDER BY s.occurred_at, s.external_id COLLATE "C")
)
INSERT INTO leadhouse.stage_changes (source_id, lead_id, event_external_id, changed_at, seq, pipeline,
  from_step, to_step, from_step_id, to_step_id, from_status, to_status, amount, moved_by)
SELECT c.source_id, c.entity_id, c.external_id, c.occurred_at,
  row_number() OVER (PARTITION BY c.source_id, c.entity_id ORDER BY c.occurred_at, c.external_id COLLATE "C")::int,
  c.pipeline, c.prev_step, c.step, c.prev_step_id::bigint, c.step_id::bigint, c.prev_status, c.status,
  c.amount::numeric, COALESCE(c.actor_email, c.owner_email)
FROM changes c
WHERE c.rn = 1 OR c.step IS DISTINCT FROM c.prev_step OR c.step_id IS DISTINCT FROM c.prev_step_id
   OR c.status IS DISTINCT FROM c.prev_status`;
}

const GIVEN = recomputeSql('given');
const ALL = recomputeSql('all');
const TABLE = recomputeSql('table');
const DELETE_GIVEN = `
WITH ${keysCte('given')}
DELETE FROM leadhouse.stage_changes sc USING keys k WHERE sc.source_id = k.source_id AND sc.lead_id = k.lead_id`;

const DELETE_TABLE = `
WITH ${keysCte('table')}
DELETE FROM leadhouse.stage_changes sc USING keys k WHERE sc.source_id = k.source_id AND sc.lead_id = k.lead_id`;

/**
 * Rebuilds the stage history of the given leads: one row for the lead's entry and one per change
 * of step or status, in event-time order. A late (out-of-order) event lands in its place and the
 * rows after it are recomputed, so the history is the same whatever the arrival order.
 */
export async function projectStageChanges(
  tx: Queryable,
  keys: readonly LeadKey[] | 'all' | 'table',
): Promise<void> {
  if (keys === 'all') {
    await tx.query(ALL);
    return;
  }
  if (keys === 'table') {
    await tx.query(DELETE_TABLE);
    await tx.query(TABLE);
    return;
  }
  if (keys.length === 0) return;
  const params = keyParams(keys);
  await tx.query(DELETE_GIVEN, params);
  await tx.query(GIVEN, params);
}
