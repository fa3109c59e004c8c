import { createHash } from 'node:crypto';
import type { LeadData, UnifiedType } from '../../core/events.js';
import { err, ok, type Result } from '../../core/result.js';
import type { ColumnMap, FieldSpec } from '../files/columnMap.js';
import { readStatedTime, type StatedTime } from '../files/statedTime.js';

/** The canonical columns of noCRM's action-history export. */
export type HistoryField =
  | 'lead_id'
  | 'action'
  | 'from_step'
  | 'to_step'
  | 'status'
  | 'amount'
  | 'user'
  | 'timestamp'
  | 'title'
  | 'pipeline'
  | 'step_id';

/** Header names each field is found under (compared loosely: case, spaces, `_`, `-`, `.`). */
export const HISTORY_FIELDS: readonly FieldSpec<HistoryField>[] = [
  { field: 'lead_id', aliases: ['lead_id', 'id_lead', 'lead', 'lead_number', 'lead_no'] },
  { field: 'action', aliases: ['action', 'action_type', 'type', 'event', 'activity'] },
  { field: 'from_step', aliases: ['from_step', 'previous_step', 'old_step', 'step_from', 'from'] },
  { field: 'to_step', aliases: ['to_step', 'new_step', 'step_to', 'step', 'to'] },
  { field: 'status', aliases: ['status', 'new_status', 'lead_status'] },
  { field: 'amount', aliases: ['amount', 'lead_amount', 'value'] },
  { field: 'user', aliases: ['user', 'user_email', 'email', 'by', 'actor', 'performed_by', 'user_name'] },
  {
    field: 'timestamp',
    aliases: ['timestamp', 'date', 'created_at', 'time', 'datetime', 'occurred_at', 'at'],
  },
  { field: 'title', aliases: ['title', 'lead_title', 'lead_name'] },
  { field: 'pipeline', aliases: ['pipeline', 'pipeline_name'] },
  { field: 'step_id', aliases: ['step_id'] },
];

export const HISTORY_FIELD_NAMES: readonly HistoryField[] = HISTORY_FIELDS.map((f) => f.field);
export const REQUIRED_FIELDS: readonly HistoryField[] = ['lead_id', 'action', 'timestamp'];

/** One action of the history, ready to become an event (its time is placed by the database). */
export interface HistoryRow {
  /** `import:` + sha1 of the row's normalized fields: the same action imported twice is one event. */
  externalId: string;
  leadId: string;
  type: UnifiedType;
  time: StatedTime;
  data: LeadData;
  meta: Record<string, unknown>;
}

/** The export's action name → unified type (the original is kept in `meta.action`). */
export function historyType(action: string): UnifiedType {
  const a = action.toLowerCase();
  if (a.includes('creat')) return 'lead.created';
  if (a.includes('step')) return 'lead.step_changed';
  if (/status|won|lost|cancel/.test(a)) return 'lead.status_changed';
  if (a.includes('unassign')) return 'lead.unassigned';
  if (a.includes('assign')) return 'lead.assigned';
  if (a.includes('comment')) return 'lead.commented';
  if (a.includes('delet')) return 'lead.deleted';
  return 'lead.updated';
}

/** A status change whose row leaves `status` empty but whose action names the status. */
const STATUS_IN_ACTION: ReadonlyArray<readonly [RegExp, string]> = [
  [/won/, 'won'],
  [/lost/, 'lost'],
  [/cancel/, 'cancelled'],
  [/standby|stand.by/, 'standby'],
  [/todo|to.do/, 'todo'],
];

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

class RowError extends Error {}

/**
 * Maps one record of the export (keyed by its own column names; `columns` says which key holds
 * which field) to a history row, or says why it cannot: the reason names the field.
 * An empty cell states nothing: only the fields a row fills become keys of `data`.
 */
export function historyRow(
  record: Record<string, unknown>,
  columns: ColumnMap<HistoryField>,
  at: { file: string; line: number },
): Result<HistoryRow, string> {
  try {
    const cell = (f: HistoryField) => {
      const key = columns[f];
      return key === undefined ? undefined : text(f, record[key]);
    };
    const leadId = cell('lead_id');
    if (leadId === undefined) return err('lead_id is missing');
    if (!ID.test(leadId))
      return err(`lead_id ${JSON.stringify(leadId)} is not an id (letters, digits, _ and -)`);
    const action = cell('action');
    if (action === undefined) return err('action is missing');
    const stamp = cell('timestamp');
    if (stamp === undefined) return err('timestamp is missing');
    const time = readStatedTime(stamp);
    if (!time)
      return err(
        `timestamp ${JSON.stringify(stamp)} is not a date-time (ISO 8601 or YYYY-MM-DD HH:MM[:SS], optional zone)`,
      );
    const amount = cell('amount');
    if (amount !== undefined && !NUMERIC.test(amount))
      return err(`amount ${JSON.stringify(amount)} is not a number (digits and a decimal point only)`);
    const stepId = cell('step_id');
    if (stepId !== undefined && !/^-?\d{1,15}$/.test(stepId))
      return err(`step_id ${JSON.stringify(stepId)} is not an integer`);
    const [fromStep, toStep, status, user, title, pipeline] = (
      ['from_step', 'to_step', 'status', 'user', 'title', 'pipeline'] as const
    ).map(cell);

    const type = historyType(action);
    const email = user !== undefined && EMAIL.test(user) ? user.toLowerCase() : undefined;
    const data: LeadData = {};
    if (title !== undefined) data.title = title;
    if (pipeline !== undefined) data.pipeline = pipeline;
    if (toStep !== undefined) data.step = toStep;
    if (stepId !== undefined) data.step_id = Number(stepId);
    const stated = status ?? (type === 'lead.status_changed' ? statusInAction(action) : undefined);
    if (stated !== undefined) data.status = stated;
    if (amount !== undefined) data.amount = amount;
    if (email !== undefined) data.actor_email = email;
    if (type === 'lead.assigned' && email !== undefined) data.owner_email = email;
    if (type === 'lead.unassigned') data.owner_email = null;

    const meta: Record<string, unknown> = { provider: 'nocrm', file: at.file, line: at.line, action };
    if (user !== undefined && email === undefined) meta['user'] = user;
    if (fromStep !== undefined) meta['from_step'] = fromStep;

    const fingerprint = JSON.stringify([
      leadId,
      action,
      fromStep ?? null,
      toStep ?? null,
      status ?? null,
      amount ?? null,
      email ?? user ?? null,
      time.text,
      title ?? null,
      pipeline ?? null,
      stepId ?? null,
    ]);
    const externalId = `import:${createHash('sha1').update(fingerprint).digest('hex')}`;
    return ok({ externalId, leadId, type, time, data, meta });
  } catch (e) {
    if (e instanceof RowError) return err(e.message);
    throw e;
  }
}

/** A cell as trimmed text; empty and null cells state nothing (undefined). */
function text(field: HistoryField, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  throw new RowError(`${field} must be a single value, not ${Array.isArray(v) ? 'a list' : 'an object'}`);
}

function statusInAction(action: string): string | undefined {
  const a = action.toLowerCase();
  return STATUS_IN_ACTION.find(([re]) => re.test(a))?.[1];
}
