import { buildEnvelope, type NocrmEnvelope } from './envelope.js';
import { isClosed, type Lead, leadSnapshot, nextStatus } from './lead.js';
import {
  buildOffice,
  type ClientFolder,
  clientName,
  FIRST_WINNABLE_STEP,
  negotiatedPrice,
  type Office,
  propertyListing,
} from './office.js';
import type { Rng } from './random.js';

export interface OfficeSpec {
  sourceId: string;
  apiKey: string;
  subdomain: string;
  agents: number;
  seed: number;
}

export interface SimEvent {
  sourceId: string;
  envelope: NocrmEnvelope;
}

/** The next ids the generator hands out; every counter only grows. */
export interface IdStart {
  webhookId: number;
  leadId: number;
  folderId: number;
}

const ACTIONS = ['create', 'step', 'status', 'assign', 'comment', 'delete', 'manual'] as const;
type Action = (typeof ACTIONS)[number];

/** The same webhook delivered again: same id, signature and data, one more try. */
export function redeliver(ev: SimEvent): SimEvent {
  const we = ev.envelope.webhook_event;
  return {
    sourceId: ev.sourceId,
    envelope: { webhook_event: { ...we, try_count: we.try_count + 1, data: structuredClone(we.data) } },
  };
}

/**
 * One noCRM account's sales activity as a state machine: each `step(at)` performs one business
 * action at time `at` (bumped to stay strictly after the previous one, whole seconds) and returns
 * its webhooks: one, or two when a won status also fires `lead.status.changed.to.won`.
 */
export class OfficeGenerator {
  readonly office: Office;
  private readonly open: Lead[] = [];
  private readonly closed: Lead[] = [];
  private readonly folders: Array<ClientFolder & { ownerIdx: number }> = [];
  private pendingFolder: (ClientFolder & { ownerIdx: number }) | undefined;
  private lastTime = Number.NEGATIVE_INFINITY;
  private readonly ids: IdStart;

  constructor(
    readonly spec: OfficeSpec,
    ids: IdStart,
    private readonly rng: Rng,
  ) {
    this.office = buildOffice(spec);
    this.ids = { ...ids };
  }

  step(at: Date): SimEvent[] {
    const t = Math.max(Math.floor(at.getTime() / 1000) * 1000, this.lastTime + 1000);
    this.lastTime = t;
    const now = this.rng.chance(0.15)
      ? new Date(t).toISOString().replace('.000Z', 'Z')
      : new Date(t).toISOString();
    if (this.pendingFolder) {
      const folder = this.pendingFolder;
      this.pendingFolder = undefined;
      return [this.createLead(now, folder, folder.ownerIdx)];
    }
    const action = this.chooseAction();
    const lead = this.pickOpen(action);
    if (action === 'create' || !lead) return this.create(now);
    if (action === 'step') return [this.moveStep(lead, now)];
    if (action === 'status') return this.changeStatus(lead, now);
    if (action === 'assign') {
      lead.ownerIdx =
        (lead.ownerIdx + this.rng.int(1, this.office.agents.length - 1)) % this.office.agents.length;
      return [this.emit('lead.assigned', leadSnapshot(this.office, lead, now, this.rng))];
    }
    if (action === 'delete') {
      const pool = this.closed.length > 0 && this.rng.chance(0.4) ? this.closed : this.open;
      const victim = pool.splice(this.rng.int(0, pool.length - 1), 1)[0] ?? lead;
      return [this.emit('lead.deleted', leadSnapshot(this.office, victim, now, this.rng))];
    }
    const event = action === 'comment' ? 'lead.commented' : 'lead.manual.trigger';
    return [this.emit(event, leadSnapshot(this.office, lead, now, this.rng))];
  }

  private chooseAction(): Action {
    const open = this.open.length;
    const movable = this.open.some((l) => l.status === 'todo' && l.stepIdx < this.office.steps.length - 1);
    const weights: Record<Action, number> = {
      create: open < this.office.agents.length * 5 ? 22 : 8,
      step: movable ? 40 : 0,
      status: open > 0 ? 18 : 0,
      assign: open > 0 && this.office.agents.length > 1 ? 4 : 0,
      comment: open > 0 ? 9 : 0,
      delete: open > 5 ? 1.2 : 0,
      manual: open > 0 ? 0.3 : 0,
    };
    return ACTIONS[this.rng.weighted(ACTIONS.map((a) => weights[a]))] ?? 'create';
  }

  /** The open lead an action applies to: a movable one for a step change; late ones favoured for status. */
  private pickOpen(action: Action): Lead | undefined {
    if (this.open.length === 0) return undefined;
    if (action === 'step') {
      const movable = this.open.filter(
        (l) => l.status === 'todo' && l.stepIdx < this.office.steps.length - 1,
      );
      return movable.length > 0 ? this.rng.pick(movable) : undefined;
    }
    if (action === 'status') {
      const late = this.open.filter((l) => l.status === 'todo' && l.stepIdx >= FIRST_WINNABLE_STEP);
      if (late.length > 0 && this.rng.chance(0.6)) return this.rng.pick(late);
    }
    return this.rng.pick(this.open);
  }

  private create(now: string): SimEvent[] {
    const ownerIdx = this.rng.int(0, this.office.agents.length - 1);
    const roll = this.rng.next();
    if (roll < 0.65 || this.folders.length === 0) {
      const folder = { id: this.ids.folderId++, name: clientName(this.rng), ownerIdx };
      this.folders.push(folder);
      if (this.folders.length > 500) this.folders.shift();
      this.pendingFolder = folder;
      const user = this.office.agents[ownerIdx]!;
      const data = { id: folder.id, name: folder.name, description: '', is_active: true, user_id: user.id };
      return [this.emit('client_folder.created', { ...data, created_at: now })];
    }
    const folder = roll < 0.88 ? this.rng.pick(this.folders) : undefined;
    return [this.createLead(now, folder, folder?.ownerIdx ?? ownerIdx)];
  }

  private createLead(now: string, folder: ClientFolder | undefined, ownerIdx: number): SimEvent {
    const listing = propertyListing(this.rng);
    const lead: Lead = {
      id: this.ids.leadId++,
      title: `${listing.label} - ${folder?.name ?? clientName(this.rng)}`,
      status: 'todo',
      stepIdx: this.rng.chance(0.2) ? 1 : 0,
      ownerIdx,
      askingPrice: listing.askingPrice,
      amount: this.rng.chance(0.6) ? listing.askingPrice : 0,
      folder: folder ? { id: folder.id, name: folder.name } : undefined,
      createdAt: now,
      closedAt: null,
    };
    this.open.push(lead);
    return this.emit('lead.creation', leadSnapshot(this.office, lead, now, this.rng));
  }

  private moveStep(lead: Lead, now: string): SimEvent {
    const last = this.office.steps.length - 1;
    lead.stepIdx = Math.min(last, lead.stepIdx + (this.rng.chance(0.12) ? 2 : 1));
    if (lead.stepIdx >= FIRST_WINNABLE_STEP && lead.amount === 0) lead.amount = lead.askingPrice;
    return this.emit('lead.step.changed', leadSnapshot(this.office, lead, now, this.rng));
  }

  private changeStatus(lead: Lead, now: string): SimEvent[] {
    const r = this.rng;
    const next = nextStatus(r, lead, this.office.steps.length - 1);
    lead.status = next;
    if (next === 'won') lead.amount = negotiatedPrice(r, lead.askingPrice);
    if (isClosed(next)) {
      lead.closedAt = now;
      this.open.splice(this.open.indexOf(lead), 1);
      this.closed.push(lead);
      if (this.closed.length > 300) this.closed.shift();
    }
    const data = leadSnapshot(this.office, lead, now, this.rng);
    const out = [this.emit('lead.status.changed', data)];
    if (next === 'won' && r.chance(0.3))
      out.push(this.emit('lead.status.changed.to.won', structuredClone(data)));
    return out;
  }

  private emit(event: string, data: Record<string, unknown>): SimEvent {
    const envelope = buildEnvelope(this.ids.webhookId++, event, data, this.spec.apiKey);
    return { sourceId: this.spec.sourceId, envelope };
  }
}
