import { EVENT_ORDER } from './leadKeys.js';

/** Each value carried forward from the latest event (by event time) that stated it. */
const CARRIED = ['step', 'step_id', 'status', 'pipeline', 'amount', 'owner_email'] as const;
const COLUMNS = `source_id, lead_id, event_external_id, changed_at, seq, pipeline, from_step, to_step,
  from_step_id, to_step_id, from_status, to_status, amount, moved_by`;

const W = `PARTITION BY e.source_id, e.entity_id ORDER BY ${EVENT_ORDER} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`;
/** The values this field has been stated with so far, in event order (one window, one sort). */
const stated = (c: string) => `array_agg(e.data->>'${c}') FILTER (WHERE e.data ? '${c}') OVER w AS a_${c}`;
/** The latest of them: the value carried forward to this event (NULL when never stated). */
const carried = (c: string) => `e.a_${c}[cardinality(e.a_${c})] AS ${c}`;

/**
 * CTEs (after `keys`) computing `stage_new`: the stage history the events of the keyed leads
 * imply — the lead's entry, then one row per change of step or status, in event-time order.
 */
export const STAGE_CTES = `
ev AS (
  SELECT e.source_id, e.entity_id, e.external_id, e.occurred_at, e.data->>'actor_email' AS actor_email,
    ${CARRIED.map(stated).join(',\n    ')}
  FROM leadhouse.events e
  JOIN keys k ON e.source_id = k.source_id AND e.entity_type = 'lead' AND e.entity_id = k.lead_id
  WHERE e.type <> 'lead.deleted'
  WINDOW w AS (${W})
),
state AS (
  SELECT e.source_id, e.entity_id, e.external_id, e.occurred_at, e.actor_email,
    ${CARRIED.map(carried).join(',\n    ')}
  FROM ev e
),
changes AS (
  SELECT s.*,
    lag(s.step) OVER w AS prev_step, lag(s.step_id) OVER w AS prev_step_id, lag(s.status) OVER w AS prev_status,
    row_number() OVER w AS rn
  FROM state s
  WINDOW w AS (PARTITION BY s.source_id, s.entity_id ORDER BY s.occurred_at, s.external_id COLLATE "C")
),
stage_new AS (
  SELECT c.source_id, c.entity_id AS lead_id, c.external_id AS event_external_id, c.occurred_at AS changed_at,
    row_number() OVER (PARTITION BY c.source_id, c.entity_id ORDER BY c.occurred_at, c.external_id COLLATE "C")::int AS seq,
    c.pipeline, c.prev_step AS from_step, c.step AS to_step, c.prev_step_id::bigint AS from_step_id,
    c.step_id::bigint AS to_step_id, c.prev_status AS from_status, c.status AS to_status,
    c.amount::numeric AS amount, COALESCE(c.actor_email, c.owner_email) AS moved_by
  FROM changes c
  WHERE c.rn = 1 OR c.step IS DISTINCT FROM c.prev_step OR c.step_id IS DISTINCT FROM c.prev_step_id
     OR c.status IS DISTINCT FROM c.prev_status
)`;

/**
 * Registers the steps the history names (unknown ones only, in a fixed order so two writers cannot
 * deadlock; without a position: the funnel's fallback order by step id needs every step of a
 * source, not only those of one period's leads — a /steps sync later fills in names and positions).
 * Brings `stage_changes` of the keyed leads to `stage_new` in one statement: upsert the rows
 * (rewriting only those that differ), and delete the rows of those leads that are no longer
 * implied (a late event changed what came after it). Both parts see the statement's snapshot,
 * so the delete never touches a row the upsert inserts.
 */
export const STAGE_APPLY = `
steps_seen AS (
  INSERT INTO leadhouse.stages AS st (source_id, step_id, name)
  SELECT DISTINCT ON (n.source_id, n.to_step_id) n.source_id, n.to_step_id, n.to_step FROM stage_new n
  WHERE n.to_step_id IS NOT NULL AND n.to_step IS NOT NULL
  ORDER BY n.source_id, n.to_step_id, n.changed_at DESC
  ON CONFLICT (source_id, step_id) DO NOTHING
),
stage_up AS (
  INSERT INTO leadhouse.stage_changes AS sc (${COLUMNS})
  SELECT ${COLUMNS} FROM stage_new
  ON CONFLICT (source_id, lead_id, event_external_id) DO UPDATE SET
    changed_at = excluded.changed_at, seq = excluded.seq, pipeline = excluded.pipeline,
    from_step = excluded.from_step, to_step = excluded.to_step, from_step_id = excluded.from_step_id,
    to_step_id = excluded.to_step_id, from_status = excluded.from_status, to_status = excluded.to_status,
    amount = excluded.amount, moved_by = excluded.moved_by
  WHERE (sc.changed_at, sc.seq, sc.pipeline, sc.from_step, sc.to_step, sc.from_step_id, sc.to_step_id,
         sc.from_status, sc.to_status, sc.amount, sc.moved_by)
    IS DISTINCT FROM (excluded.changed_at, excluded.seq, excluded.pipeline, excluded.from_step, excluded.to_step,
         excluded.from_step_id, excluded.to_step_id, excluded.from_status, excluded.to_status, excluded.amount,
         excluded.moved_by)
)
DELETE FROM leadhouse.stage_changes sc USING keys k
WHERE sc.source_id = k.source_id AND sc.lead_id = k.lead_id
  AND NOT EXISTS (SELECT 1 FROM stage_new n WHERE n.source_id = sc.source_id AND n.lead_id = sc.lead_id
                  AND n.event_external_id = sc.event_external_id)`;
