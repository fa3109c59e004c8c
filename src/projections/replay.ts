import type { Channel, EntityType, UnifiedEvent, UnifiedType } from '../core/events.js';
import type { Db } from '../store/db.js';
import { projectFolders } from './projectFolders.js';
import { projectOwners } from './projectOwners.js';
import { recomputeLeads } from './recomputeLeads.js';

const PROJECTIONS = ['leadhouse.leads', 'leadhouse.stage_changes', 'leadhouse.owners', 'leadhouse.folders'];
const CHUNK = 5_000;

interface EventRow {
  id: number;
  source_id: string;
  external_id: string;
  type: string;
  entity_type: string;
  entity_id: string | null;
  occurred_at: Date;
  channel: string;
  data: Record<string, unknown>;
}

export interface ReplayResult {
  events: number;
  leads: number;
  ms: number;
}

/**
 * Truncates every projection and rebuilds it from `events`, in one transaction: readers see the
 * old projections until the new ones are complete. The result is row-for-row what incremental
 * ingestion produced.
 */
export async function replay(db: Db, onProgress?: (done: number) => void): Promise<ReplayResult> {
  const t0 = Date.now();
  return db.transaction(async (tx) => {
    await tx.exec(`TRUNCATE ${PROJECTIONS.join(', ')}`);
    let last = 0;
    let events = 0;
    for (;;) {
      const { rows } = await tx.query<EventRow>(
        `SELECT id, source_id, external_id, type, entity_type, entity_id, occurred_at, channel, data
         FROM leadhouse.events WHERE id > $1 ORDER BY id LIMIT ${CHUNK}`,
        [last],
      );
      if (rows.length === 0) break;
      const batch = rows.map(toEvent);
      await projectOwners(tx, batch);
      await projectFolders(tx, batch);
      events += rows.length;
      last = rows[rows.length - 1]!.id;
      onProgress?.(events);
    }
    await recomputeLeads(tx, 'all');
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.leads');
    return { events, leads: rows[0]?.n ?? 0, ms: Date.now() - t0 };
  });
}

function toEvent(r: EventRow): UnifiedEvent {
  return {
    sourceId: r.source_id,
    externalId: r.external_id,
    type: r.type as UnifiedType,
    entityType: r.entity_type as EntityType,
    entityId: r.entity_id,
    occurredAt: r.occurred_at,
    channel: r.channel as Channel,
    data: r.data as UnifiedEvent['data'],
    raw: undefined,
    meta: {},
  };
}
