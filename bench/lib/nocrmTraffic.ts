import { createHash } from 'node:crypto';

/** The four webhook events the seed's receiver stores, in the order of `--mix`. */
export const EVENTS = [
  'lead.step.changed',
  'lead.creation',
  'lead.deleted',
  'client_folder.created',
] as const;
export type NocrmEventName = (typeof EVENTS)[number];

export interface Webhook {
  id: number;
  account: string;
  event: NocrmEventName;
  body: string;
}

export interface TrafficOptions {
  accounts: readonly string[];
  apiKey: string;
  /** Weights of EVENTS (default 60,30,5,5). */
  mix: readonly number[];
  /** First webhook_event.id; ids then increase by one per body, so every body is unique. */
  firstId: number;
  /** Leads per account that already exist when the run starts (step changes and deletions pick from them). */
  leadsPerAccount: number;
  seed: number;
  /** First lead id (later leads count up from it); give a warm-up run its own range. */
  firstLeadId: number;
  /** Event time of the first body; later bodies move forward from it (ms since epoch). */
  startMs: number;
}

interface LeadState {
  id: number;
  createdAt: number;
  step: number;
  status: string;
  owner: Agent;
  folder: { id: number; name: string };
  title: string;
  amount: number;
}
type Agent = { id: number; first: string; last: string };

const STEPS: ReadonlyArray<readonly [string, number]> = [
  ['Nuevo', 3101],
  ['Contactado', 3102],
  ['Visita', 3103],
  ['Oferta', 3104],
  ['Reserva', 3105],
  ['Escritura', 3106],
];
const AGENTS: readonly Agent[] = [
  { id: 811, first: 'Irene', last: 'Navarro' },
  { id: 812, first: 'Pablo', last: 'Ortega' },
  { id: 813, first: 'Marta', last: 'Iglesias' },
  { id: 814, first: 'Hugo', last: 'Delgado' },
  { id: 815, first: 'Nuria', last: 'Serrano' },
  { id: 816, first: 'Álvaro', last: 'Molina' },
];
const PLACES = ['Chamberí', 'Retiro', 'Salamanca', 'Arganzuela', 'Tetuán', 'Moncloa', 'Usera'];
const HOMES = ['Piso', 'Ático', 'Dúplex', 'Estudio', 'Chalet', 'Local'];
const PEOPLE = ['Ruiz', 'Herrera', 'Medina', 'Cortés', 'Vidal', 'Campos', 'Prieto', 'Santos'];

/**
 * Builds unique, signed noCRM webhook bodies (reference/nocrm.md §1): each lead keeps its state
 * across events, so it gets a creation, several step changes and maybe a deletion, with
 * `updated_at` moving forward. Deterministic for a given seed.
 */
export class NocrmTraffic {
  private nextId: number;
  private clock: number;
  private state: number;
  private readonly leads: LeadState[][];
  private nextLeadId: number;
  private nextFolderId = 70_000;
  private readonly mixTotal: number;

  constructor(private readonly opts: TrafficOptions) {
    this.nextId = opts.firstId;
    this.nextLeadId = opts.firstLeadId;
    this.clock = opts.startMs;
    this.state = opts.seed >>> 0;
    this.mixTotal = opts.mix.reduce((a, b) => a + b, 0);
    this.leads = opts.accounts.map(() => Array.from({ length: opts.leadsPerAccount }, () => this.newLead()));
  }

  /** The id the next body will carry. */
  peekId(): number {
    return this.nextId;
  }

  next(): Webhook {
    const id = this.nextId++;
    const a = this.int(0, this.opts.accounts.length - 1);
    const account = this.opts.accounts[a]!;
    const event = this.pickEvent();
    this.clock += this.int(5, 400); // event time moves forward, a few events per second
    const data = this.data(event, this.leads[a]!, account);
    const signature = createHash('sha1')
      .update(String(id) + this.opts.apiKey)
      .digest('hex');
    const envelope = {
      webhook_event: {
        id,
        event,
        signature,
        has_succeeded: false,
        try_count: 1,
        last_returned_code: null,
        data,
      },
    };
    return { id, account, event, body: JSON.stringify(envelope) };
  }

  private data(event: NocrmEventName, pool: LeadState[], account: string): Record<string, unknown> {
    if (event === 'client_folder.created') {
      const owner = this.pick(AGENTS);
      const id = this.nextFolderId++;
      return {
        id,
        name: `Cartera ${this.pick(PEOPLE)} ${id}`,
        description: `Clientes de ${owner.first} ${owner.last}`,
        is_active: true,
        user_id: owner.id,
        created_at: iso(this.clock),
      };
    }
    let lead: LeadState;
    if (event === 'lead.creation' || pool.length === 0) {
      lead = this.newLead(this.clock);
      pool.push(lead);
    } else {
      const i = this.int(0, pool.length - 1);
      lead = pool[i]!;
      if (event === 'lead.deleted') {
        pool[i] = pool[pool.length - 1]!;
        pool.pop();
      } else this.advance(lead);
    }
    return this.leadData(lead, account);
  }

  private advance(lead: LeadState): void {
    if (lead.step < STEPS.length - 1 && this.rnd() < 0.8) lead.step++;
    else lead.step = this.int(0, STEPS.length - 1);
    const r = this.rnd();
    lead.status = lead.step === STEPS.length - 1 ? 'won' : r < 0.85 ? 'todo' : r < 0.95 ? 'standby' : 'lost';
    if (this.rnd() < 0.3) lead.amount = this.int(40, 900) * 1000;
  }

  private leadData(lead: LeadState, account: string): Record<string, unknown> {
    const [step, stepId] = STEPS[lead.step]!;
    const sub = account.replaceAll('_', '-');
    const o = lead.owner;
    const email = `${ascii(o.first)}.${ascii(o.last)}@${sub}.example.com`;
    const closed = lead.status === 'won' || lead.status === 'lost';
    return {
      id: lead.id,
      title: lead.title,
      pipeline: 'Compraventa',
      step,
      step_id: stepId,
      status: lead.status,
      amount: lead.amount,
      currency: 'EUR',
      probability: 10 + lead.step * 15,
      starred: false,
      tags: ['web', PLACES[lead.id % PLACES.length]!.toLowerCase()],
      description: `<p>${lead.title}<br>Origen: portal inmobiliario</p>`,
      contact_email: `cliente${lead.id}@example.org`,
      created_at: iso(lead.createdAt),
      updated_at: iso(this.clock),
      closed_at: closed ? iso(this.clock) : null,
      estimated_closing_date: null,
      permalink: `https://${sub}.nocrm.io/leads/${lead.id}`,
      user: { id: o.id, firstname: o.first, lastname: o.last, email },
      client: lead.folder,
    };
  }

  private newLead(at?: number): LeadState {
    const id = this.nextLeadId++;
    const createdAt = at ?? this.opts.startMs - this.int(1, 90 * 24 * 3600) * 1000;
    const place = this.pick(PLACES);
    const folderId = this.int(60_000, 60_400);
    return {
      id,
      createdAt,
      step: at === undefined ? this.int(0, 3) : 0,
      status: 'todo',
      owner: this.pick(AGENTS),
      folder: { id: folderId, name: `Cartera ${folderId}` },
      title: `${this.pick(HOMES)} en ${place} - ${this.pick(PEOPLE)}`,
      amount: this.int(40, 900) * 1000,
    };
  }

  private pickEvent(): NocrmEventName {
    let r = this.rnd() * this.mixTotal;
    for (const [i, w] of this.opts.mix.entries()) {
      r -= w;
      if (r < 0) return EVENTS[i]!;
    }
    return EVENTS[0];
  }

  /** mulberry32: small, fast, good enough for test data. */
  private rnd(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
