/** The unified event every connector produces and the ingest writes. */
export type Channel = 'webhook' | 'api' | 'file' | 'poll' | 'manual';
export type EntityType = 'lead' | 'folder' | 'owner' | 'unknown';

export type UnifiedType =
  | 'lead.created'
  | 'lead.updated'
  | 'lead.step_changed'
  | 'lead.status_changed'
  | 'lead.assigned'
  | 'lead.unassigned'
  | 'lead.commented'
  | 'lead.content_changed'
  | 'lead.deleted'
  | 'folder.created'
  | 'folder.updated'
  | 'owner.updated'
  | 'unrecognised';

/**
 * A lead snapshot as far as the event tells it. A key that is absent means "this event does not
 * say"; a key set to null means "this event says it is empty". Times are ISO strings in UTC.
 */
export interface LeadData {
  title?: string | null;
  pipeline?: string | null;
  step?: string | null;
  step_id?: number | null;
  status?: string | null;
  amount?: string | null;
  currency?: string | null;
  probability?: string | null;
  owner_email?: string | null;
  owner_id?: string | null;
  owner_name?: string | null;
  folder_id?: string | null;
  folder_name?: string | null;
  permalink?: string | null;
  created_at?: string | null;
  closed_at?: string | null;
  /** Who performed this action (history imports); not lead state. Stage history's `moved_by`. */
  actor_email?: string | null;
  /** The CRM's own last-update time, as the payload states it. */
  updated_at?: string | null;
}

export interface FolderData {
  folder_id: string;
  folder_name?: string | null;
  created_at?: string | null;
}

export interface UnifiedEvent {
  sourceId: string;
  /** The provider's id for this event: redelivery carries the same one. */
  externalId: string;
  type: UnifiedType;
  entityType: EntityType;
  entityId: string | null;
  occurredAt: Date;
  channel: Channel;
  data: LeadData | FolderData | Record<string, never>;
  raw: unknown;
  meta: Record<string, unknown>;
}
