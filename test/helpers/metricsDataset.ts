/**
 * A deterministic generated dataset for the metrics tests: two noCRM offices with different step
 * orders, six owners, ~260 leads over 14 months in America/New_York (DST), as signed webhook
 * deliveries — shuffled, ~15% redelivered, full and partial payloads — plus hand-made leads on
 * the month, year and DST boundaries. The expected figures come from metricsOracle.ts.
 */
import { createHash } from 'node:crypto';
import { type Delivery, localToUtc, type StageOrder } from './metricsOracle.js';

export const TZ = 'America/New_York';
export const KEYS: Record<string, string> = {
  office_a: 'metrics-key-office-a-0001',
  office_b: 'metrics-key-office-b-0002',
};

export interface Step {
  id: number;
  name: string;
}
/** Steps in funnel order. office_a: no stage config, so step_id order; office_b: leadhouse.stages. */
export const STEPS: Record<string, readonly Step[]> = {
  office_a: [
    { id: 101, name: 'Referido' },
    { id: 102, name: 'Contactado' },
    { id: 103, name: 'Visita' },
    { id: 104, name: 'Oferta' },
    { id: 105, name: 'Firma' },
  ],
  office_b: [
    { id: 309, name: 'Nuevo' },
    { id: 302, name: 'Cualificado' },
    { id: 307, name: 'Propuesta' },
    { id: 301, name: 'Negociación' },
    { id: 305, name: 'Cierre' },
  ],
};
/** leadhouse.stages rows for office_b (synced /steps): positions differ from step_id order. */
export const STAGES_TABLE = STEPS['office_b']!.map((s, i) => ({
  source_id: 'office_b',
  step_id: s.id,
  name: s.name,
  position: i + 1,
  pipeline: 'Alquiler',
}));

export function stageOrder(source: string): StageOrder {
  if (source === 'office_b')
    return {
      matchOn: 'step_id',
      stages: STEPS['office_b']!.map((s) => ({ name: s.name, stepId: String(s.id) })),
    };
  const steps = [...STEPS[source]!].sort((a, b) => a.id - b.id);
  return { matchOn: 'step_id', stages: steps.map((s) => ({ name: s.name, stepId: String(s.id) })) };
}

export const PIPELINES: Record<string, readonly string[]> = {
  office_a: ['Ventas', 'Traspasos'],
  office_b: ['Alquiler'],
};
export const OWNERS = [
  'ana@example.com',
  'bruno@example.com',
  'carla@example.com',
  'diego@example.com',
  'elena@example.com',
  'fran@example.com',
] as const;

/** mulberry32, independent of the product's PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!,
  };
}
type Rng = ReturnType<typeof prng>;

const sign = (id: number, key: string) => createHash('sha1').update(`${id}${key}`).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();

interface LeadState {
  id: number;
  source: string;
  pipeline: string;
  stepIndex: number;
  status: string | null;
  /** undefined: the CRM never sends the key. */
  amount: number | string | null | undefined;
  probability: number | null | undefined;
  owner: string | null;
  createdAt: number;
  closedAt: number | null;
  /** Payloads of this lead state closed_at (null while open); otherwise they never carry the key. */
  statesClosedAt: boolean;
  /** Payloads never carry step_id (the funnel then matches on the step name). */
  noStepId: boolean;
  /** Owner e-mails sent in mixed case. */
  shout: boolean;
}

export interface MetricsDataset {
  tz: string;
  /** Every delivery in posting order: shuffled, with redeliveries (same event id). */
  deliveries: Delivery[];
  /** Distinct events. */
  eventCount: number;
  leadCount: number;
  /** Hand-made boundary leads by name. */
  boundary: Record<string, { source: string; id: number }>;
}

class Builder {
  private nextEventId = 7_000_001;
  readonly events: Delivery[] = [];
  constructor(readonly rng: Rng) {}

  user(s: LeadState): Record<string, unknown> | null {
    if (s.owner === null) return null;
    const email = s.shout
      ? s.owner.charAt(0).toUpperCase() + s.owner.slice(1).replace('example', 'Example')
      : s.owner;
    return {
      id: OWNERS.indexOf(s.owner as (typeof OWNERS)[number]) + 600,
      firstname: s.owner.split('@')[0],
      email,
    };
  }

  /** The full lead object noCRM sends. */
  snapshot(s: LeadState, at: number): Record<string, unknown> {
    const step = STEPS[s.source]![s.stepIndex]!;
    const d: Record<string, unknown> = {
      id: s.id,
      title: `Lead ${s.id}`,
      status: s.status,
      pipeline: s.pipeline,
      step: step.name,
      currency: 'USD',
      created_at: iso(s.createdAt),
      updated_at: iso(at),
      user: this.user(s),
    };
    if (!s.noStepId) d['step_id'] = step.id;
    if (s.amount !== undefined) d['amount'] = s.amount;
    if (s.probability !== undefined) d['probability'] = s.probability;
    if (s.statesClosedAt) d['closed_at'] = s.closedAt === null ? null : iso(s.closedAt);
    return d;
  }

  emit(s: LeadState, event: string, at: number, partial?: Record<string, unknown>): void {
    const id = this.nextEventId++;
    const data = partial ? { id: s.id, updated_at: iso(at), ...partial } : this.snapshot(s, at);
    this.events.push({
      source: s.source,
      body: {
        webhook_event: {
          id,
          event,
          has_succeeded: false,
          try_count: 1,
          last_returned_code: null,
          signature: sign(id, KEYS[s.source]!),
          data,
        },
      },
    });
  }

  step(s: LeadState, at: number, index: number): void {
    s.stepIndex = index;
    const st = STEPS[s.source]![index]!;
    if (this.rng.chance(0.3))
      this.emit(
        s,
        'lead.step.changed',
        at,
        s.noStepId ? { step: st.name } : { step: st.name, step_id: st.id },
      );
    else this.emit(s, 'lead.step.changed', at);
  }

  status(s: LeadState, at: number, status: string, closedAt: number | null): void {
    s.status = status;
    s.closedAt = closedAt;
    const event = this.rng.chance(0.5) ? 'lead.status.changed' : `lead.status.changed.to.${status}`;
    if (this.rng.chance(0.4)) {
      const partial: Record<string, unknown> = { status };
      if (s.statesClosedAt) partial['closed_at'] = closedAt === null ? null : iso(closedAt);
      this.emit(s, event, at, partial);
    } else this.emit(s, event, at);
  }
}

function randomAmount(rng: Rng): number | string | null | undefined {
  const r = rng.next();
  if (r < 0.1) return undefined;
  if (r < 0.15) return null;
  const v = rng.int(40, 600) * 1000 + (rng.chance(0.3) ? rng.int(1, 99) / 100 : 0);
  return r < 0.3 ? v.toFixed(2) : v;
}

/** One generated lead's whole life, in event-time order. */
function generateLead(b: Builder, id: number, createdAt: number): void {
  const { rng } = b;
  const source = rng.chance(0.55) ? 'office_a' : 'office_b';
  const s: LeadState = {
    id,
    source,
    pipeline: source === 'office_a' && rng.chance(0.25) ? 'Traspasos' : PIPELINES[source]![0]!,
    stepIndex: 0,
    status: 'todo',
    amount: randomAmount(rng),
    probability: rng.chance(0.15) ? (rng.chance(0.5) ? null : undefined) : rng.int(0, 20) * 5,
    owner: rng.chance(0.1) ? null : rng.pick(OWNERS),
    createdAt,
    closedAt: null,
    statesClosedAt: rng.chance(0.5),
    noStepId: source === 'office_b' && rng.chance(0.03),
    shout: rng.chance(0.2),
  };
  b.emit(s, 'lead.creation', createdAt);
  let t = createdAt;
  // Seconds never 0: no event falls exactly on a local midnight.
  const later = (minH: number, maxH: number) => {
    t += rng.int(minH * 60, maxH * 60) * 60_000 + rng.int(1, 59) * 1000;
    return t;
  };
  const outcome = rng.next();
  const kind = outcome < 0.36 ? 'won' : outcome < 0.6 ? 'lost' : outcome < 0.72 ? 'cancelled' : 'open';
  const depth = kind === 'won' ? rng.int(2, 4) : rng.int(0, 4);
  for (let i = 1; i <= depth; i++) {
    b.step(s, later(2, 300), i);
    if (i >= 2 && rng.chance(0.1)) {
      b.step(s, later(2, 100), i - 1); // a step backward, then forward again
      b.step(s, later(2, 100), i);
    }
    if (rng.chance(0.12)) {
      b.status(s, later(1, 100), 'standby', null); // status-only changes
      b.status(s, later(1, 100), 'todo', null);
    }
    if (rng.chance(0.12)) {
      s.amount = randomAmount(rng) ?? 90000;
      const partial = rng.chance(0.5);
      b.emit(s, 'lead.content_has_changed', later(1, 50), partial ? { amount: s.amount } : undefined);
    }
    if (rng.chance(0.08)) {
      s.owner = rng.pick(OWNERS);
      b.emit(s, 'lead.assigned', later(1, 50), { user: b.user(s) });
    }
    if (rng.chance(0.03)) {
      s.owner = null;
      b.emit(s, 'lead.unassigned', later(1, 50), {});
    }
  }
  if (kind !== 'open') {
    const at = later(2, 400);
    const status = kind === 'cancelled' && rng.chance(0.35) ? 'canceled' : kind;
    b.status(s, at, status, s.statesClosedAt ? at - rng.int(0, 100) * 60_000 - rng.int(1, 59) * 1000 : null);
    if (rng.chance(0.1)) {
      s.amount = rng.int(50, 500) * 1000;
      b.emit(s, 'lead.content_has_changed', later(1, 200), { amount: s.amount, probability: 100 });
      s.probability = 100;
    }
    if (rng.chance(0.08)) {
      s.owner = rng.pick(OWNERS);
      b.emit(s, 'lead.assigned', later(1, 200), { user: b.user(s) });
    }
    if (rng.chance(0.08)) {
      b.status(s, later(5, 600), 'todo', null); // reopened
      if (rng.chance(0.6)) {
        const at2 = later(5, 600);
        b.status(s, at2, rng.chance(0.5) ? 'won' : 'lost', s.statesClosedAt ? at2 - 60_000 : null);
      }
    } else if (kind === 'won' && rng.chance(0.05)) {
      const at2 = later(5, 300);
      b.status(s, at2, 'lost', s.statesClosedAt ? at2 : null); // won corrected to lost
    }
  }
  if (rng.chance(0.06)) {
    const at = later(1, 900);
    b.emit(s, 'lead.deleted', at, rng.chance(0.5) ? {} : undefined);
  }
}

/** Hand-made leads on the boundaries; times are local wall-clock in TZ. */
function boundaryLeads(b: Builder, tz: string): MetricsDataset['boundary'] {
  const L = (t: string) => localToUtc(t, tz);
  const base = (id: number, source: string, created: string, owner: string | null): LeadState => ({
    id,
    source,
    pipeline: PIPELINES[source]![0]!,
    stepIndex: 0,
    status: 'todo',
    amount: 100000,
    probability: 50,
    owner,
    createdAt: L(created),
    closedAt: null,
    statesClosedAt: false,
    noStepId: false,
    shout: false,
  });
  const out: MetricsDataset['boundary'] = {};
  // Won at 23:30 on 31 March (EDT): 03:30 UTC on 1 April. Counts in March.
  let s = base(90001, 'office_a', '2025-03-05T10:00', 'carla@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  b.step(s, L('2025-03-20T12:00'), 2);
  b.status(s, L('2025-03-31T23:30'), 'won', null);
  out['wonLastDayMarch'] = { source: s.source, id: s.id };
  // Won at 00:30 on 1 June. Counts in June.
  s = base(90002, 'office_a', '2025-05-20T09:00', 'carla@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  b.status(s, L('2025-06-01T00:30'), 'won', null);
  out['wonFirstDayJune'] = { source: s.source, id: s.id };
  // closed_at stated 23:30 on 31 October (EDT), the webhook 45 minutes later on 1 November: October.
  s = { ...base(90003, 'office_b', '2025-10-02T15:00', 'diego@example.com'), statesClosedAt: true };
  b.emit(s, 'lead.creation', s.createdAt);
  b.status(s, L('2025-11-01T00:15'), 'won', L('2025-10-31T23:30'));
  out['closedAtLastDayOctober'] = { source: s.source, id: s.id };
  // Entered at 23:40 on 31 December 2024 (EST): 04:40 UTC on 1 January 2025. Entered in 2024.
  s = base(90004, 'office_b', '2024-12-31T23:40', 'elena@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  out['enteredNewYearsEve'] = { source: s.source, id: s.id };
  // Lost at 23:30 on 31 December 2025: year, quarter and month 2025-12.
  s = base(90005, 'office_a', '2025-12-01T11:00', 'ana@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  b.status(s, L('2025-12-31T23:30'), 'lost', null);
  out['lostNewYearsEve'] = { source: s.source, id: s.id };
  // DST end day (2 November 2025, 25 hours): entered 00:30 EDT and 23:30 EST — both that day.
  s = base(90006, 'office_a', '2025-11-02T00:30', 'bruno@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  out['dstDayEarly'] = { source: s.source, id: s.id };
  s = base(90007, 'office_a', '2025-11-02T23:30', 'bruno@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  out['dstDayLate'] = { source: s.source, id: s.id };
  // Cancelled (US spelling) vs lost, same day.
  s = base(90008, 'office_b', '2025-08-04T10:00', 'fran@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  b.status(s, L('2025-08-14T16:00'), 'canceled', null);
  out['canceled'] = { source: s.source, id: s.id };
  s = base(90009, 'office_b', '2025-08-04T11:00', 'fran@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  b.status(s, L('2025-08-14T17:00'), 'lost', null);
  out['lost'] = { source: s.source, id: s.id };
  // Won in March, deleted in April: not won anywhere, one deletion in April.
  s = base(90010, 'office_a', '2025-03-02T10:00', 'carla@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  b.status(s, L('2025-03-12T10:00'), 'won', null);
  b.emit(s, 'lead.deleted', L('2025-04-03T09:00'));
  out['wonThenDeleted'] = { source: s.source, id: s.id };
  // Won in May, reopened in June, lost in July: lost in July only.
  s = base(90011, 'office_a', '2025-04-25T10:00', 'ana@example.com');
  b.emit(s, 'lead.creation', s.createdAt);
  b.status(s, L('2025-05-10T10:00'), 'won', null);
  b.status(s, L('2025-06-10T10:00'), 'todo', null);
  b.status(s, L('2025-07-10T10:00'), 'lost', null);
  out['wonReopenedLost'] = { source: s.source, id: s.id };
  // No status at all (null): open.
  s = { ...base(90012, 'office_b', '2025-09-15T10:00', 'diego@example.com'), status: null };
  b.emit(s, 'lead.creation', s.createdAt);
  out['nullStatus'] = { source: s.source, id: s.id };
  return out;
}

/** Only the hand-made boundary leads, at the same wall-clock times in `tz`, in event order. */
export function boundaryDataset(tz: string): Delivery[] {
  const b = new Builder(prng(1));
  boundaryLeads(b, tz);
  return b.events;
}

export function metricsDataset(seed = 20250401, leads = 260): MetricsDataset {
  const rng = prng(seed);
  const b = new Builder(rng);
  const first = localToUtc('2025-01-01', TZ);
  const last = localToUtc('2026-03-01', TZ);
  for (let i = 0; i < leads; i++) {
    const minute = first + rng.int(0, (last - first) / 60_000 - 1) * 60_000;
    generateLead(b, 50_001 + i, minute + rng.int(1, 59) * 1000);
  }
  const boundary = boundaryLeads(b, TZ);
  const eventCount = b.events.length;
  const withRedeliveries: Delivery[] = [];
  for (const d of b.events) {
    withRedeliveries.push(d);
    if (rng.chance(0.15))
      withRedeliveries.push({
        source: d.source,
        body: { webhook_event: { ...d.body.webhook_event, try_count: 2, last_returned_code: 500 } },
      });
  }
  // Whole-stream shuffle (Fisher-Yates): arrival order has nothing to do with event time.
  for (let i = withRedeliveries.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [withRedeliveries[i], withRedeliveries[j]] = [withRedeliveries[j]!, withRedeliveries[i]!];
  }
  return {
    tz: TZ,
    deliveries: withRedeliveries,
    eventCount,
    leadCount: leads + Object.keys(boundary).length,
    boundary,
  };
}
