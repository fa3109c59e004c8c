import type { LeadData, UnifiedEvent } from '../core/events.js';
import type { Queryable } from '../store/db.js';
import { lwwSet, maxDate, minDate, newer, type Versioned, versionOf } from './versioned.js';

interface OwnerRow {
  sourceId: string;
  email: string;
  ownerId: Versioned<string> | undefined;
  name: Versioned<string> | undefined;
  firstSeen: Date;
  lastSeen: Date;
}

const UPSERT = `
INSERT INTO leadhouse.owners AS o (source_id, email, owner_id, owner_id_v, name, name_v, first_seen_at, last_seen_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[])
ON CONFLICT (source_id, email) DO UPDATE SET
  ${lwwSet('o', 'owner_id')},
  ${lwwSet('o', 'name')},
  first_seen_at = LEAST(o.first_seen_at, excluded.first_seen_at),
  last_seen_at = GREATEST(o.last_seen_at, excluded.last_seen_at)`;

/** Agents seen on lead events, keyed by e-mail within a source. */
export async function projectOwners(tx: Queryable, events: readonly UnifiedEvent[]): Promise<void> {
  const rows = new Map<string, OwnerRow>();
  for (const e of events) {
    if (e.entityType !== 'lead') continue;
    const d = e.data as LeadData;
    if (!d.owner_email) continue;
    const v = versionOf(e.occurredAt, e.externalId);
    const key = `${e.sourceId}\u0000${d.owner_email}`;
    const ownerId = d.owner_id ? { value: d.owner_id, v } : undefined;
    const name = d.owner_name ? { value: d.owner_name, v } : undefined;
    const prev = rows.get(key);
    rows.set(
      key,
      prev
        ? {
            ...prev,
            ownerId: newer(prev.ownerId, ownerId),
            name: newer(prev.name, name),
            firstSeen: minDate(prev.firstSeen, e.occurredAt),
            lastSeen: maxDate(prev.lastSeen, e.occurredAt),
          }
        : {
            sourceId: e.sourceId,
            email: d.owner_email,
            ownerId,
            name,
            firstSeen: e.occurredAt,
            lastSeen: e.occurredAt,
          },
    );
  }
  if (rows.size === 0) return;
  const r = [...rows.values()];
  await tx.query(UPSERT, [
    r.map((x) => x.sourceId),
    r.map((x) => x.email),
    r.map((x) => x.ownerId?.value ?? null),
    r.map((x) => x.ownerId?.v ?? null),
    r.map((x) => x.name?.value ?? null),
    r.map((x) => x.name?.v ?? null),
    r.map((x) => x.firstSeen.toISOString()),
    r.map((x) => x.lastSeen.toISOString()),
  ]);
}
