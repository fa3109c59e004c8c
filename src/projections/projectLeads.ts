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

/** Derived from the lead's stage history (`stage_new`): when its current status and step began. */
const SINCE = `
  SELECT n.source_id, n.lead_id,
    max(n.changed_at) FILTER (WHERE n.seq = 1 OR n.to_status IS DISTINCT FROM n.from_status) AS status_since,
    max(n.changed_at) FILTER (WHERE n.seq = 1 OR n.to_step IS DISTINCT FROM n.from_step) AS step_since
  FROM stage_new n GROUP BY n.source_id, n.lead_id`;

/**
 * The upsert of `leads` rows for the leads in the `keys` CTE; it reads `stage_new` (the stage
 * history CTEs of projectStageChanges.ts) for `status_since` / `step_since`.
 */
export const LEADS_UPSERT = (() => {
  const cols = FIELDS.map(([c]) => c);
  const all = [
    ...cols,
    'created_at',
    'updated_at',
    'deleted_at',
    'event_count',
    'channel',
    'status_since',
    'step_since',
  ];
  return `
INSERT INTO leadhouse.leads AS l (source_id, lead_id, ${all.join(', ')})
SELECT e.source_id, e.entity_id,
  ${FIELDS.map(([c, t]) => latest(c, t)).join(',\n  ')},
  COALESCE(${latest('created_at', 'timestamptz')},
           min(e.occurred_at) FILTER (WHERE e.type = 'lead.created'), min(e.occurred_at)),
  max(e.occurred_at),
  max(e.occurred_at) FILTER (WHERE e.type = 'lead.deleted'),
  count(*)::int,
  (array_agg(e.channel ORDER BY ${EVENT_ORDER}))[1],
  min(s.status_since),
  min(s.step_since)
FROM leadhouse.events e
JOIN keys k ON e.source_id = k.source_id AND e.entity_type = 'lead' AND e.entity_id = k.lead_id
LEFT JOIN (${SINCE}) s ON s.source_id = e.source_id AND s.lead_id = e.entity_id
GROUP BY e.source_id, e.entity_id
ON CONFLICT (source_id, lead_id) DO UPDATE SET
  ${all.map((c) => `${c} = excluded.${c}`).join(', ')}`;
})();
