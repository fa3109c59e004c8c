import crypto from 'node:crypto';
import type { LeadData, UnifiedType } from '../../core/events.js';
import { err, ok, type Result } from '../../core/result.js';
import type { ColumnIndex, FieldSpec } from '../files/columnMap.js';
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

/** sha1 hex; the one-shot `crypto.hash` (Node ≥ 20.12) is several times cheaper per row. */
const sha1: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha1', s)
    : (s) => crypto.createHash('sha1').update(s).digest('hex');

/**
 * Maps one record of the export (its values; `columns` says which one holds which field) to a
 * history row, or says why it cannot: the reason names the field.
 * An empty cell states nothing: only the fields a row fills become keys of `data`.
 */
export function historyRow(
  values: readonly unknown[],
  columns: ColumnIndex<HistoryField>,
  at: { file: string; line: number },
): Result<HistoryRow, string> {
  try {
    const cell = (f: HistoryField) => {
      const i = columns[f];
      return i === undefined ? undefined : text(f, values[i]);
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
    const fromStep = cell('from_step');
    const toStep = cell('to_step');
    const status = cell('status');
    const user = cell('user');
    const title = cell('title');
    const pipeline = cell('pipeline');

    const { type, statusInAction } = actionOf(action);
    const email = user === undefined ? undefined : emailOf(user);
    const data: LeadData = {};
    if (title !== undefined) data.title = title;
    if (pipeline !== undefined) data.pipeline = pipeline;
    if (toStep !== undefined) data.step = toStep;
    if (stepId !== undefined) data.step_id = Number(stepId);
    const stated = status ?? statusInAction;
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
    const externalId = `import:${sha1(fingerprint)}`;
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

/** What an action name means (the export has a handful of them: remembered). */
const actionOf = memo((action: string) => {
  const type = historyType(action);
  const a = action.toLowerCase();
  const statusInAction =
    type === 'lead.status_changed' ? STATUS_IN_ACTION.find(([re]) => re.test(a))?.[1] : undefined;
  return { type, statusInAction };
});

/** The user as a lower-case e-mail, or undefined when it is not one (a few dozen users: remembered). */
const emailOf = memo((user: string) => (EMAIL.test(user) ? user.toLowerCase() : undefined));

/** Remembers `fn` for up to `max` distinct inputs, then starts over (memory stays bounded). */
function memo<T>(fn: (s: string) => T, max = 10_000): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined || seen.has(s)) return hit as T;
    if (seen.size >= max) seen.clear();
    const v = fn(s);
    seen.set(s, v);
    return v;
  };
}
