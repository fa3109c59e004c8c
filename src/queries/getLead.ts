import type { Queryable } from '../store/db.js';
import { LEAD_COLUMNS, type LeadRow, leadJson } from './leadRow.js';

/** One lead: its current state, its stage history and the raw events it was built from. */
export async function getLead(db: Queryable, sourceId: string, leadId: string) {
  const lead = await db.query<LeadRow>(
    `SELECT ${LEAD_COLUMNS} FROM leadhouse.leads WHERE source_id = $1 AND lead_id = $2`,
    [sourceId, leadId],
  );
  const row = lead.rows[0];
  if (!row) return undefined;
  const history = await db.query<Record<string, unknown>>(
    `SELECT seq, changed_at, event_external_id AS event_id, pipeline, from_step, to_step, from_step_id, to_step_id,
            from_status, to_status, amount::float8 AS amount, moved_by
     FROM leadhouse.stage_changes WHERE source_id = $1 AND lead_id = $2 ORDER BY seq`,
    [sourceId, leadId],
  );
  const events = await db.query<Record<string, unknown>>(
    `SELECT id, external_id, type, meta->>'event' AS provider_event, channel, occurred_at, received_at, data, raw
     FROM leadhouse.events WHERE source_id = $1 AND entity_type = 'lead' AND entity_id = $2
     ORDER BY occurred_at, external_id COLLATE "C"`,
    [sourceId, leadId],
  );
  return { lead: leadJson(row), stage_history: history.rows, events: events.rows };
}
