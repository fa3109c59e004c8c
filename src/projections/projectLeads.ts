import { EVENT_ORDER, EVENT_ORDER_DESC } from './leadKeys.js';

/** Lead columns taken field-wise from the latest event (by event time) that carries the field. */
const FIELDS: ReadonlyArray<readonly [column: string, sqlType: string]> = [
  ['title', 'text'],
  ['pipeline', 'text'],
  ['step', 'text'],
  ['step_id', 'bigint'],
  ['status', 'text'],
  ['amount', 'numeric'],
  ['currency', 'text'],
  ['probability', 'numeric'],
  ['owner_email', 'text'],
  ['owner_id', 'text'],
  ['folder_id', 'text'],
  ['folder_name', 'text'],
  ['permalink', 'text'],
  ['closed_at', 'timestamptz'],
];

const latest = (key: string, type: string) =>
  `((array_agg(e.data->>'${key}' ORDER BY ${EVENT_ORDER_DESC}) FILTER (WHERE e.data ? '${key}'))[1])::${type}`;

/**
 * Derived from the lead's stage history (`stage_new`): when its current status and step began,
 * and every step it has been in: by id, and by name where the history has no id (the funnel's
 * "reached").
 */
const SINCE = `
  SELECT n.source_id, n.lead_id,
    max(n.changed_at) FILTER (WHERE n.seq = 1 OR n.to_status IS DISTINCT FROM n.from_status) AS status_since,
    max(n.changed_at) FILTER (WHERE n.seq = 1 OR n.to_step IS DISTINCT FROM n.from_step) AS step_since,
    array_agg(DISTINCT n.to_step_id ORDER BY n.to_step_id) FILTER (WHERE n.to_step_id IS NOT NULL) AS reached_steps,
    array_agg(DISTINCT n.to_step ORDER BY n.to_step) FILTER (WHERE n.to_step IS NOT NULL AND n.to_step_id IS NULL) AS reached_names
  FROM stage_new n GROUP BY n.source_id, n.lead_id`;

/** Statuses that close a lead (the metrics' "closed"; src/metrics/leadFacts.ts). */
export const CLOSED_STATUSES_SQL = `('won', 'lost', 'cancelled', 'canceled')`;

/**
 * The upsert of `leads` rows for the leads in the `keys` CTE; it reads `stage_new` (the stage
 * history CTEs of projectStageChanges.ts) for `status_since` / `step_since`.
 */
export const LEADS_UPSERT = (() => {
  const cols = FIELDS.map(([c]) => c);
  const derived = [
    'created_at',
    'updated_at',
    'deleted_at',
    'event_count',
    'channel',
    'status_since',
    'step_since',
    'reached_steps',
    'reached_names',
  ];
  const all = [...cols, ...derived, 'close_time'];
  return `
INSERT INTO leadhouse.leads AS l (source_id, lead_id, ${all.join(', ')})
SELECT x.source_id, x.lead_id, ${[...cols, ...derived].map((c) => `x.${c}`).join(', ')},
  CASE WHEN x.status IN ${CLOSED_STATUSES_SQL} THEN COALESCE(x.closed_at, x.status_since) END
FROM (
  SELECT e.source_id, e.entity_id AS lead_id,
    ${FIELDS.map(([c, t]) => `${latest(c, t)} AS ${c}`).join(',\n    ')},
    COALESCE(${latest('created_at', 'timestamptz')},
             min(e.occurred_at) FILTER (WHERE e.type = 'lead.created'), min(e.occurred_at)) AS created_at,
    max(e.occurred_at) AS updated_at,
    max(e.occurred_at) FILTER (WHERE e.type = 'lead.deleted') AS deleted_at,
    count(*)::int AS event_count,
    (array_agg(e.channel ORDER BY ${EVENT_ORDER}))[1] AS channel,
    min(s.status_since) AS status_since,
    min(s.step_since) AS step_since,
    min(s.reached_steps) AS reached_steps,
    min(s.reached_names) AS reached_names
  FROM leadhouse.events e
  JOIN keys k ON e.source_id = k.source_id AND e.entity_type = 'lead' AND e.entity_id = k.lead_id
  LEFT JOIN (${SINCE}) s ON s.source_id = e.source_id AND s.lead_id = e.entity_id
  GROUP BY e.source_id, e.entity_id
) x
ON CONFLICT (source_id, lead_id) DO UPDATE SET
  ${all.map((c) => `${c} = excluded.${c}`).join(', ')}`;
})();
