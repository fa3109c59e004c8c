import type { FolderData, LeadData, UnifiedEvent } from '../../core/events.js';
import { err, ok, type Result } from '../../core/result.js';
import { parseTimestamp } from '../../core/time.js';
import { normalizeLead } from './normalizeLead.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/**
 * A REST lead row as an event. The external id is the lead id plus its `updated_at`, so the same
 * version of a lead seen twice (an overlap window, a re-run) is one event, and a sync that finds
 * nothing new writes nothing. `userEmails` (from `/users`) gives the owner's e-mail that the REST
 * shape lacks, so a lead seen by webhook and by API has one owner.
 */
export function apiLeadEvent(
  sourceId: string,
  row: unknown,
  userEmails: ReadonlyMap<string, string>,
): Result<UnifiedEvent, string> {
  const lead = normalizeLead(row, `lead ${isObject(row) ? String(row['id']) : '?'}`);
  if (!lead.ok) return lead;
  const data: LeadData = lead.value.lead;
  const updated = data.updated_at ?? data.created_at;
  if (!updated) return err(`lead ${lead.value.leadId}: no updated_at`);
  if (data.owner_id && !('owner_email' in data)) {
    const email = userEmails.get(data.owner_id);
    if (email) data.owner_email = email;
  } else if ('owner_id' in data && data.owner_id === null) data.owner_email = null;
  return ok({
    sourceId,
    externalId: `api:lead:${lead.value.leadId}:${updated}`,
    type: 'lead.updated',
    entityType: 'lead',
    entityId: lead.value.leadId,
    occurredAt: new Date(updated),
    channel: 'api',
    data,
    raw: row,
    meta: { provider: 'nocrm', endpoint: '/leads' },
  });
}

/** A `/users` row as an `owner.updated` event (name and id of an agent by e-mail). */
export function apiUserEvent(sourceId: string, row: unknown, fetchedAt: Date): UnifiedEvent | undefined {
  if (!isObject(row)) return undefined;
  const id = str(row['id']);
  const email = str(row['email'])?.trim().toLowerCase();
  if (!id || !email) return undefined;
  const at = versionTime(row, fetchedAt);
  const name = [str(row['firstname']), str(row['lastname'])].filter(Boolean).join(' ') || null;
  return {
    sourceId,
    externalId: `api:user:${id}:${at.toISOString()}`,
    type: 'owner.updated',
    entityType: 'owner',
    entityId: id,
    occurredAt: at,
    channel: 'api',
    data: { owner_email: email, owner_id: id, owner_name: name },
    raw: row,
    meta: { provider: 'nocrm', endpoint: '/users' },
  };
}

/** A `/clients` row (client folder) as a `folder.updated` event. */
export function apiClientEvent(sourceId: string, row: unknown, fetchedAt: Date): UnifiedEvent | undefined {
  if (!isObject(row)) return undefined;
  const id = str(row['id']);
  if (!id) return undefined;
  const at = versionTime(row, fetchedAt);
  const created = typeof row['created_at'] === 'string' ? parseTimestamp(row['created_at']) : undefined;
  const data: FolderData = { folder_id: id, folder_name: str(row['name']) ?? null };
  if (created) data.created_at = created.toISOString();
  return {
    sourceId,
    externalId: `api:client:${id}:${at.toISOString()}`,
    type: 'folder.updated',
    entityType: 'folder',
    entityId: id,
    occurredAt: at,
    channel: 'api',
    data,
    raw: row,
    meta: { provider: 'nocrm', endpoint: '/clients' },
  };
}

function versionTime(row: Obj, fallback: Date): Date {
  for (const k of ['updated_at', 'created_at']) {
    const v = row[k];
    const d = typeof v === 'string' ? parseTimestamp(v) : undefined;
    if (d) return d;
  }
  return fallback;
}
