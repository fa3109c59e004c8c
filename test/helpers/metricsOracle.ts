/**
 * The metrics oracle: the contract's metric definitions (/tmp/lh/metrics-spec.md, issue 4) computed
 * in plain TypeScript from the RAW webhook deliveries, independently of the SQL. It mirrors the
 * documented projection rules (field-wise latest by event time, ties on the external id; stage
 * history = entry row + one row per change of step or status), then applies the definitions.
 * Local time comes from Intl only.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
export function localParts(
  ms: number,
  tz: string,
): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of format(tz).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { y: p['year']!, m: p['month']!, d: p['day']!, h: p['hour']!, mi: p['minute']!, s: p['second']! };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' of an instant in a zone. */
export function localDate(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

/** The zone's offset from UTC at an instant, in ms (local − UTC). */
function offsetAt(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall-clock time ('YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[:SS]') in a zone. */
export function localToUtc(local: string, tz: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local);
  if (!m) throw new Error(`bad local time ${local}`);
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  let t = asUtc - offsetAt(asUtc, tz);
  t = asUtc - offsetAt(t, tz);
  return t;
}

/** Start of a local day (its 00:00 in the zone). */
export const dayStart = (date: string, tz: string): number => localToUtc(date, tz);

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export type Bucket = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const BUCKETS: readonly Bucket[] = ['day', 'week', 'month', 'quarter', 'year'];

/** The bucket label of a local date: day 'YYYY-MM-DD', ISO week 'YYYY-Www', 'YYYY-MM', 'YYYY-Qn', 'YYYY'. */
export function bucketOf(bucket: Bucket, date: string): string {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  switch (bucket) {
    case 'day':
      return date;
    case 'month':
      return date.slice(0, 7);
    case 'quarter':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'year':
      return y;
    case 'week': {
      const thursday = addDays(date, 3 - weekday(date));
      const wy = Number(thursday.slice(0, 4));
      const dayOfYear = (Date.parse(thursday) - Date.UTC(wy, 0, 1)) / 86_400_000;
      return `${wy}-W${pad(Math.floor(dayOfYear / 7) + 1)}`;
    }
  }
}

/** The buckets of the local dates from..to (inclusive), in order, with each one's last date. */
export function bucketsOf(bucket: Bucket, from: string, to: string): { key: string; lastDay: string }[] {
  const out: { key: string; lastDay: string }[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const key = bucketOf(bucket, d);
    const last = out[out.length - 1];
    if (last && last.key === key) last.lastDay = d;
    else out.push({ key, lastDay: d });
  }
  return out;
}

/** The last local date of a bucket containing `date` (not capped by any period). */
export function bucketLastDay(bucket: Bucket, date: string): string {
  const key = bucketOf(bucket, date);
  let d = date;
  while (bucketOf(bucket, addDays(d, 1)) === key) d = addDays(d, 1);
  return d;
}

/** Mon–Fri dates in [from, to], both inclusive (0 when to < from). */
export function workingDays(from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (weekday(d) < 5) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Projection mirror: the documented rules of `leads` and `stage_changes`, from the raw deliveries.
// ---------------------------------------------------------------------------------------------

/** One webhook delivery as posted: the source id and the body. */
export interface Delivery {
  source: string;
  body: {
    webhook_event: { id: number | string; event: string; data: Record<string, unknown> } & Record<
      string,
      unknown
    >;
  };
}

type Field =
  | 'pipeline'
  | 'step'
  | 'step_id'
  | 'status'
  | 'amount'
  | 'probability'
  | 'owner_email'
  | 'closed_at'
  | 'created_at';
const FIELDS: readonly Field[] = [
  'pipeline',
  'step',
  'step_id',
  'status',
  'amount',
  'probability',
  'closed_at',
  'created_at',
];

interface OEvent {
  source: string;
  extId: string;
  event: string;
  leadId: string;
  at: number;
  /** Fields the event states (null = stated empty), as text like `data->>'x'`. */
  f: Map<Field, string | null>;
}

export interface HistRow {
  at: number;
  extId: string;
  seq: number;
  fromStep: string | null;
  toStep: string | null;
  fromStepId: string | null;
  toStepId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  movedBy: string | null;
}

export type Category = 'won' | 'lost' | 'cancelled' | 'open';

export interface OLead {
  source: string;
  id: string;
  pipeline: string | null;
  step: string | null;
  stepId: string | null;
  status: string | null;
  category: Category;
  amount: number | null;
  probability: number | null;
  owner: string | null;
  createdAt: number;
  closedAtStated: number | null;
  deletedAt: number | null;
  /** Close time (only when the current status is closed). */
  closeTime: number | null;
  history: HistRow[];
}

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

function toEvent(d: Delivery): OEvent {
  const w = d.body.webhook_event;
  const data = w.data;
  const f = new Map<Field, string | null>();
  for (const k of FIELDS) if (k in data) f.set(k, str(data[k]));
  if ('user' in data) {
    const u = data['user'];
    if (u === null) f.set('owner_email', null);
    else if (typeof u === 'object' && u !== null && 'email' in u)
      f.set(
        'owner_email',
        str((u as { email: unknown }).email)
          ?.trim()
          .toLowerCase() ?? null,
      );
  }
  if (w.event === 'lead.unassigned' && !f.has('owner_email')) f.set('owner_email', null);
  const time = (k: string) => (typeof data[k] === 'string' ? Date.parse(data[k] as string) : undefined);
  const at =
    w.event === 'lead.creation'
      ? (time('created_at') ?? time('updated_at'))
      : (time('updated_at') ?? time('created_at'));
  if (at === undefined) throw new Error(`event ${w.id} has no time`);
  return { source: d.source, extId: String(w.id), event: w.event, leadId: String(data['id']), at, f };
}

const byEventTime = (a: OEvent, b: OEvent) =>
  a.at - b.at || (a.extId < b.extId ? -1 : a.extId > b.extId ? 1 : 0);

export function categoryOf(status: string | null): Category {
  if (status === 'won') return 'won';
  if (status === 'lost') return 'lost';
  if (status === 'cancelled' || status === 'canceled') return 'cancelled';
  return 'open';
}

const num = (v: string | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

/** Leads (current state + stage history) from raw deliveries, deduplicated by (source, event id). */
export function projectDeliveries(deliveries: readonly Delivery[]): OLead[] {
  const seen = new Set<string>();
  const byLead = new Map<string, OEvent[]>();
  for (const d of deliveries) {
    const key = `${d.source}|${d.body.webhook_event.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const e = toEvent(d);
    const lk = `${e.source}|${e.leadId}`;
    const list = byLead.get(lk);
    if (list) list.push(e);
    else byLead.set(lk, [e]);
  }
  const leads: OLead[] = [];
  for (const events of byLead.values()) {
    events.sort(byEventTime);
    const latest = (k: Field): string | null => {
      for (let i = events.length - 1; i >= 0; i--)
        if (events[i]!.f.has(k)) return events[i]!.f.get(k) ?? null;
      return null;
    };
    const first = events[0]!;
    const created = events.find((e) => e.event === 'lead.creation');
    const deleted = events.filter((e) => e.event === 'lead.deleted');
    const history = historyOf(events.filter((e) => e.event !== 'lead.deleted'));
    const status = latest('status');
    const category = categoryOf(status);
    const closedAtText = latest('closed_at');
    const closedAtStated = closedAtText === null ? null : Date.parse(closedAtText);
    let closeTime: number | null = null;
    if (category !== 'open') {
      if (closedAtStated !== null) closeTime = closedAtStated;
      else {
        const began = history.filter((r) => r.seq === 1 || r.fromStatus !== r.toStatus);
        closeTime = began[began.length - 1]!.at;
      }
    }
    const createdStated = latest('created_at');
    leads.push({
      source: first.source,
      id: first.leadId,
      pipeline: latest('pipeline'),
      step: latest('step'),
      stepId: latest('step_id'),
      status,
      category,
      amount: num(latest('amount')),
      probability: num(latest('probability')),
      owner: latest('owner_email'),
      createdAt: createdStated !== null ? Date.parse(createdStated) : (created ?? first).at,
      closedAtStated,
      deletedAt: deleted.length ? Math.max(...deleted.map((e) => e.at)) : null,
      closeTime,
      history,
    });
  }
  return leads;
}

function historyOf(events: readonly OEvent[]): HistRow[] {
  const carried = new Map<Field, string | null>();
  const rows: HistRow[] = [];
  let prev: { step: string | null; stepId: string | null; status: string | null } | undefined;
  for (const e of events) {
    for (const [k, v] of e.f) carried.set(k, v);
    const cur = {
      step: carried.get('step') ?? null,
      stepId: carried.get('step_id') ?? null,
      status: carried.get('status') ?? null,
    };
    if (!prev || cur.step !== prev.step || cur.stepId !== prev.stepId || cur.status !== prev.status) {
      rows.push({
        at: e.at,
        extId: e.extId,
        seq: rows.length + 1,
        fromStep: prev?.step ?? null,
        toStep: cur.step,
        fromStepId: prev?.stepId ?? null,
        toStepId: cur.stepId,
        fromStatus: prev?.status ?? null,
        toStatus: cur.status,
        movedBy: carried.get('owner_email') ?? null,
      });
    }
    prev = cur;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Metrics: the contract's definitions over the mirrored leads.
// ---------------------------------------------------------------------------------------------

export interface MetricQuery {
  from: string;
  to: string;
  source?: readonly string[];
  /** E-mails (lower-case) and/or null for unassigned. */
  owner?: readonly (string | null)[];
  pipeline?: string;
  by?: readonly string[];
  asOf?: string;
}

export interface StageOrder {
  /** Stages in order; matched on step_id when `matchOn` is 'step_id' (else on name). */
  stages: readonly { name: string; stepId: string | null }[];
  matchOn: 'step_id' | 'name';
}

export interface Goal {
  scope: 'office' | 'owner';
  source: string;
  owner: string | null;
  metric: 'leads_won' | 'sales_amount';
  period: 'month' | 'year';
  period_start: string;
  target: number;
}

export interface OracleContext {
  tz: string;
  now: number;
  leads: readonly OLead[];
  /** The funnel order of a source (config stages, leadhouse.stages, else step_id order). */
  stageOrder(source: string): StageOrder;
  goals?: readonly Goal[];
}

export type Row = Record<string, string | number | null>;

export const COUNT_METRICS = [
  'leads_entered',
  'leads_won',
  'leads_lost',
  'leads_cancelled',
  'leads_deleted',
  'leads_open',
] as const;
export const SUM_METRICS = ['sales_amount', 'pipeline_value', 'pipeline_weighted'] as const;
export const RATE_METRICS = ['ticket_average', 'conversion_rate', 'cohort_conversion', 'win_rate'] as const;

interface Spec {
  bucket: Bucket | undefined;
  dims: string[];
}

function specOf(by: readonly string[] | undefined): Spec {
  const bucket = (by ?? []).find((b) => (BUCKETS as readonly string[]).includes(b)) as Bucket | undefined;
  return { bucket, dims: (by ?? []).filter((b) => b !== bucket) };
}

function dimValue(l: OLead, dim: string): string | null {
  switch (dim) {
    case 'source':
      return l.source;
    case 'owner':
      return l.owner;
    case 'pipeline':
      return l.pipeline;
    case 'stage':
      return l.step;
    case 'channel':
      return 'webhook';
    default:
      throw new Error(`oracle: unknown dimension ${dim}`);
  }
}

class Ctx {
  readonly start: number;
  readonly end: number;
  readonly spec: Spec;
  constructor(
    readonly c: OracleContext,
    readonly q: MetricQuery,
  ) {
    this.start = dayStart(q.from, c.tz);
    this.end = dayStart(addDays(q.to, 1), c.tz);
    this.spec = specOf(q.by);
  }
  /** Non-deleted leads passing source/owner/pipeline. */
  leads(includeDeleted = false): OLead[] {
    return this.c.leads.filter(
      (l) =>
        (includeDeleted || l.deletedAt === null) &&
        (!this.q.source || this.q.source.includes(l.source)) &&
        (!this.q.owner || this.q.owner.includes(l.owner)) &&
        (this.q.pipeline === undefined || l.pipeline === this.q.pipeline),
    );
  }
  inPeriod(t: number | null): t is number {
    return t !== null && t >= this.start && t < this.end;
  }
  keysOf(l: OLead | null, t: number | null, extra: Row = {}): Row {
    const k: Row = {};
    if (this.spec.bucket && t !== null)
      k[this.spec.bucket] = bucketOf(this.spec.bucket, localDate(t, this.c.tz));
    if (l) for (const d of this.spec.dims) k[d] = dimValue(l, d);
    return { ...k, ...extra };
  }
}

export const rowKey = (r: Row, keys: readonly string[]) => keys.map((k) => `${k}=${r[k] ?? '∅'}`).join('|');

/** Groups items by their keys; returns key → { keys, items }. */
function group<T>(items: readonly T[], keysOf: (t: T) => Row): Map<string, { keys: Row; items: T[] }> {
  const out = new Map<string, { keys: Row; items: T[] }>();
  for (const it of items) {
    const keys = keysOf(it);
    const k = rowKey(keys, Object.keys(keys).sort());
    const g = out.get(k);
    if (g) g.items.push(it);
    else out.set(k, { keys, items: [it] });
  }
  return out;
}

const round = (v: number | null, d: number) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d);
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const sumAmount = (ls: readonly OLead[]) => ls.reduce((s, l) => s + (l.amount ?? 0), 0);
function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
/** percentile_cont(0.5). */
function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

const WON = (l: OLead) => l.category === 'won';

/** Leads whose time `timeOf` lies in the period, grouped by bucket (of that time) and dims. */
function volume(
  x: Ctx,
  timeOf: (l: OLead) => number | null,
  pick: (l: OLead) => boolean,
  includeDeleted = false,
) {
  const ls = x.leads(includeDeleted).filter((l) => pick(l) && x.inPeriod(timeOf(l)));
  return group(ls, (l) => x.keysOf(l, timeOf(l)));
}

/** Merges several groupings into rows of one value each (a missing group counts as empty). */
function combine(
  parts: Map<string, { keys: Row; items: OLead[] }>[],
  value: (items: OLead[][]) => number | null,
): Row[] {
  const all = new Map<string, Row>();
  for (const p of parts) for (const [k, g] of p) all.set(k, g.keys);
  return [...all].map(([k, keys]) => ({ ...keys, value: value(parts.map((p) => p.get(k)?.items ?? [])) }));
}

const closedAs = (c: Category) => (l: OLead) => l.category === c;
const closeTime = (l: OLead) => l.closeTime;
const entryTime = (l: OLead) => l.createdAt;

/** As-of instants of leads_open: the end of `to`, or of each bucket (capped at the end of `to` and now). */
function asOfInstants(x: Ctx): { key: Row; at: number }[] {
  const { tz, now } = x.c;
  if (!x.spec.bucket) return [{ key: {}, at: Math.min(x.end, now) }];
  return bucketsOf(x.spec.bucket, x.q.from, x.q.to).map((b) => ({
    key: { [x.spec.bucket!]: b.key },
    at: Math.min(dayStart(addDays(bucketLastDay(x.spec.bucket!, b.lastDay), 1), tz), x.end, now),
  }));
}

function openAt(x: Ctx, value: (ls: OLead[]) => number): Row[] {
  const rows: Row[] = [];
  for (const { key, at } of asOfInstants(x)) {
    const open = x
      .leads()
      .filter(
        (l) => l.createdAt < at && (l.category === 'open' || (l.closeTime !== null && l.closeTime >= at)),
      );
    if (!x.spec.dims.length) {
      rows.push({ ...key, value: value(open) });
      continue;
    }
    for (const g of group(open, (l) => x.keysOf(l, null)).values())
      rows.push({ ...key, ...g.keys, value: value(g.items) });
  }
  return rows;
}

/** Adds the missing buckets of a single-bucket query (0 for counts/sums, null for rates). */
function fill(x: Ctx, rows: Row[], empty: number | null): Row[] {
  if (!x.spec.bucket || x.spec.dims.length) {
    if (!x.spec.bucket && !x.spec.dims.length && rows.length === 0) return [{ value: empty }];
    return rows;
  }
  const b = x.spec.bucket;
  const have = new Map(rows.map((r) => [r[b], r]));
  return bucketsOf(b, x.q.from, x.q.to).map((k) => have.get(k.key) ?? { [b]: k.key, value: empty });
}

export function computeMetric(c: OracleContext, name: string, q: MetricQuery): Row[] {
  const x = new Ctx(c, q);
  const money = (rows: Row[]) => rows.map((r) => ({ ...r, value: round(r['value'] as number | null, 2) }));
  switch (name) {
    case 'leads_entered':
      return fill(
        x,
        combine([volume(x, entryTime, () => true)], ([a]) => a!.length),
        0,
      );
    case 'leads_won':
    case 'leads_lost':
    case 'leads_cancelled': {
      const cat = name.slice(6) as Category;
      return fill(
        x,
        combine([volume(x, closeTime, closedAs(cat))], ([a]) => a!.length),
        0,
      );
    }
    case 'leads_deleted':
      return fill(
        x,
        combine(
          [
            volume(
              x,
              (l) => l.deletedAt,
              () => true,
              true,
            ),
          ],
          ([a]) => a!.length,
        ),
        0,
      );
    case 'leads_open':
      return openAt(x, (ls) => ls.length);
    case 'pipeline_value':
      return money(openAt(x, sumAmount));
    case 'pipeline_weighted':
      return money(
        openAt(x, (ls) => ls.reduce((s, l) => s + ((l.amount ?? 0) * (l.probability ?? 0)) / 100, 0)),
      );
    case 'sales_amount':
      return money(
        fill(
          x,
          combine([volume(x, closeTime, WON)], ([a]) => sumAmount(a!)),
          0,
        ),
      );
    case 'ticket_average':
      return money(
        fill(
          x,
          combine([volume(x, closeTime, WON)], ([a]) =>
            mean(a!.filter((l) => l.amount !== null).map((l) => l.amount!)),
          ),
          null,
        ),
      );
    case 'conversion_rate':
      return fill(
        x,
        combine([volume(x, closeTime, WON), volume(x, entryTime, () => true)], ([w, e]) =>
          ratio(w!.length, e!.length),
        ),
        null,
      );
    case 'win_rate':
      return fill(
        x,
        combine([volume(x, closeTime, (l) => l.category !== 'open')], ([a]) =>
          ratio(a!.filter(WON).length, a!.length),
        ),
        null,
      );
    case 'cohort_conversion': {
      const asOf = q.asOf ? dayStart(addDays(q.asOf, 1), c.tz) : c.now;
      return fill(
        x,
        combine([volume(x, entryTime, () => true)], ([a]) =>
          ratio(a!.filter((l) => WON(l) && l.closeTime! < asOf).length, a!.length),
        ),
        null,
      );
    }
    case 'funnel':
      return funnel(x);
    case 'stage_duration':
      return stageDuration(x);
    case 'leaderboard':
      return leaderboard(x);
    case 'activity':
      return activity(x);
    case 'goal_progress':
      return goalProgress(x);
    default:
      throw new Error(`oracle: unknown metric ${name}`);
  }
}

function funnel(x: Ctx): Row[] {
  const entered = x.leads().filter((l) => x.inPeriod(l.createdAt));
  const rows: Row[] = [];
  for (const g of group(entered, (l) => x.keysOf(l, l.createdAt, { source: l.source })).values()) {
    const source = g.keys['source'] as string;
    const order = x.c.stageOrder(source);
    const pos = (name: string | null, stepId: string | null) =>
      order.stages.findIndex((s) =>
        order.matchOn === 'step_id' && stepId !== null ? s.stepId === stepId : s.name === name,
      );
    const reached = g.items.map((l) => Math.max(-1, ...l.history.map((r) => pos(r.toStep, r.toStepId))));
    const values = order.stages.map((_, i) => reached.filter((p) => p >= i).length);
    const keys = { ...g.keys };
    if (!x.spec.dims.includes('source')) delete keys['source'];
    for (const [i, s] of order.stages.entries()) {
      rows.push({
        ...keys,
        stage: s.name,
        position: i + 1,
        value: values[i]!,
        step_conversion: i === 0 ? null : ratio(values[i]!, values[i - 1]!),
        from_first: ratio(values[i]!, values[0]!),
      });
    }
  }
  return rows;
}

/** Stays in a step: from entering it to the next change of step; only those that ended in the period. */
function stageDuration(x: Ctx): Row[] {
  const stays: { lead: OLead; stage: string | null; end: number; days: number }[] = [];
  for (const l of x.leads()) {
    let cur: HistRow | undefined;
    for (const r of l.history) {
      if (!cur) {
        cur = r;
        continue;
      }
      if (r.toStep !== cur.toStep || r.toStepId !== cur.toStepId) {
        if (x.inPeriod(r.at))
          stays.push({ lead: l, stage: cur.toStep, end: r.at, days: (r.at - cur.at) / 86_400_000 });
        cur = r;
      }
    }
  }
  return [...group(stays, (s) => x.keysOf(s.lead, s.end, { stage: s.stage })).values()].map((g) => ({
    ...g.keys,
    value: median(g.items.map((s) => s.days)),
    mean_days: mean(g.items.map((s) => s.days)),
    stays: g.items.length,
  }));
}

/** Ranked per group of the `by` dimensions (e.g. per source), owners = the leads' current owners. */
function leaderboard(x: Ctx): Row[] {
  const dims = (l: OLead) => Object.fromEntries(x.spec.dims.map((d) => [d, dimValue(l, d)])) as Row;
  const won = x.leads().filter((l) => WON(l) && x.inPeriod(l.closeTime));
  const entered = x.leads().filter((l) => x.inPeriod(l.createdAt));
  const out: Row[] = [];
  for (const g of group([...won, ...entered], dims).values()) {
    const inGroup = (l: OLead) => rowKey(dims(l), x.spec.dims) === rowKey(g.keys, x.spec.dims);
    const owners = [...new Set(g.items.map((l) => l.owner))];
    const rows = owners.map((owner) => {
      const w = won.filter((l) => l.owner === owner && inGroup(l));
      const e = entered.filter((l) => l.owner === owner && inGroup(l));
      const withAmount = w.filter((l) => l.amount !== null).map((l) => l.amount!);
      return {
        owner,
        sales_amount: round(sumAmount(w), 2)!,
        leads_won: w.length,
        leads_entered: e.length,
        conversion_rate: ratio(w.length, e.length),
        ticket_average: round(mean(withAmount), 2),
      };
    });
    const cmp = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      b.sales_amount - a.sales_amount ||
      b.leads_won - a.leads_won ||
      (b.conversion_rate ?? -1) - (a.conversion_rate ?? -1);
    rows.sort(cmp);
    for (const r of rows)
      out.push({
        ...g.keys,
        ...r,
        value: r.sales_amount,
        rank: rows.findIndex((o) => cmp(o, r) === 0) + 1,
        // the last rank this row could take when it ties with others
        rank_max: rows.length - [...rows].reverse().findIndex((o) => cmp(o, r) === 0),
      });
  }
  return out;
}

/** Per actor (moved_by, the owner at that change), and per bucket of the change time and `by` dims. */
function activity(x: Ctx): Row[] {
  const moves: { lead: OLead; r: HistRow }[] = [];
  for (const l of x.leads())
    for (const r of l.history) if (r.seq > 1 && x.inPeriod(r.at)) moves.push({ lead: l, r });
  return [...group(moves, (m) => x.keysOf(m.lead, m.r.at, { owner: m.r.movedBy })).values()].map((g) => ({
    ...g.keys,
    value: g.items.length,
    step_moves: g.items.filter((m) => m.r.fromStep !== m.r.toStep || m.r.fromStepId !== m.r.toStepId).length,
    status_changes: g.items.filter((m) => m.r.fromStatus !== m.r.toStatus).length,
  }));
}

function goalProgress(x: Ctx): Row[] {
  const { tz, now } = x.c;
  const to = x.q.to;
  const asOf = Math.min(x.end, now);
  const asOfDate = localDate(asOf - 1, tz);
  const rows: Row[] = [];
  for (const g of x.c.goals ?? []) {
    const periodStart = g.period === 'month' ? `${g.period_start}-01` : `${g.period_start}-01-01`;
    const inEffect =
      g.period === 'month' ? to.slice(0, 7) === g.period_start : to.slice(0, 4) === g.period_start;
    if (!inEffect) continue;
    if (x.q.source && !x.q.source.includes(g.source)) continue;
    const periodEnd =
      g.period === 'month' ? addDays(`${nextMonth(g.period_start)}-01`, -1) : `${g.period_start}-12-31`;
    const start = dayStart(periodStart, tz);
    const won = x.c.leads.filter(
      (l) =>
        l.deletedAt === null &&
        WON(l) &&
        l.source === g.source &&
        (g.scope === 'office' || l.owner === g.owner) &&
        l.closeTime! >= start &&
        l.closeTime! < asOf,
    );
    const actual = g.metric === 'leads_won' ? won.length : round(sumAmount(won), 2)!;
    const total = workingDays(periodStart, periodEnd);
    const elapsed = workingDays(periodStart, asOfDate);
    const left = workingDays(addDays(asOfDate, 1), periodEnd);
    const remaining = Math.max(g.target - actual, 0);
    rows.push({
      scope: g.scope,
      source: g.source,
      owner: g.owner,
      metric: g.metric,
      period: g.period,
      period_start: g.period_start,
      target: g.target,
      actual,
      value: ratio(actual, g.target),
      expected: ratio(g.target * elapsed, total),
      remaining,
      working_days_left: left,
      pace_needed: left === 0 ? null : remaining / left,
    });
  }
  if ((x.q.source && x.q.source.length === 1) || x.q.owner) return rows;
  // Several offices: per metric and period, the offices' goals added up (scope 'all').
  const totals = new Map<string, Row[]>();
  for (const r of rows.filter((r) => r['scope'] === 'office')) {
    const k = `${r['metric']}|${r['period']}|${r['period_start']}`;
    totals.set(k, [...(totals.get(k) ?? []), r]);
  }
  const all: Row[] = [...totals.values()].map((g) => {
    const sum = (f: string) => g.reduce((s, r) => s + Number(r[f]), 0);
    const left = Number(g[0]?.['working_days_left']);
    const remaining = Math.max(sum('target') - sum('actual'), 0);
    return {
      scope: 'all',
      source: null,
      owner: null,
      metric: g[0]?.['metric'] ?? null,
      period: g[0]?.['period'] ?? null,
      period_start: g[0]?.['period_start'] ?? null,
      target: sum('target'),
      actual: sum('actual'),
      value: ratio(sum('actual'), sum('target')),
      expected: sum('expected'),
      remaining,
      working_days_left: left,
      pace_needed: left === 0 ? null : remaining / left,
    };
  });
  return [...all, ...rows];
}

function nextMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
