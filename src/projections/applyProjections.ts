import type { UnifiedEvent } from '../core/events.js';
import type { Queryable } from '../store/db.js';
import type { LeadKey } from './leadKeys.js';
import { recomputeLeads } from './recomputeLeads.js';

/**
 * Recomputes `leads` and `stage_changes` of the leads that newly stored events touch, in the
 * ingest transaction (owners and folders are upserted with the insert itself). The caller holds
 * the leads' advisory locks, so two processes ingesting one lead's events recompute it one after
 * the other, the second seeing the first's events.
 */
export async function applyProjections(tx: Queryable, fresh: readonly UnifiedEvent[]): Promise<void> {
  const seen = new Set<string>();
  const keys: LeadKey[] = [];
  for (const e of fresh) {
    if (e.entityType !== 'lead' || e.entityId === null) continue;
    const k = `${e.sourceId}\u0000${e.entityId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    keys.push({ sourceId: e.sourceId, leadId: e.entityId });
  }
  await recomputeLeads(tx, keys);
}
