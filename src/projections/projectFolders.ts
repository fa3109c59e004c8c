import type { FolderData, LeadData, UnifiedEvent } from '../core/events.js';
import type { Queryable } from '../store/db.js';
import { lwwSet, minDate, newer, type Versioned, versionOf } from './versioned.js';

interface FolderRow {
  sourceId: string;
  folderId: string;
  name: Versioned<string> | undefined;
  createdAt: Date | undefined;
  firstSeen: Date;
}

export const FOLDERS_UPSERT = `
INSERT INTO leadhouse.folders AS f (source_id, folder_id, name, name_v, created_at, first_seen_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
ON CONFLICT (source_id, folder_id) DO UPDATE SET
  ${lwwSet('f', 'name')},
  created_at = LEAST(f.created_at, excluded.created_at),
  first_seen_at = LEAST(f.first_seen_at, excluded.first_seen_at)`;

/** Client folders, from `folder.created` events and from the folder named on lead events. */
export async function projectFolders(tx: Queryable, events: readonly UnifiedEvent[]): Promise<void> {
  const params = folderParams(events);
  if (params) await tx.query(FOLDERS_UPSERT, params);
}

/** The six array parameters of FOLDERS_UPSERT for a batch (one row per folder), or undefined. */
export function folderParams(events: readonly UnifiedEvent[]): unknown[][] | undefined {
  const rows = new Map<string, FolderRow>();
  for (const e of events) {
    let folderId: string | null | undefined;
    let folderName: string | null | undefined;
    let createdAt: Date | undefined;
    if (e.entityType === 'folder') {
      const d = e.data as FolderData;
      folderId = d.folder_id;
      folderName = d.folder_name;
      createdAt = d.created_at ? new Date(d.created_at) : undefined;
    } else if (e.entityType === 'lead') {
      const d = e.data as LeadData;
      folderId = d.folder_id;
      folderName = d.folder_name;
    }
    if (!folderId) continue;
    const key = `${e.sourceId}\u0000${folderId}`;
    const name = folderName ? { value: folderName, v: versionOf(e.occurredAt, e.externalId) } : undefined;
    const prev = rows.get(key);
    const created =
      prev?.createdAt && createdAt ? minDate(prev.createdAt, createdAt) : (prev?.createdAt ?? createdAt);
    rows.set(key, {
      sourceId: e.sourceId,
      folderId,
      name: newer(prev?.name, name),
      createdAt: created,
      firstSeen: prev ? minDate(prev.firstSeen, e.occurredAt) : e.occurredAt,
    });
  }
  if (rows.size === 0) return undefined;
  const r = [...rows.values()];
  return [
    r.map((x) => x.sourceId),
    r.map((x) => x.folderId),
    r.map((x) => x.name?.value ?? null),
    r.map((x) => x.name?.v ?? null),
    r.map((x) => x.createdAt?.toISOString() ?? null),
    r.map((x) => x.firstSeen.toISOString()),
  ];
}
