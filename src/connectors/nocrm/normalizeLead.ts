import type { FolderData, LeadData } from '../../core/events.js';
import { err, ok, type Result } from '../../core/result.js';
import { parseTimestamp } from '../../core/time.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const NUMERIC = /^-?\d+(\.\d+)?$/;

class FieldError extends Error {}

/** Reads one field; absent stays absent, null stays null, a wrong type throws naming the field. */
function field<T>(
  o: Obj,
  key: string,
  path: string,
  read: (v: unknown, p: string) => T,
): T | null | undefined {
  if (!(key in o)) return undefined;
  const v = o[key];
  if (v === null || v === '') return null;
  return read(v, `${path}.${key}`);
}

const text = (v: unknown, p: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new FieldError(`${p} must be a string`);
};
const id = (v: unknown, p: string): string => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v)) return v;
  throw new FieldError(`${p} must be an id (integer)`);
};
const int = (v: unknown, p: string): number => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  throw new FieldError(`${p} must be an integer`);
};
/** Money and percentages: a JSON number or a numeric string, kept as an exact decimal string. */
const decimal = (v: unknown, p: string): string => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return v.trim();
  throw new FieldError(`${p} must be a number or a numeric string`);
};
const time = (v: unknown, p: string): string => {
  const d = typeof v === 'string' ? parseTimestamp(v) : undefined;
  if (!d) throw new FieldError(`${p} must be an ISO-8601 timestamp`);
  return d.toISOString();
};

function put<K extends keyof LeadData>(out: LeadData, key: K, value: LeadData[K] | undefined): void {
  if (value !== undefined) out[key] = value;
}

/**
 * One normalizer for both lead shapes: webhook `data` (nested `user{}`, `client{}` or
 * `client_folder{}`) and the REST object (flat `user_id`, `client_folder_id/name`).
 */
export function normalizeLead(
  data: unknown,
  path = 'webhook_event.data',
): Result<{ leadId: string; lead: LeadData }, string> {
  if (!isObject(data)) return err(`${path} must be an object`);
  try {
    const leadId = field(data, 'id', path, id);
    if (leadId === undefined || leadId === null) return err(`${path}.id is required`);
    const out: LeadData = {};
    put(out, 'title', field(data, 'title', path, text));
    put(out, 'pipeline', field(data, 'pipeline', path, text));
    put(out, 'step', field(data, 'step', path, text));
    put(out, 'step_id', field(data, 'step_id', path, int));
    put(out, 'status', field(data, 'status', path, text));
    put(out, 'amount', field(data, 'amount', path, decimal));
    put(out, 'currency', field(data, 'currency', path, text));
    put(out, 'probability', field(data, 'probability', path, decimal));
    put(out, 'permalink', field(data, 'permalink', path, text));
    put(out, 'created_at', field(data, 'created_at', path, time));
    put(out, 'closed_at', field(data, 'closed_at', path, time));
    put(out, 'updated_at', field(data, 'updated_at', path, time));
    readOwner(data, path, out);
    readFolder(data, path, out);
    return ok({ leadId, lead: out });
  } catch (e) {
    if (e instanceof FieldError) return err(e.message);
    throw e;
  }
}

function readOwner(data: Obj, path: string, out: LeadData): void {
  if ('user' in data) {
    const u = data['user'];
    if (u === null) {
      out.owner_email = null;
      out.owner_id = null;
      return;
    }
    if (typeof u === 'string') {
      out.owner_email = u.trim().toLowerCase();
      return;
    }
    if (!isObject(u)) throw new FieldError(`${path}.user must be an object`);
    const email = field(u, 'email', `${path}.user`, text);
    if (email !== undefined) out.owner_email = email === null ? null : email.trim().toLowerCase();
    put(out, 'owner_id', field(u, 'id', `${path}.user`, id));
    const first = field(u, 'firstname', `${path}.user`, text);
    const last = field(u, 'lastname', `${path}.user`, text);
    if (first || last) out.owner_name = [first, last].filter(Boolean).join(' ');
    return;
  }
  const email = field(data, 'user_email', path, text);
  if (email !== undefined) out.owner_email = email === null ? null : email.trim().toLowerCase();
  put(out, 'owner_id', field(data, 'user_id', path, id));
}

function readFolder(data: Obj, path: string, out: LeadData): void {
  for (const key of ['client', 'client_folder']) {
    if (!(key in data)) continue;
    const f = data[key];
    if (f === null) {
      out.folder_id = null;
      out.folder_name = null;
      return;
    }
    if (!isObject(f)) throw new FieldError(`${path}.${key} must be an object`);
    put(out, 'folder_id', field(f, 'id', `${path}.${key}`, id));
    put(out, 'folder_name', field(f, 'name', `${path}.${key}`, text));
    return;
  }
  put(out, 'folder_id', field(data, 'client_folder_id', path, id));
  put(out, 'folder_name', field(data, 'client_folder_name', path, text));
}

/** `client_folder.created` data: `{id, name, created_at, …}`. */
export function normalizeFolder(data: unknown, path = 'webhook_event.data'): Result<FolderData, string> {
  if (!isObject(data)) return err(`${path} must be an object`);
  try {
    const folderId = field(data, 'id', path, id);
    if (folderId === undefined || folderId === null) return err(`${path}.id is required`);
    const out: FolderData = { folder_id: folderId };
    const name = field(data, 'name', path, text);
    if (name !== undefined) out.folder_name = name;
    const created = field(data, 'created_at', path, time);
    if (created !== undefined) out.created_at = created;
    return ok(out);
  } catch (e) {
    if (e instanceof FieldError) return err(e.message);
    throw e;
  }
}

/** The event time a lead payload carries: its last update, else its creation. */
export function leadEventTime(data: unknown): Date | undefined {
  if (!isObject(data)) return undefined;
  for (const k of ['updated_at', 'created_at']) {
    const v = data[k];
    if (typeof v === 'string') {
      const d = parseTimestamp(v);
      if (d) return d;
    }
  }
  return undefined;
}
