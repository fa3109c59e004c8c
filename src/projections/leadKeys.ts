/** A lead's identity across the projections. */
export interface LeadKey {
  sourceId: string;
  leadId: string;
}

/**
 * The `keys` CTE the lead projections recompute: either the given keys (unnest of $1, $2) or every
 * lead in the event log (replay).
 */
export type KeyScope = 'given' | 'all' | 'table';

/**
 * `given`: the keys passed as $1 (source ids) and $2 (lead ids); `all`: every lead in the log
 * (replay); `table`: the rows of the session's temporary table `pg_temp.affected_leads
 * (source_id, lead_id)`, for bulk loads whose key lists are too long for parameters.
 */
export function keysCte(scope: KeyScope): string {
  switch (scope) {
    case 'given':
      return 'keys AS (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS k(source_id, lead_id))';
    case 'all':
      return `keys AS (SELECT DISTINCT source_id, entity_id AS lead_id FROM leadhouse.events WHERE entity_type = 'lead')`;
    case 'table':
      return 'keys AS (SELECT DISTINCT source_id, lead_id FROM pg_temp.affected_leads)';
  }
}

export function keyParams(keys: readonly LeadKey[]): [string[], string[]] {
  return [keys.map((k) => k.sourceId), keys.map((k) => k.leadId)];
}

/** Event-time order with a deterministic tie-break that does not depend on arrival order. */
export const EVENT_ORDER = 'e.occurred_at, e.external_id COLLATE "C"';
export const EVENT_ORDER_DESC = 'e.occurred_at DESC, e.external_id COLLATE "C" DESC';
