import type { Queryable } from '../store/db.js';
import { EVENT_ORDER_DESC, type KeyScope, keyParams, keysCte, type LeadKey } from './leadKeys.js';

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

/** The upsert of `leads` rows for the leads in the `keys` CTE (to follow a `WITH keys …`). */
export const LEADS_UPSERT = (() => {
  const cols = FIELDS.map(([c]) => c);
  return `
INSERT INTO leadhouse.leads AS l (source_id, lead_id, ${cols.join(', ')}, created_at, updated_at, deleted_at, event_count)
SELECT e.source_id, e.entity_id,
  ${FIELDS.map(([c, t]) => latest(c, t)).join(',\n  ')},
  COALESCE(${latest('created_at', 'timestamptz')},
           min(e.occurred_at) FILTER (WHERE e.type = 'lead.created'), min(e.occurred_at)),
  max(e.occurred_at),
  max(e.occurred_at) FILTER (WHERE e.type = 'lead.deleted'),
  count(*)::int
FROM leadhouse.events e
JOIN keys k ON e.source_id = k.source_id AND e.entity_type = 'lead' AND e.entity_id = k.lead_id
GROUP BY e.source_id, e.entity_id
ON CONFLICT (source_id, lead_id) DO UPDATE SET
  ${[...cols, 'created_at', 'updated_at', 'deleted_at', 'event_count'].map((c) => `${c} = excluded.${c}`).join(', ')}`;
})();

const sql = (scope: KeyScope) => `WITH ${keysCte(scope)}${LEADS_UPSERT}`;
const STATEMENTS: Record<KeyScope, string> = { given: sql('given'), all: sql('all'), table: sql('table') };

/**
 * Recomputes the `leads` rows of the given leads from their whole event history. The state is a
 * pure function of the event set: the arrival order never matters, an older event never
 * overwrites a newer value, and replay produces identical rows.
 */
export async function projectLeads(tx: Queryable, keys: readonly LeadKey[] | 'all' | 'table'): Promise<void> {
  if (keys === 'all' || keys === 'table') await tx.query(STATEMENTS[keys]);
  else if (keys.length > 0) await tx.query(STATEMENTS.given, keyParams(keys));
}
