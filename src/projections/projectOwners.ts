import type { LeadData, UnifiedEvent } from '../core/events.js';
import type { Queryable } from '../store/db.js';
import { lwwSet, maxDate, minDate, newer, type Versioned, versionOf } from './versioned.js';

/** One agent as a batch of events tells it, reduced before the upsert (one row per key). */
export interface OwnerRow {
  sourceId: string;
  email: string;
  ownerId: Versioned<string> | undefined;
  name: Versioned<string> | undefined;
  firstSeen: Date;
  lastSeen: Date;
}

export const OWNERS_UPSERT = `
INSERT INTO leadhouse.owners AS o (source_id, email, owner_id, owner_id_v, name, name_v, first_seen_at, last_seen_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[])
ON CONFLICT (source_id, email) DO UPDATE SET
  ${lwwSet('o', 'owner_id')},
  ${lwwSet('o', 'name')},
  first_seen_at = LEAST(o.first_seen_at, excluded.first_seen_at),
  last_seen_at = GREATEST(o.last_seen_at, excluded.last_seen_at)`;

/** Folds one sighting of an agent into `rows` (keyed by source and e-mail). */
export function addOwner(
  rows: Map<string, OwnerRow>,
  sighting: {
    sourceId: string;
    email: string;
    ownerId?: string | null | undefined;
    name?: string | null | undefined;
  },
  at: Date,
  externalId: string,
): void {
  const v = versionOf(at, externalId);
  const key = `${sighting.sourceId}\u0000${sighting.email}`;
  const ownerId = sighting.ownerId ? { value: sighting.ownerId, v } : undefined;
  const name = sighting.name ? { value: sighting.name, v } : undefined;
  const prev = rows.get(key);
  rows.set(
    key,
    prev
      ? {
          ...prev,
          ownerId: newer(prev.ownerId, ownerId),
          name: newer(prev.name, name),
          firstSeen: minDate(prev.firstSeen, at),
          lastSeen: maxDate(prev.lastSeen, at),
        }
      : { sourceId: sighting.sourceId, email: sighting.email, ownerId, name, firstSeen: at, lastSeen: at },
  );
}

export async function upsertOwners(tx: Queryable, rows: Iterable<OwnerRow>): Promise<void> {
  const params = ownerParams(rows);
  if (params) await tx.query(OWNERS_UPSERT, params);
}

/** The eight array parameters of OWNERS_UPSERT, or undefined when there is no row. */
export function ownerParams(rows: Iterable<OwnerRow>): unknown[][] | undefined {
  const r = [...rows];
  if (r.length === 0) return undefined;
  return [
    r.map((x) => x.sourceId),
    r.map((x) => x.email),
    r.map((x) => x.ownerId?.value ?? null),
    r.map((x) => x.ownerId?.v ?? null),
    r.map((x) => x.name?.value ?? null),
    r.map((x) => x.name?.v ?? null),
    r.map((x) => x.firstSeen.toISOString()),
    r.map((x) => x.lastSeen.toISOString()),
  ];
}

/**
 * Agents, keyed by e-mail within a source: lead owners, the actors of history actions, and the
 * users an API sync lists (entity `owner`).
 */
export async function projectOwners(tx: Queryable, events: readonly UnifiedEvent[]): Promise<void> {
  await upsertOwners(tx, reduceOwners(events).values());
}

export function reduceOwners(events: readonly UnifiedEvent[]): Map<string, OwnerRow> {
  const rows = new Map<string, OwnerRow>();
  for (const e of events) {
    if (e.entityType !== 'lead' && e.entityType !== 'owner') continue;
    const d = e.data as LeadData;
    if (d.owner_email)
      addOwner(
        rows,
        { sourceId: e.sourceId, email: d.owner_email, ownerId: d.owner_id, name: d.owner_name },
        e.occurredAt,
        e.externalId,
      );
    if (d.actor_email && d.actor_email !== d.owner_email)
      addOwner(rows, { sourceId: e.sourceId, email: d.actor_email }, e.occurredAt, e.externalId);
  }
  return rows;
}
