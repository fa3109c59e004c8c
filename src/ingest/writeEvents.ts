import type { UnifiedEvent } from '../core/events.js';
import { applyProjections } from '../projections/applyProjections.js';
import { FOLDERS_UPSERT, folderParams } from '../projections/projectFolders.js';
import { OWNERS_UPSERT, ownerParams, reduceOwners } from '../projections/projectOwners.js';
import type { Db, Queryable } from '../store/db.js';
import { CHANGES_NOTIFY } from './notifyChanges.js';

export interface WriteOutcome {
  /** The event's row id when this call stored it; null when it was already stored (redelivery). */
  eventId: number | null;
  duplicate: boolean;
}

const shift = (sql: string, by: number) => sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + by}`);

/**
 * One statement, one round trip: insert the events (a redelivered one is skipped by the unique
 * key), upsert the owners and folders they name (idempotent, so duplicates do no harm), and take
 * the advisory locks of the leads they touch — in a fixed order, so that the recompute that
 * follows (a later statement, hence a later snapshot) sees every concurrent writer's events —
 * and announce the new events' sources and types to listeners (delivered at commit).
 */
const WRITE_SQL = `
WITH locks AS (
  SELECT pg_advisory_xact_lock(h) FROM (
    SELECT DISTINCT hashtextextended(s || ':' || l, 7340) AS h FROM unnest($12::text[], $13::text[]) AS k(s, l)
    ORDER BY h) ordered
),
owners_up AS (${shift(OWNERS_UPSERT, 13)}),
folders_up AS (${shift(FOLDERS_UPSERT, 21)}),
ins AS (
  INSERT INTO leadhouse.events (source_id, external_id, type, entity_type, entity_id, occurred_at, received_at,
                                channel, data, raw, meta)
  SELECT s, x, t, et, eid, oa, ra, ch, d::jsonb, r::jsonb, m::jsonb
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
              $8::text[], $9::text[], $10::text[], $11::text[])
    AS u(s, x, t, et, eid, oa, ra, ch, d, r, m)
  ON CONFLICT (source_id, external_id) DO NOTHING
  RETURNING id, source_id, external_id, type
),
notified AS (${CHANGES_NOTIFY})
SELECT ins.id, ins.source_id, ins.external_id, (SELECT count(*) FROM locks) AS locked,
       (SELECT count(*) FROM notified) AS notified FROM ins`;
const WRITE = { name: 'leadhouse_ingest_write', text: WRITE_SQL };

/**
 * Inserts a batch of events and brings every projection up to date with the new ones, inside
 * the caller's transaction: two statements whatever the batch size.
 */
export async function insertEvents(
  tx: Queryable,
  events: readonly UnifiedEvent[],
  receivedAt: Date | readonly Date[],
): Promise<WriteOutcome[]> {
  if (events.length === 0) return [];
  const arrival = (i: number) => (Array.isArray(receivedAt) ? receivedAt[i] : receivedAt) as Date;
  const leads = events.filter((e) => e.entityType === 'lead' && e.entityId !== null);
  const { rows } = await tx.query<{ id: number; source_id: string; external_id: string }>(WRITE, [
    events.map((e) => e.sourceId),
    events.map((e) => e.externalId),
    events.map((e) => e.type),
    events.map((e) => e.entityType),
    events.map((e) => e.entityId),
    events.map((e) => e.occurredAt.toISOString()),
    events.map((_, i) => arrival(i).toISOString()),
    events.map((e) => e.channel),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => (e.raw === undefined ? null : JSON.stringify(e.raw))),
    events.map((e) => JSON.stringify(e.meta)),
    leads.map((e) => e.sourceId),
    leads.map((e) => e.entityId),
    ...(ownerParams(reduceOwners(events).values()) ?? Array.from({ length: 8 }, () => [])),
    ...(folderParams(events) ?? Array.from({ length: 6 }, () => [])),
  ]);
  const stored = new Map(rows.map((r) => [`${r.source_id}\u0000${r.external_id}`, r.id]));
  const fresh: UnifiedEvent[] = [];
  const outcomes = events.map((e) => {
    const key = `${e.sourceId}\u0000${e.externalId}`;
    const id = stored.get(key);
    if (id === undefined) return { eventId: null, duplicate: true };
    stored.delete(key); // a second copy in the same batch is a duplicate of the first
    fresh.push(e);
    return { eventId: id, duplicate: false };
  });
  await applyProjections(tx, fresh);
  return outcomes;
}

/** Stores a batch in ONE transaction: when this resolves, every event is durable and projected. */
export function writeEvents(
  db: Db,
  events: readonly UnifiedEvent[],
  receivedAt: Date | readonly Date[] = new Date(),
): Promise<WriteOutcome[]> {
  return db.transaction((tx) => insertEvents(tx, events, receivedAt));
}
