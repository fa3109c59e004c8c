import type { UnifiedEvent } from '../core/events.js';
import { applyProjections } from '../projections/applyProjections.js';
import type { Db, Queryable } from '../store/db.js';

export interface WriteOutcome {
  /** The event's row id when this call stored it; null when it was already stored (redelivery). */
  eventId: number | null;
  duplicate: boolean;
}

const INSERT = `
INSERT INTO leadhouse.events (source_id, external_id, type, entity_type, entity_id, occurred_at, received_at, channel, data, raw, meta)
SELECT s, x, t, et, eid, oa, ra, ch, d::jsonb, r::jsonb, m::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
            $8::text[], $9::text[], $10::text[], $11::text[])
  AS u(s, x, t, et, eid, oa, ra, ch, d, r, m)
ON CONFLICT (source_id, external_id) DO NOTHING
RETURNING id, source_id, external_id`;

/**
 * Inserts a batch of events (a redelivered one is skipped by the unique key) and applies the new
 * ones to the projections, inside the caller's transaction.
 */
export async function insertEvents(
  tx: Queryable,
  events: readonly UnifiedEvent[],
  receivedAt: Date | readonly Date[],
): Promise<WriteOutcome[]> {
  const arrival = (i: number) => (Array.isArray(receivedAt) ? receivedAt[i] : receivedAt) as Date;
  if (events.length === 0) return [];
  const { rows } = await tx.query<{ id: number; source_id: string; external_id: string }>(INSERT, [
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
