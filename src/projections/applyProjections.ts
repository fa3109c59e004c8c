import type { UnifiedEvent } from '../core/events.js';
import type { Queryable } from '../store/db.js';
import type { LeadKey } from './leadKeys.js';
import { projectFolders } from './projectFolders.js';
import { projectLeads } from './projectLeads.js';
import { projectOwners } from './projectOwners.js';
import { projectStageChanges } from './projectStageChanges.js';

/**
 * Brings every projection up to date with newly stored events, in the ingest transaction.
 * The affected leads are locked (transaction-scoped advisory locks, in a fixed order) so that two
 * processes ingesting events of one lead at once recompute it one after the other, the second
 * seeing the first's events.
 */
export async function applyProjections(tx: Queryable, fresh: readonly UnifiedEvent[]): Promise<void> {
  if (fresh.length === 0) return;
  const seen = new Set<string>();
  const keys: LeadKey[] = [];
  for (const e of fresh) {
    if (e.entityType !== 'lead' || e.entityId === null) continue;
    const k = `${e.sourceId}\u0000${e.entityId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    keys.push({ sourceId: e.sourceId, leadId: e.entityId });
  }
  if (keys.length > 0) {
    await tx.query(
      `SELECT pg_advisory_xact_lock(h) FROM (
         SELECT DISTINCT hashtextextended(s || ':' || l, 7340) AS h FROM unnest($1::text[], $2::text[]) AS k(s, l)
         ORDER BY h) ordered`,
      [keys.map((k) => k.sourceId), keys.map((k) => k.leadId)],
    );
    await projectLeads(tx, keys);
    await projectStageChanges(tx, keys);
  }
  await projectOwners(tx, fresh);
  await projectFolders(tx, fresh);
}
