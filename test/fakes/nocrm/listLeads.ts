// GET /api/v2/leads: filter, sort (ties broken by id), page; total before paging in X-TOTAL-COUNT (§2.4).
import { badParam, ok, type Reply } from './reply.js';
import type { FakeLead } from './types.js';

const ORDERS = {
  id: () => 0,
  last_update: (a: FakeLead, b: FakeLead) => Date.parse(a.updated_at) - Date.parse(b.updated_at),
  creation_date: (a: FakeLead, b: FakeLead) => Date.parse(a.created_at) - Date.parse(b.created_at),
} satisfies Record<string, (a: FakeLead, b: FakeLead) => number>;
const isOrder = (o: string): o is keyof typeof ORDERS => Object.hasOwn(ORDERS, o);

/** The REST lead object of §2.4, documented fields first (defaults for absent optional ones), then extras. */
export function toRestLead(lead: FakeLead): Record<string, unknown> {
  const documented = {
    id: lead.id,
    title: lead.title,
    pipeline: lead.pipeline,
    step: lead.step,
    step_id: lead.step_id,
    status: lead.status,
    amount: lead.amount,
    probability: lead.probability,
    currency: lead.currency,
    starred: lead['starred'] ?? false,
    next_action_at: lead['next_action_at'] ?? null,
    created_at: lead.created_at,
    updated_at: lead.updated_at,
    closed_at: lead.closed_at,
    description: lead['description'] ?? '',
    html_description: lead['html_description'] ?? '',
    tags: lead['tags'] ?? [],
    user_id: lead.user_id,
    client_folder_id: lead.client_folder_id,
    client_folder_name: lead.client_folder_name,
    team_id: lead['team_id'] ?? null,
    team_name: lead['team_name'] ?? null,
  };
  return { ...documented, ...lead };
}

function int(v: string | undefined, fallback: number, min: number): number | undefined {
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,9}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min ? n : undefined;
}

/** `YYYY-MM-DD` (UTC midnight) or an ISO datetime; a datetime without zone is read as UTC. */
export function parseSince(v: string): number | undefined {
  let s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00Z';
  else if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return undefined;
  else if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(s)) s += 'Z';
  const t = Date.parse(s.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
}

const list = (v: string | undefined): string[] | undefined =>
  v === undefined || v === ''
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export function listLeads(leads: Iterable<FakeLead>, q: Record<string, string>, maxLimit: number): Reply {
  const limit = int(q['limit'], 100, 1);
  const offset = int(q['offset'], 0, 0);
  if (limit === undefined) return badParam('limit must be a positive integer');
  if (offset === undefined) return badParam('offset must be a non-negative integer');
  const order = q['order'] ?? 'id';
  if (!isOrder(order)) return badParam(`order '${order}' is not supported by the fake`);
  const direction = q['direction'] ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') return badParam('direction must be asc or desc');

  let since: number | undefined;
  if (q['updated_after'] !== undefined) {
    since = parseSince(q['updated_after']);
    if (since === undefined) return badParam('updated_after must be a date or an ISO datetime');
  }
  const statuses = list(q['status']);
  const steps = list(q['step']);
  const stepIds = steps?.every((s) => /^\d+$/.test(s)) ? new Set(steps.map(Number)) : undefined;
  if (steps && !stepIds && steps.some((s) => /^\d+$/.test(s))) {
    return badParam('step takes names or ids, not both');
  }

  const matched = [...leads].filter(
    (l) =>
      (since === undefined || Date.parse(l.updated_at) >= since) &&
      (statuses === undefined || statuses.includes(l.status)) &&
      (steps === undefined || (stepIds ? stepIds.has(l.step_id) : steps.includes(l.step))),
  );
  const sign = direction === 'asc' ? 1 : -1;
  const by = ORDERS[order];
  matched.sort((a, b) => sign * (by(a, b) || a.id - b.id));
  const page = matched.slice(offset, offset + Math.min(limit, maxLimit));
  return ok(page.map(toRestLead), { 'X-TOTAL-COUNT': String(matched.length) });
}
