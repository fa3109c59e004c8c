import type { FolderData, LeadData, UnifiedType } from '../../core/events.js';
import type { LeadStatus } from '../lead.js';
import { clientName, FIRST_WINNABLE_STEP, negotiatedPrice, PIPELINE, propertyListing } from '../office.js';
import { createRng, type Rng } from '../random.js';
import { BULK_AGENTS, BULK_EVENT_BASE, BULK_FOLDER_BASE, BULK_LEAD_BASE, BULK_OFFICES } from './offices.js';

/** One generated event, as the noCRM webhook path would have stored it. */
export interface BulkEvent {
  sourceId: string;
  externalId: string;
  type: UnifiedType;
  /** noCRM's event name (meta.event). */
  event: string;
  entityType: 'lead' | 'folder';
  entityId: string;
  at: number;
  data: LeadData | FolderData;
}

export interface PlanWindow {
  /** The history covers [startMs, endMs]; no event is later than endMs. */
  startMs: number;
  endMs: number;
  seed: number;
  /**
   * Leads in this window: the `k`-th of them enters at about the k/leads point of the window, so
   * leads come in the order they entered — as a live system appends them, which is what gives
   * its tables their time locality. Without it, entry times are drawn at random.
   */
  leads?: number;
  /** Index of the window's first lead (`k` = index − first). */
  first?: number;
}

type Fate = 'won' | 'lost' | 'cancelled' | 'open';
type Action =
  | { kind: 'step'; step: number }
  | { kind: 'status'; status: LeadStatus }
  | { kind: 'comment' | 'assign' };

const DAY = 86_400_000;
/** Final step of a lead by fate: won leads get to "Propuesta" or later, the others stop early. */
const FINAL_STEP: Record<Fate, readonly number[]> = {
  won: [0, 0, 0, 0, 15, 35, 50],
  lost: [12, 22, 22, 18, 14, 12, 0],
  cancelled: [25, 28, 22, 14, 8, 3, 0],
  open: [20, 22, 22, 16, 12, 8, 0],
};
/** Days from entry to the last move (or the close): a minimum plus an exponential tail. */
const LIFETIME: Record<Fate, readonly [min: number, mean: number]> = {
  won: [7, 40],
  lost: [2, 30],
  cancelled: [1, 20],
  open: [1, 30],
};

/**
 * The events of the `index`-th generated lead: a pure function of (index, window), so chunks
 * can be generated in any order. The lead enters (often after its client folder), moves through
 * the pipeline, may be parked (standby) and come back, gets comments and reassignments, and —
 * unless it is still open — ends won, lost or cancelled; about 1% are deleted later. Events
 * after `endMs` are cut, so recent leads are still in progress.
 */
export function planLead(index: number, w: PlanWindow): BulkEvent[] {
  const rng = createRng(w.seed * 7_919 + index);
  const who = BULK_AGENTS[rng.int(0, BULK_AGENTS.length - 1)]!;
  const { sourceId, office } = BULK_OFFICES[who.officeIdx]!;
  const leadId = String(BULK_LEAD_BASE + index);
  const created = entryTime(rng, w, index);
  const f = rng.next();
  const fate: Fate = f < 0.2 ? 'won' : f < 0.62 ? 'lost' : f < 0.72 ? 'cancelled' : 'open';
  const entryStep = rng.chance(0.2) ? 1 : 0;
  const finalStep = Math.max(entryStep, rng.weighted(FINAL_STEP[fate]));
  const actions = planActions(rng, fate, entryStep, finalStep);
  const [minDays, meanDays] = LIFETIME[fate];
  const lifetime = (minDays + Math.min(360, -Math.log(1 - rng.next()) * meanDays)) * DAY;
  const times = spread(rng, created, lifetime, actions.length);

  const listing = propertyListing(rng);
  const hasFolder = rng.chance(0.55);
  const folder = hasFolder ? { id: String(BULK_FOLDER_BASE + index), name: clientName(rng) } : undefined;
  const title = `${listing.label} - ${folder?.name ?? clientName(rng)}`;
  const state = {
    step: entryStep,
    status: 'todo' as LeadStatus,
    agentIdx: who.agentIdx,
    amount: rng.chance(0.6) ? listing.askingPrice : 0,
    closedAt: null as string | null,
  };
  const iso = (t: number) => new Date(t).toISOString();
  const eventId = (k: number) => String(BULK_EVENT_BASE + index * 16 + k);
  const snapshot = (at: number): LeadData => {
    const step = office.steps[state.step]!;
    const agent = office.agents[state.agentIdx]!;
    const closed = state.status === 'won' || state.status === 'lost' || state.status === 'cancelled';
    const data: LeadData = {
      title,
      pipeline: PIPELINE,
      step: step.name,
      step_id: step.id,
      status: state.status,
      amount: String(state.amount),
      currency: office.currency,
      probability: String(state.status === 'won' ? 100 : closed ? 0 : step.probability),
      permalink: `https://${office.subdomain}.nocrm.io/leads/${leadId}`,
      created_at: iso(created),
      closed_at: state.closedAt,
      updated_at: iso(at),
      owner_email: agent.email,
      owner_id: String(agent.id),
    };
    if (rng.chance(0.85)) data.owner_name = `${agent.firstname} ${agent.lastname}`;
    if (folder) {
      data.folder_id = folder.id;
      data.folder_name = folder.name;
    }
    return data;
  };
  const lead = (k: number, type: UnifiedType, event: string, at: number): BulkEvent => ({
    sourceId,
    externalId: eventId(k),
    type,
    event,
    entityType: 'lead',
    entityId: leadId,
    at,
    data: snapshot(at),
  });

  const out: BulkEvent[] = [];
  if (folder) {
    const at = created - rng.int(30, 900) * 1000;
    const data: FolderData = { folder_id: folder.id, folder_name: folder.name, created_at: iso(at) };
    out.push({
      sourceId,
      externalId: eventId(15),
      type: 'folder.created',
      event: 'client_folder.created',
      entityType: 'folder',
      entityId: folder.id,
      at,
      data,
    });
  }
  out.push(lead(0, 'lead.created', 'lead.creation', created));
  let last = created;
  actions.forEach((a, i) => {
    const at = times[i]!;
    if (at > w.endMs) return;
    last = at;
    if (a.kind === 'step') {
      state.step = a.step;
      if (a.step >= FIRST_WINNABLE_STEP && state.amount === 0) state.amount = listing.askingPrice;
      out.push(lead(i + 1, 'lead.step_changed', 'lead.step.changed', at));
    } else if (a.kind === 'status') {
      state.status = a.status;
      if (a.status === 'won') state.amount = negotiatedPrice(rng, listing.askingPrice);
      if (a.status === 'won' || a.status === 'lost' || a.status === 'cancelled') state.closedAt = iso(at);
      out.push(lead(i + 1, 'lead.status_changed', 'lead.status.changed', at));
    } else if (a.kind === 'assign') {
      const n = office.agents.length;
      state.agentIdx = (state.agentIdx + rng.int(1, n - 1)) % n;
      out.push(lead(i + 1, 'lead.assigned', 'lead.assigned', at));
    } else out.push(lead(i + 1, 'lead.commented', 'lead.commented', at));
  });
  if (rng.chance(0.01)) {
    const at = last + rng.int(1, 60) * DAY + rng.int(0, 3600) * 1000;
    if (at <= w.endMs) out.push(lead(actions.length + 1, 'lead.deleted', 'lead.deleted', at));
  }
  return out;
}

/** Business days and hours, more leads as time goes on (the density doubles over the window). */
function entryTime(rng: Rng, w: PlanWindow, index: number): number {
  const u = rng.next();
  const f = w.leads ? Math.min(1, (index - (w.first ?? 0) + u) / w.leads) : u;
  const x = Math.sqrt(1 + 3 * f) - 1;
  let midnight = Math.floor((w.startMs + x * (w.endMs - w.startMs)) / DAY) * DAY;
  const dow = new Date(midnight).getUTCDay();
  if ((dow === 0 || dow === 6) && rng.chance(0.85)) midnight -= (dow === 6 ? 1 : 2) * DAY;
  const t = midnight + rng.int(7 * 3600, 18 * 3600) * 1000;
  if (t < w.startMs) return w.startMs + rng.int(0, 86_399) * 1000;
  if (t > w.endMs - 60_000) return w.endMs - rng.int(60, 6 * 3600) * 1000;
  return t;
}

/** What happens after the entry, in order. */
function planActions(rng: Rng, fate: Fate, entryStep: number, finalStep: number): Action[] {
  const actions: Action[] = [];
  for (let step = entryStep; step < finalStep; ) {
    step = rng.chance(0.08) && step + 2 <= finalStep ? step + 2 : step + 1;
    actions.push({ kind: 'step', step });
  }
  const insert = (...a: Action[]) => actions.splice(rng.int(0, actions.length), 0, ...a);
  const parked = fate === 'won' ? rng.chance(0.25) : rng.chance(0.5);
  const staysParked = parked && fate !== 'won' && rng.chance(0.45);
  if (parked && !staysParked)
    insert({ kind: 'status', status: 'standby' }, { kind: 'status', status: 'todo' });
  if (rng.chance(0.4)) insert({ kind: 'comment' });
  if (rng.chance(0.08)) insert({ kind: 'assign' });
  if (staysParked) actions.push({ kind: 'status', status: 'standby' });
  if (fate !== 'open') actions.push({ kind: 'status', status: fate });
  return actions;
}

/** `n` increasing whole-second times after `from`, the last at about `from + span`. */
function spread(rng: Rng, from: number, span: number, n: number): number[] {
  const gaps = Array.from({ length: n }, () => 0.3 + rng.next());
  const total = gaps.reduce((s, g) => s + g, 0);
  const out: number[] = [];
  let acc = 0;
  let prev = from;
  for (const g of gaps) {
    acc += g;
    const t = Math.max(prev + 1000, Math.floor((from + (span * acc) / total) / 1000) * 1000);
    out.push(t);
    prev = t;
  }
  return out;
}
